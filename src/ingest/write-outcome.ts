// The pipeline's writes for one message, in one node-postgres transaction (see
// src/db/client.ts for why not Prisma here): the parsed fields and the outcome on the message,
// guarded on `status = received` so two workers never both record one; its attachments; its
// draft statement.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { DraftFields } from '../extract/types.ts';
import { statementSlug } from '../publishing/slug.ts';
import type { ParsedAttachment, ParsedMessageFields } from '../extract/parsed-email.ts';

export type MessageVerdict =
  | { status: 'drafted' }
  | { status: 'ignored'; reason: string; notStatement: boolean };

/** Records what the pipeline made of a message; false when it was no longer `received`. */
export async function claimMessage(
  client: pg.ClientBase,
  input: { messageId: string; fields: ParsedMessageFields; verdict: MessageVerdict; now: Date },
): Promise<boolean> {
  const f = input.fields;
  const v = input.verdict;
  const result = await client.query(
    `UPDATE messages SET
       message_id_header = $2, from_address = $3, from_name = $4, to_addresses = $5, subject = $6,
       sent_at = $7, in_reply_to = $8, headers = $9::jsonb, text_body = $10, html_body = $11,
       parsed_at = $12, status = $13::"MessageStatus", status_reason = $14, not_statement = $15
     WHERE id = $1::uuid AND status = 'received'`,
    [
      input.messageId, f.messageIdHeader, f.fromAddress, f.fromName, f.toAddresses, f.subject,
      f.sentAt, f.inReplyTo, JSON.stringify(f.headers ?? null), f.textBody, f.htmlBody,
      input.now, v.status, v.status === 'ignored' ? v.reason : null, v.status === 'ignored' && v.notStatement,
    ],
  );
  return result.rowCount === 1;
}

export async function insertAttachments(client: pg.ClientBase, messageId: string, attachments: ParsedAttachment[]): Promise<void> {
  if (!attachments.length) return;
  const values: unknown[] = [];
  const rows = attachments.map((a, i) => {
    const n = i * 9;
    values.push(messageId, a.filename || null, a.contentType, a.size, a.sha256, a.content, a.contentId || null, a.inline, a.text || null);
    return `(gen_random_uuid(), $${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}, $${n + 8}, $${n + 9})`;
  });
  await client.query(
    `INSERT INTO attachments (id, message_id, filename, content_type, size, sha256, content, content_id, inline, extracted_text) VALUES ${rows.join(', ')}`,
    values,
  );
}

/** Records that the pipeline could not make anything of a message; false when it was no longer `received`. */
export async function markMessageFailed(client: pg.ClientBase, input: { messageId: string; error: string; now: Date }): Promise<boolean> {
  const result = await client.query(
    `UPDATE messages SET status = 'failed', error = $2, status_reason = $3, parsed_at = $4
     WHERE id = $1::uuid AND status = 'received'`,
    [input.messageId, input.error, input.error.split(':')[0] || 'failed', input.now],
  );
  return result.rowCount === 1;
}

/**
 * Creates the draft statement of a message and returns its id (`id` when given: a batch knows
 * its drafts' ids before writing them, to compare them with each other).
 */
export async function insertDraft(
  client: pg.ClientBase,
  input: { id?: string; messageId: string; draft: DraftFields; likelyDuplicateOfId: string | null; now: Date },
): Promise<string> {
  const id = input.id ?? randomUUID();
  const d = input.draft;
  await client.query(
    `INSERT INTO statements (id, slug, message_id, title, organisation_name, organisation_short, organisation_id,
       statement_date, language, body_text, body_html, signatories, extraction, forwarded_by, sender_verified,
       likely_duplicate_of_id, created_at, updated_at, content_updated_at, sender_address)
     VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7::uuid, $8::date, $9, $10, $11, $12::jsonb, $13::jsonb, $14, $15, $16::uuid, $17, $17, $17, $18)`,
    [
      id, statementSlug(d.title, id), input.messageId, d.title, d.organisationName, d.organisationShort, d.organisationId,
      d.statementDate, d.language, d.bodyText, d.bodyHtml, JSON.stringify(d.signatories),
      JSON.stringify({ fields: d.provenance, warnings: d.warnings }), d.forwardedBy, d.senderVerified, input.likelyDuplicateOfId, input.now,
      d.senderAddress,
    ],
  );
  return id;
}

/** A message that corrects a statement: attached to it as a pending correction, not a new draft. */
export async function insertCorrection(
  client: pg.ClientBase,
  input: { statementId: string; messageId: string; matchedBy: string; title: string; bodyText: string; signatories: unknown[]; now: Date },
): Promise<void> {
  await client.query(
    `INSERT INTO statement_corrections (id, statement_id, message_id, matched_by, title, body_text, signatories, created_at)
     VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4, $5, $6::jsonb, $7)
     ON CONFLICT (message_id) DO NOTHING`,
    [input.statementId, input.messageId, input.matchedBy, input.title, input.bodyText, JSON.stringify(input.signatories), input.now],
  );
}
