// Full-text search filters in SQL, on the stored tsvector and its GIN index: the queue's search
// is one statement whose WHERE holds the tsquery (no list of matching ids gathered first and
// passed back), and PostgreSQL's own EXPLAIN shows the index in the plan. The plans are asked
// with the planner settings the queue runs them with (statementPageQuery, statusCountsQuery),
// over a few thousand statements so that the statistics are those of a real archive.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findStatements,
  planSearch,
  statementPageQuery,
  statusCountsQuery,
  type QueueQuery,
} from '../src/moderation/statement-queries.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { nodesOf, type PlanNode } from './support/plans.ts';

const STATEMENTS = 3_000;
/** In every statement: more matches than SEARCH_PROBE_LIMIT. */
const COMMON_WORD = 'tenants';
/** In one statement in 500. */
const RARE_WORD = 'quillwort';
const GIN_INDEX = 'statements_search_vector_idx';

describe('full-text search plans', () => {
  let t: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    t = await createTestDatabase();
    client = new pg.Client({ connectionString: t.url });
    await client.connect();
    // Through Prisma's pool (so dropping the database closes it), the plans on a session of their own.
    await t.db.$executeRawUnsafe(
      `INSERT INTO statements (id, slug, title, body_text, status, created_at, updated_at)
       SELECT gen_random_uuid(), 'plan-' || g, 'Housing statement ' || g,
              'The ${COMMON_WORD} association of block ' || g || ' asks for repairs.' ||
                CASE WHEN g % 500 = 0 THEN ' ${RARE_WORD} meadow' ELSE '' END,
              (ARRAY['draft', 'approved', 'published']::"StatementStatus"[])[1 + g % 3],
              now() - g * interval '1 minute', now()
         FROM generate_series(1, $1::int) AS g`,
      STATEMENTS,
    );
    await t.db.$executeRawUnsafe('ANALYZE statements');
  });
  afterAll(async () => {
    await client?.end();
    await t?.drop();
  });

  /** The plan PostgreSQL makes for `query`, under the settings the queue runs it with. */
  async function explain(query: QueueQuery): Promise<PlanNode[]> {
    await client.query('BEGIN');
    try {
      for (const setting of query.settings) await client.query(`SET LOCAL ${setting}`);
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${query.text}`, query.values);
      return nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('filters by the tsquery inside the statement, with no list of ids', () => {
    for (const query of [statementPageQuery({ q: RARE_WORD, limit: 50 }, { common: false }), statusCountsQuery({ q: RARE_WORD })]) {
      expect(query.text).toContain('s.search_vector @@ to_tsquery');
      expect(query.text).not.toMatch(/=\s*ANY\s*\(|\bIN\s*\(/i);
      expect(query.values.some((v) => Array.isArray(v))).toBe(false);
    }
  });

  it('reads a rare word’s matches from the GIN index, for the page and for the counts', async () => {
    const filter = { q: RARE_WORD };
    const plan = await planSearch(t.db, filter);
    expect(plan).toEqual({ common: false });
    for (const query of [statementPageQuery({ ...filter, limit: 50 }, plan), statusCountsQuery(filter)]) {
      const nodes = await explain(query);
      const onIndex = nodes.find((n) => n['Index Name'] === GIN_INDEX);
      expect(onIndex, JSON.stringify(nodes.map((n) => n['Node Type']))).toBeDefined();
      expect(onIndex!['Index Cond']).toMatch(/search_vector @@/);
      expect(nodes.some((n) => n['Node Type'] === 'Seq Scan')).toBe(false);
    }
    // And the page holds exactly the statements with the word.
    const found = await findStatements(t.db, { ...filter, limit: 50 });
    expect(found).toHaveLength(STATEMENTS / 500);
  });

  it('keeps the search in the same scan as the other filters (status and organisation)', async () => {
    // With a status tab, PostgreSQL may read the status index and check the tsquery on those
    // rows (it does here, a third of the archive being drafts), or AND both indexes (it does at
    // 20,000 statements); either way the search is a condition of that one scan.
    const filter = { q: RARE_WORD, status: 'draft' as const, organisation: 'association' };
    const nodes = await explain(statementPageQuery({ ...filter, limit: 50 }, await planSearch(t.db, filter)));
    // One scan finds the page; the page's rows are then read by primary key (statementPageQuery).
    const scans = nodes.filter((n) => n['Relation Name'] === 'statements' && n.Alias === 's');
    expect(scans, JSON.stringify(scans)).toHaveLength(1);
    const scan = scans[0]!;
    expect(scan['Node Type']).not.toBe('Seq Scan');
    expect(`${scan['Index Cond'] ?? ''} ${scan['Recheck Cond'] ?? ''} ${scan.Filter ?? ''}`).toMatch(/search_vector @@/);
    // The page's rows, read by primary key: no condition on the search or the filters there.
    const rows = nodes.filter((n) => n['Relation Name'] === 'statements' && n.Alias === 'r');
    expect(rows).toHaveLength(1);
    expect(`${rows[0]!['Index Cond'] ?? ''} ${rows[0]!['Recheck Cond'] ?? ''} ${rows[0]!.Filter ?? ''}`.trim()).toBe('(id = s.id)');
  });

  it('walks the newest statements for a word in most of them, the tsquery a filter on that walk', async () => {
    const filter = { q: COMMON_WORD };
    const plan = await planSearch(t.db, filter);
    expect(plan).toEqual({ common: true });
    const nodes = await explain(statementPageQuery({ ...filter, limit: 50 }, plan));
    const walk = nodes.find((n) => n['Index Name'] === 'statements_created_at_id_idx');
    expect(walk, JSON.stringify(nodes.map((n) => n['Node Type']))).toBeDefined();
    expect(walk!.Filter).toMatch(/search_vector @@/);
    expect(await findStatements(t.db, { ...filter, limit: 50 })).toHaveLength(51);
  });
});
