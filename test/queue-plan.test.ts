// The queue's first page of a status costs what a deeper page costs, wherever that status's
// newest statement is: at 100,000 statements with the newest 2,000 published, the first page of
// drafts read every one of those 2,000 rows to check its status (2,150 buffers, 5.5 ms; the
// deep page 25), because PostgreSQL walked the (created_at, id) index and filtered. The page's
// ids now come from the (status, created_at, id) index alone (statementPageQuery). Shown with
// PostgreSQL's own EXPLAIN (ANALYZE, BUFFERS): buffers counted, not milliseconds timed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolOf } from '../src/db/client.ts';
import { findStatements, statementPageQuery, type QueueQuery } from '../src/moderation/statement-queries.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { nodesOf, type PlanNode } from './support/plans.ts';

/** Enough rows for PostgreSQL to prefer walking (created_at, id) when asked for whole rows (it
 * does from about 30,000 rows of this width; at 20,000 it took the status index by itself). */
const STATEMENTS = 30_000;
/** The newest ones, published after an import of them all. */
const PUBLISHED = 2_000;

describe('the queue page by status', () => {
  let t: TestDatabase;
  // Everything on the test database's own pool, which its drop closes.
  const sql = () => poolOf(t.db);

  beforeAll(async () => {
    t = await createTestDatabase();
    // Oldest first, as an import stores them; then the newest published, as an editor would.
    await sql().query(
      `INSERT INTO statements (id, slug, title, body_text, status, extraction, created_at, updated_at)
       SELECT gen_random_uuid(), 'queue-' || g, 'Statement ' || g, 'The text of statement ' || g || '. ' || repeat('Words. ', 90), 'draft',
              '{"fields": {"title": {"source": "subject", "confidence": 0.5}}, "warnings": []}',
              timestamp '2026-01-01' + g * interval '1 minute', now()
         FROM generate_series(1, $1::int) AS g`,
      [STATEMENTS],
    );
    await sql().query(
      `UPDATE statements SET status = 'published', published_at = created_at, first_published_at = created_at
        WHERE id IN (SELECT id FROM statements ORDER BY created_at DESC LIMIT $1)`,
      [PUBLISHED],
    );
    await sql().query('VACUUM ANALYZE statements');
  });
  afterAll(async () => t?.drop());

  async function explain(query: QueueQuery): Promise<PlanNode> {
    const { rows } = await sql().query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query.text}`, query.values);
    return rows[0]!['QUERY PLAN'][0].Plan;
  }

  it('finds the first page of drafts in the status index, without reading the newer published rows', async () => {
    const plan = await explain(statementPageQuery({ status: 'draft', limit: 50 }, null));
    const finding = nodesOf(plan).filter((n) => n.Alias === 's');
    expect(finding.map((n) => n['Index Name'])).toEqual(['statements_status_created_at_id_idx']);
    expect(finding[0]!['Rows Removed by Filter'] ?? 0).toBe(0);
    // About four buffers per row of the page (its index entry, the primary key, its row), not
    // one per published statement passed over.
    const buffers = plan['Shared Hit Blocks']! + plan['Shared Read Blocks']!;
    expect(buffers).toBeLessThan(PUBLISHED / 4);
  });

  it('gives the same page as before: the newest drafts, newest first, and the next page after them', async () => {
    const first = await findStatements(t.db, { status: 'draft', limit: 50 });
    expect(first).toHaveLength(51);
    expect(first.every((s) => s.status === 'draft')).toBe(true);
    expect(first[0]!.title).toBe(`Statement ${STATEMENTS - PUBLISHED}`);
    expect(first.map((s) => s.title)).toEqual(Array.from({ length: 51 }, (_, i) => `Statement ${STATEMENTS - PUBLISHED - i}`));
    const next = await findStatements(t.db, { status: 'draft', limit: 50, cursor: { at: first[49]!.createdAt, id: first[49]!.id } });
    expect(next[0]!.title).toBe(`Statement ${STATEMENTS - PUBLISHED - 50}`);
    const published = await findStatements(t.db, { status: 'published', limit: 2 });
    expect(published.map((s) => s.title)).toEqual([`Statement ${STATEMENTS}`, `Statement ${STATEMENTS - 1}`, `Statement ${STATEMENTS - 2}`]);
  });
});
