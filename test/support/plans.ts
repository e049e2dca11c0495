// PostgreSQL's plans as EXPLAIN (FORMAT JSON) gives them, for the tests that check which index a
// query uses (search-plan.test.ts, queue-plan.test.ts).

/** One node of a plan; the fields the tests read (BUFFERS ones only with EXPLAIN (BUFFERS)). */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** The node and every node under it, depth first. */
export function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}
