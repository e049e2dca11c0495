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

export interface Claim {
  messageId: string;
  fields: ParsedMessageFields;
  verdict: MessageVerdict;
  now: Date;
}

/** Records what the pipeline made of a message; false when it was no longer `received`. */
export async function claimMessage(client: pg.ClientBase, input: Claim): Promise<boolean> {
  return (await claimMessages(client, [input])).has(input.messageId);
}

/**
 * Records what the pipeline made of messages (distinct ones), in one statement; returns the ids
 * of those claimed, that is, still `received` until now.
 */
export async function claimMessages(client: pg.ClientBase, inputs: Claim[]): Promise<Set<string>> {
  const claimed = new Set<string>();
  for (const part of inGroups(inputs, CLAIM_PARAMS)) {
    const values: unknown[] = [];
    const rows = part.map(({ messageId, fields: f, verdict: v, now }, i) => {
      values.push(
        messageId, f.messageIdHeader, f.fromAddress, f.fromName, f.toAddresses, f.subject, f.sentAt, f.inReplyTo, JSON.stringify(f.headers ?? null),
        f.textBody, f.htmlBody, now, v.status, v.status === 'ignored' ? v.reason : null, v.status === 'ignored' && v.notStatement,
      );
      const p = i * CLAIM_PARAMS;
      return `($${p + 1}::uuid, $${p + 2}::text, $${p + 3}::text, $${p + 4}::text, $${p + 5}::text[], $${p + 6}::text, $${p + 7}::timestamptz, $${p + 8}::text,
        $${p + 9}::jsonb, $${p + 10}::text, $${p + 11}::text, $${p + 12}::timestamptz, $${p + 13}::"MessageStatus", $${p + 14}::text, $${p + 15}::boolean)`;
    });
    const result = await client.query<{ id: string }>(
      `UPDATE messages m SET
         message_id_header = v.message_id_header, from_address = v.from_address, from_name = v.from_name, to_addresses = v.to_addresses,
         subject = v.subject, sent_at = v.sent_at, in_reply_to = v.in_reply_to, headers = v.headers, text_body = v.text_body,
         html_body = v.html_body, parsed_at = v.parsed_at, status = v.status, status_reason = v.status_reason, not_statement = v.not_statement
       FROM (VALUES ${rows.join(', ')}) AS v (id, message_id_header, from_address, from_name, to_addresses, subject, sent_at, in_reply_to,
         headers, text_body, html_body, parsed_at, status, status_reason, not_statement)
       WHERE m.id = v.id AND m.status = 'received'
       RETURNING m.id::text AS id`,
      values,
    );
    for (const { id } of result.rows) claimed.add(id);
  }
  return claimed;
}

export async function insertAttachments(client: pg.ClientBase, messageId: string, attachments: ParsedAttachment[]): Promise<void> {
  await insertAttachmentsOf(client, [{ messageId, attachments }]);
}

/** The attachments of several messages, in as few statements as the parameter limit allows. */
export async function insertAttachmentsOf(client: pg.ClientBase, messages: { messageId: string; attachments: ParsedAttachment[] }[]): Promise<void> {
  const all = messages.flatMap(({ messageId, attachments }) => attachments.map((a) => ({ messageId, a })));
  for (const part of inGroups(all, ATTACHMENT_PARAMS)) {
    const values: unknown[] = [];
    const rows = part.map(({ messageId, a }, i) => {
      const n = i * ATTACHMENT_PARAMS;
      values.push(messageId, a.filename || null, a.contentType, a.size, a.sha256, a.content, a.contentId || null, a.inline, a.text || null);
      return `(gen_random_uuid(), $${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}, $${n + 8}, $${n + 9})`;
    });
    await client.query(
      `INSERT INTO attachments (id, message_id, filename, content_type, size, sha256, content, content_id, inline, extracted_text) VALUES ${rows.join(', ')}`,
      values,
    );
  }
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

export interface DraftInsert {
  id?: string;
  messageId: string;
  draft: DraftFields;
  likelyDuplicateOfId: string | null;
  now: Date;
}

/**
 * Creates the draft statement of a message and returns its id (`id` when given: a batch knows
 * its drafts' ids before writing them, to compare them with each other).
 */
export async function insertDraft(client: pg.ClientBase, input: DraftInsert): Promise<string> {
  return (await insertDrafts(client, [input]))[0]!;
}

/** Creates draft statements, in order (a draft may be a likely duplicate of one before it), in one statement; returns their ids. */
export async function insertDrafts(client: pg.ClientBase, inputs: DraftInsert[]): Promise<string[]> {
  const ids = inputs.map((input) => input.id ?? randomUUID());
  const size = rowsPerStatement(DRAFT_PARAMS);
  for (let start = 0; start < inputs.length; start += size) {
    const part = inputs.slice(start, start + size);
    const values: unknown[] = [];
    const rows = part.map(({ messageId, draft: d, likelyDuplicateOfId, now }, i) => {
      const id = ids[start + i]!;
      values.push(
        id, statementSlug(d.title, id), messageId, d.title, d.organisationName, d.organisationShort, d.organisationId,
        d.statementDate, d.language, d.bodyText, d.bodyHtml, JSON.stringify(d.signatories),
        JSON.stringify({ fields: d.provenance, warnings: d.warnings }), d.forwardedBy, d.senderVerified, likelyDuplicateOfId, now, d.senderAddress,
      );
      const p = i * DRAFT_PARAMS;
      return `($${p + 1}::uuid, $${p + 2}, $${p + 3}::uuid, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}::uuid, $${p + 8}::date, $${p + 9}, $${p + 10},
        $${p + 11}, $${p + 12}::jsonb, $${p + 13}::jsonb, $${p + 14}, $${p + 15}::boolean, $${p + 16}::uuid, $${p + 17}::timestamptz, $${p + 17}::timestamptz, $${p + 17}::timestamptz, $${p + 18})`;
    });
    await client.query(
      `INSERT INTO statements (id, slug, message_id, title, organisation_name, organisation_short, organisation_id,
         statement_date, language, body_text, body_html, signatories, extraction, forwarded_by, sender_verified,
         likely_duplicate_of_id, created_at, updated_at, content_updated_at, sender_address)
       VALUES ${rows.join(', ')}`,
      values,
    );
  }
  return ids;
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

/** Parameters per row of each multi-row statement above. */
const CLAIM_PARAMS = 15;
const ATTACHMENT_PARAMS = 9;
const DRAFT_PARAMS = 18;
/** PostgreSQL takes at most 65,535 parameters in one statement; a bound well below that keeps each statement modest. */
const MAX_PARAMS = 16_000;

/** `items` in runs that fit one statement of `paramsPerRow` parameters a row. */
function inGroups<T>(items: T[], paramsPerRow: number): T[][] {
  const size = rowsPerStatement(paramsPerRow);
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}

function rowsPerStatement(paramsPerRow: number): number {
  return Math.floor(MAX_PARAMS / paramsPerRow);
}
