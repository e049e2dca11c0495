// The queue's reads beyond the statements themselves (src/moderation/statement-queries.ts): the
// emails judged not to be a statement, and what the filter controls offer.
import type { DbTx } from '../../../db/client.ts';
import { afterCursor, COUNT_LIMIT, type Cursor } from '../../../db/pagination.ts';

/**
 * Emails judged not to be a statement; with `allSetAside`, every email the pipeline set aside
 * (status ignored: also mailing-list and newsletter mail, auto-replies, bounces).
 */
export async function findNotStatementMessages(db: DbTx, filter: { cursor?: Cursor | undefined; limit: number; allSetAside?: boolean }) {
  return db.message.findMany({
    where: { ...(filter.allSetAside ? { status: 'ignored' as const } : { notStatement: true }), ...afterCursor('receivedAt', filter.cursor) },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    select: { id: true, fromAddress: true, fromName: true, subject: true, receivedAt: true, statusReason: true, status: true },
  });
}

/** Stops at COUNT_LIMIT, like the statements' counts. */
export async function countNotStatementMessages(db: DbTx): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM messages WHERE not_statement LIMIT ${COUNT_LIMIT}) capped`;
  return rows[0]?.n ?? 0;
}

/**
 * The languages statements are in, from the language index: a skip scan (one index probe per
 * language) instead of grouping every statement on every page of the queue.
 */
export async function listStatementLanguages(db: DbTx): Promise<string[]> {
  const rows = await db.$queryRaw<{ language: string }[]>`
    WITH RECURSIVE languages(language) AS (
      (SELECT language FROM statements WHERE language IS NOT NULL ORDER BY language LIMIT 1)
      UNION ALL
      SELECT (SELECT s.language FROM statements s WHERE s.language > l.language ORDER BY s.language LIMIT 1)
        FROM languages l WHERE l.language IS NOT NULL)
    SELECT language FROM languages WHERE language IS NOT NULL`;
  return rows.map((r) => r.language);
}

export async function listTopicChoices(db: DbTx) {
  return db.topic.findMany({ orderBy: [{ open: 'desc' }, { title: 'asc' }], select: { id: true, title: true, slug: true, open: true } });
}
