// Reads of statements shared by the admin API, the editors' pages and the CLI: the queue with
// its filters and full-text search, one statement with its source message, counts per status.
import type { DbTx } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { StatementStatus } from '../generated/prisma/enums.ts';
import { afterCursor, type Cursor } from '../http/pagination.ts';

export type { StatementStatus };

export const STATEMENT_STATUSES = ['draft', 'approved', 'published', 'unpublished', 'rejected'] as const;

export interface StatementFilter {
  status?: StatementStatus | undefined;
  /** A topic id or slug; "none" for statements in no topic. */
  topic?: string | undefined;
  /** An organisation id, or words of its name (case-insensitive). */
  organisation?: string | undefined;
  language?: string | undefined;
  /** The statement's own date, inclusive, YYYY-MM-DD. */
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
  /** Full-text search over title, organisation and body; every word must match (as a prefix). */
  q?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Words of a search longer than this are not useful and make tsquery work hard. */
const MAX_SEARCH_WORDS = 12;

/**
 * A prefix tsquery from what an editor typed: letters and digits only, so no input can be a
 * tsquery syntax error, and "solidar" finds "solidarity". Null when nothing searchable is left.
 */
export function toPrefixTsQuery(q: string): string | null {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_SEARCH_WORDS);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

/**
 * Prisma's `contains` puts the text into a LIKE pattern as it is: "%" and "_" matched anything,
 * and a trailing backslash made PostgreSQL refuse the pattern (a 500). Escaped, they are text.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Ids of statements whose text matches; uses the GIN expression index (migration cap_search_index). */
export async function searchStatementIds(db: DbTx, q: string): Promise<string[]> {
  const query = toPrefixTsQuery(q);
  if (!query) return [];
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM statements
    WHERE to_tsvector('simple', left(coalesce("title", '') || ' ' || coalesce("organisation_name", '') || ' ' || coalesce("organisation_short", '') || ' ' || "body_text", 200000))
          @@ to_tsquery('simple', ${query})`;
  return rows.map((r) => r.id);
}

/** The Prisma `where` for every filter except status (counts per status use it as is). */
export async function statementWhere(db: DbTx, filter: Omit<StatementFilter, 'status'>): Promise<Prisma.StatementWhereInput> {
  const and: Prisma.StatementWhereInput[] = [];
  if (filter.topic === 'none') and.push({ topicId: null });
  else if (filter.topic) and.push(UUID.test(filter.topic) ? { topicId: filter.topic } : { topic: { slug: filter.topic } });
  if (filter.organisation) {
    and.push(
      UUID.test(filter.organisation)
        ? { organisationId: filter.organisation }
        : { OR: [{ organisationName: { contains: escapeLike(filter.organisation), mode: 'insensitive' } }, { organisationShort: { equals: filter.organisation, mode: 'insensitive' } }] },
    );
  }
  if (filter.language) and.push({ language: filter.language });
  if (filter.dateFrom) and.push({ statementDate: { gte: new Date(`${filter.dateFrom}T00:00:00Z`) } });
  if (filter.dateTo) and.push({ statementDate: { lte: new Date(`${filter.dateTo}T00:00:00Z`) } });
  if (filter.q?.trim()) and.push({ id: { in: await searchStatementIds(db, filter.q) } });
  return and.length ? { AND: and } : {};
}

export async function findStatements(
  db: DbTx,
  filter: StatementFilter & { cursor?: Cursor | undefined; limit: number; /** statementWhere(filter), when already computed */ where?: Prisma.StatementWhereInput },
) {
  const where = filter.where ?? (await statementWhere(db, filter));
  return db.statement.findMany({
    where: { ...where, ...(filter.status ? { status: filter.status } : {}), ...afterCursor('createdAt', filter.cursor) },
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
      duplicateOf: { select: { id: true, title: true, status: true } },
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
          headers: true,
          attachments: { select: { id: true, filename: true, contentType: true, size: true, sha256: true, inline: true, documentType: true, extractedText: true } },
        },
      },
      revisions: { orderBy: { version: 'desc' }, include: { editor: { select: { id: true, email: true, name: true } } } },
    },
  });
}

/** Counts per status of the statements matching the other filters (the queue's tabs). */
export async function countStatementsByStatus(db: DbTx, where: Prisma.StatementWhereInput = {}): Promise<Record<StatementStatus, number>> {
  const groups = await db.statement.groupBy({ by: ['status'], where, _count: { _all: true } });
  const counts = Object.fromEntries(STATEMENT_STATUSES.map((s) => [s, 0])) as Record<StatementStatus, number>;
  for (const g of groups) counts[g.status] = g._count._all;
  return counts;
}

/** An attachment's bytes for download by editors. */
export async function findAttachmentContent(db: DbTx, id: string) {
  return db.attachment.findUnique({ where: { id }, select: { id: true, filename: true, contentType: true, size: true, documentType: true, content: true } });
}
