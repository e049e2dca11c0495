// The queue's reads beyond the statements themselves (src/moderation/statement-queries.ts): the
// emails judged not to be a statement, and what the filter controls offer.
import type { DbTx } from '../../../db/client.ts';
import { afterCursor, type Cursor } from '../../pagination.ts';

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

export async function countNotStatementMessages(db: DbTx): Promise<number> {
  return db.message.count({ where: { notStatement: true } });
}

export async function listStatementLanguages(db: DbTx): Promise<string[]> {
  const rows = await db.statement.groupBy({ by: ['language'], where: { language: { not: null } }, orderBy: { language: 'asc' } });
  return rows.map((r) => r.language).filter((l): l is string => l !== null);
}

export async function listTopicChoices(db: DbTx) {
  return db.topic.findMany({ orderBy: [{ open: 'desc' }, { title: 'asc' }], select: { id: true, title: true, slug: true, open: true } });
}
