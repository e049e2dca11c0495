// The queue's reads: statements by status with search, topic and language filters, newest first,
// and what the filter controls offer.
import type { DbTx } from '../../../db/client.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { StatementStatus } from '../../../generated/prisma/enums.ts';
import { afterCursor, type Cursor } from '../../pagination.ts';

export interface QueueFilter {
  status: StatementStatus;
  q?: string | undefined;
  topicId?: string | undefined;
  language?: string | undefined;
  cursor?: Cursor | undefined;
  limit: number;
}

function filterWhere(filter: Omit<QueueFilter, 'status' | 'cursor' | 'limit'>): Prisma.StatementWhereInput {
  const where: Prisma.StatementWhereInput = {};
  if (filter.topicId === 'none') where.topicId = null;
  else if (filter.topicId) where.topicId = filter.topicId;
  if (filter.language === 'none') where.language = null;
  else if (filter.language) where.language = filter.language;
  const q = filter.q?.trim();
  if (q) {
    where.OR = [
      { title: { contains: q, mode: 'insensitive' } },
      { organisationName: { contains: q, mode: 'insensitive' } },
      { organisationShort: { contains: q, mode: 'insensitive' } },
      { bodyText: { contains: q, mode: 'insensitive' } },
    ];
  }
  return where;
}

export async function findQueueStatements(db: DbTx, filter: QueueFilter) {
  return db.statement.findMany({
    where: { AND: [{ status: filter.status }, filterWhere(filter), afterCursor('createdAt', filter.cursor)] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    include: {
      topic: { select: { id: true, slug: true, title: true } },
      message: { select: { fromAddress: true, fromName: true, receivedAt: true } },
    },
  });
}

/** Counts per status under the same search and filters, for the tabs. */
export async function countQueueByStatus(db: DbTx, filter: Omit<QueueFilter, 'status' | 'cursor' | 'limit'>) {
  const groups = await db.statement.groupBy({ by: ['status'], where: filterWhere(filter), _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.status, g._count._all])) as Partial<Record<StatementStatus, number>>;
}

export async function findNotStatementMessages(db: DbTx, filter: { cursor?: Cursor | undefined; limit: number }) {
  return db.message.findMany({
    where: { notStatement: true, ...afterCursor('receivedAt', filter.cursor) },
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
