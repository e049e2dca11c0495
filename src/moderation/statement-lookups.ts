// Reads for the statement page beyond the statement itself: its source email as editors see it
// (headers, attachments with their extracted text), its history, and the choices its forms offer.
import type { DbTx } from '../../../db/client.ts';
import { MESSAGE_SUMMARY_SELECT } from '../../../ingest/message-queries.ts';

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

/** Statements an editor may mean when marking this one a duplicate: the likely one first, then
 * the same organisation's, then the most recent. */
export async function findDuplicateChoices(
  db: DbTx,
  statement: { id: string; organisationName: string | null; likelyDuplicateOfId: string | null },
  limit = 40,
) {
  const select = { id: true, title: true, status: true, organisationName: true, createdAt: true } as const;
  const [likely, sameOrganisation, recent] = await Promise.all([
    statement.likelyDuplicateOfId ? db.statement.findUnique({ where: { id: statement.likelyDuplicateOfId }, select }) : null,
    statement.organisationName
      ? db.statement.findMany({ where: { organisationName: statement.organisationName, id: { not: statement.id } }, orderBy: { createdAt: 'desc' }, take: limit, select })
      : [],
    db.statement.findMany({ where: { id: { not: statement.id } }, orderBy: { createdAt: 'desc' }, take: limit, select }),
  ]);
  const seen = new Set<string>();
  return [likely, ...sameOrganisation, ...recent].filter((s): s is NonNullable<typeof s> => {
    if (!s || seen.has(s.id)) return false;
    seen.add(s.id);
    return true;
  }).slice(0, limit);
}

export async function findStatementTitle(db: DbTx, id: string | null) {
  if (!id) return null;
  return db.statement.findUnique({ where: { id }, select: { id: true, title: true, status: true } });
}
