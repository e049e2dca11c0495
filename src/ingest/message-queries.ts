// Reads of stored messages shared by the admin API, the editors' pages and the CLI: lists and
// counts, one message as editors see it (headers, attachments with their extracted text), its
// bytes. The ingest hot path's own reads are in pipeline-queries.ts.
import type { DbTx } from '../db/client.ts';
import type { MessageStatus } from '../generated/prisma/enums.ts';
import { afterCursor, COUNT_LIMIT, type Cursor } from '../db/pagination.ts';

export type { MessageStatus };

export const MESSAGE_SUMMARY_SELECT = {
  id: true,
  status: true,
  statusReason: true,
  error: true,
  notStatement: true,
  source: true,
  messageIdHeader: true,
  fromAddress: true,
  fromName: true,
  subject: true,
  sentAt: true,
  receivedAt: true,
  size: true,
  sha256: true,
} as const;

export async function findMessages(
  db: DbTx,
  filter: { status?: MessageStatus | undefined; notStatement?: boolean | undefined; cursor?: Cursor | undefined; limit: number },
) {
  return db.message.findMany({
    where: {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.notStatement !== undefined ? { notStatement: filter.notStatement } : {}),
      ...afterCursor('receivedAt', filter.cursor),
    },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    select: MESSAGE_SUMMARY_SELECT,
  });
}

/** Counts per status, each stopping at COUNT_LIMIT (a count equal to it means at least that many). */
export async function countMessagesByStatus(db: DbTx): Promise<Record<MessageStatus, number>> {
  const rows = await db.$queryRaw<{ status: MessageStatus; n: number }[]>`
    SELECT st.status::text AS status,
           (SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.status = st.status LIMIT ${COUNT_LIMIT}) capped)::int AS n
      FROM unnest(enum_range(NULL::"MessageStatus")) AS st(status)`;
  const counts: Record<MessageStatus, number> = { received: 0, drafted: 0, ignored: 0, failed: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

export async function findRawMessage(db: DbTx, id: string) {
  return db.message.findUnique({ where: { id }, select: { id: true, raw: true, messageIdHeader: true, erasedAt: true } });
}

/**
 * What GET /ready tells of failed messages: how many there are, counted up to COUNT_LIMIT (a
 * load balancer probes every few seconds; an uncapped count walks every failed message's index
 * entry on each probe, however many thousands an archive import left), and the most recently
 * received one. Both are served by the (status, received_at, id) index.
 */
export async function summarizeFailedMessages(db: DbTx) {
  const [counted, last] = await Promise.all([
    db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (SELECT 1 FROM messages WHERE status = 'failed' LIMIT ${COUNT_LIMIT}) capped`,
    db.message.findFirst({
      where: { status: 'failed' },
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      select: { id: true, error: true, receivedAt: true, parsedAt: true },
    }),
  ]);
  const count = counted[0]?.n ?? 0;
  return { count, capped: count >= COUNT_LIMIT, last };
}

/** Whether any message is stored at all. */
export async function hasMessages(db: DbTx): Promise<boolean> {
  return (await db.message.findFirst({ select: { id: true } })) !== null;
}

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

export async function findMessageForEditor(db: DbTx, id: string) {
  return db.message.findUnique({
    where: { id },
    select: {
      ...MESSAGE_SUMMARY_SELECT,
      toAddresses: true,
      headers: true,
      attachments: {
        select: { id: true, filename: true, contentType: true, size: true, inline: true, documentType: true, extractedText: true },
        orderBy: { createdAt: 'asc' },
      },
      statements: { select: { id: true, title: true, status: true } },
    },
  });
}

export type EditorMessage = NonNullable<Awaited<ReturnType<typeof findMessageForEditor>>>;

export async function findMessageBodies(db: DbTx, id: string) {
  return db.message.findUnique({ where: { id }, select: { id: true, htmlBody: true, textBody: true } });
}


/** A forwarded message (a message/rfc822 attachment) as read at ingest: its type and text. */
export async function findAttachmentText(db: DbTx, id: string) {
  return db.attachment.findUnique({ where: { id }, select: { contentType: true, extractedText: true } });
}
