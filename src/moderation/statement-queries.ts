// Reads of statements shared by the admin API, the editors' pages and the CLI.
import type { DbTx } from '../db/client.ts';
import type { StatementStatus } from '../generated/prisma/enums.ts';
import { afterCursor, type Cursor } from '../http/pagination.ts';

export type { StatementStatus };

export const STATEMENT_STATUSES = ['draft', 'approved', 'published', 'unpublished', 'rejected'] as const;

export async function findStatements(
  db: DbTx,
  filter: { status?: StatementStatus | undefined; cursor?: Cursor | undefined; limit: number },
) {
  return db.statement.findMany({
    where: { ...(filter.status ? { status: filter.status } : {}), ...afterCursor('createdAt', filter.cursor) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    include: { topic: { select: { id: true, slug: true, title: true } } },
  });
}

export async function findStatementById(db: DbTx, id: string) {
  return db.statement.findUnique({
    where: { id },
    include: {
      topic: { select: { id: true, slug: true, title: true } },
      message: {
        select: {
          id: true,
          messageIdHeader: true,
          fromAddress: true,
          fromName: true,
          subject: true,
          sentAt: true,
          receivedAt: true,
          toAddresses: true,
          attachments: { select: { id: true, filename: true, contentType: true, size: true, sha256: true, inline: true } },
        },
      },
    },
  });
}

export async function countStatementsByStatus(db: DbTx): Promise<Record<StatementStatus, number>> {
  const groups = await db.statement.groupBy({ by: ['status'], _count: { _all: true } });
  const counts = Object.fromEntries(STATEMENT_STATUSES.map((s) => [s, 0])) as Record<StatementStatus, number>;
  for (const g of groups) counts[g.status] = g._count._all;
  return counts;
}
