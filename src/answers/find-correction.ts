// Which statement a new message corrects, if any (issue 13): one it replies to (In-Reply-To or
// References names our acknowledgement or the original submission), or the same sender's
// statement of the last 14 days with a near-identical title when the message reads as a
// correction. Runs in the pipeline's write transaction, so a statement drafted earlier in the
// same chunk is found.
import type pg from 'pg';
import type { ParsedMessageFields } from '../extract/parsed-email.ts';
import { nearIdenticalTitles, readsAsCorrection } from './correction-words.ts';
import { threadIds } from './loop-safety.ts';

export const SAME_SENDER_WINDOW_DAYS = 14;

export interface CorrectionTarget {
  statementId: string;
  matchedBy: 'thread' | 'same_sender';
  /** The statement's title and signatories: a correction's copies of them are not part of its text. */
  title: string;
  signatoryNames: string[];
}

type Row = { id: string; title: string; signatories: unknown };
const namesOf = (signatories: unknown) => (Array.isArray(signatories) ? signatories.map((s) => String((s as { name?: unknown }).name ?? '')) : []);

/**
 * Whether findCorrectionTarget could find a statement for a message with these fields: it reads
 * the database only then. The pipeline writes the outcomes of the messages for which it could
 * not together, without asking it.
 */
export function mayCorrectAStatement(fields: ParsedMessageFields): boolean {
  return repliedTo(fields).length > 0 || sameSenderLookup(fields) !== null;
}

/** The Message-IDs a message replies to. */
function repliedTo(fields: ParsedMessageFields): string[] {
  const ids = threadIds((fields.headers ?? {}) as Record<string, string[]>);
  if (fields.inReplyTo && !ids.includes(fields.inReplyTo)) ids.push(fields.inReplyTo);
  return ids;
}

/** The sender whose recent statements a message that reads as a correction is compared with. */
function sameSenderLookup(fields: ParsedMessageFields): string | null {
  const from = fields.fromAddress?.trim().toLowerCase();
  return from && readsAsCorrection(fields.subject, fields.textBody) ? from : null;
}

export async function findCorrectionTarget(
  client: pg.ClientBase,
  input: { messageId: string; fields: ParsedMessageFields; title: string | null; now: Date },
): Promise<CorrectionTarget | null> {
  const ids = repliedTo(input.fields);
  if (ids.length) {
    const { rows } = await client.query<Row>(
      `SELECT s.id::text AS id, s.title, s.signatories FROM statements s
       WHERE s.id IN (SELECT statement_id FROM outbox WHERE message_id_header = ANY($1::text[]) AND statement_id IS NOT NULL
                      UNION ALL
                      SELECT s2.id FROM messages m JOIN statements s2 ON s2.message_id = m.id
                      WHERE m.message_id_header = ANY($1::text[]) AND m.id <> $2::uuid)
       LIMIT 1`,
      [ids.slice(-50), input.messageId],
    );
    if (rows[0]) return { statementId: rows[0].id, matchedBy: 'thread', title: rows[0].title, signatoryNames: namesOf(rows[0].signatories) };
  }
  const from = sameSenderLookup(input.fields);
  if (!from) return null;
  const { rows } = await client.query<Row & { subject: string | null }>(
    `SELECT s.id::text AS id, s.title, s.signatories, m.subject FROM messages m JOIN statements s ON s.message_id = m.id
     WHERE m.from_address = $1 AND m.received_at > $2::timestamptz - make_interval(days => $3) AND m.id <> $4::uuid
     ORDER BY m.received_at DESC LIMIT 20`,
    [from, input.now, SAME_SENDER_WINDOW_DAYS, input.messageId],
  );
  const match = rows.find((r) => [input.fields.subject, input.title].some((mine) => nearIdenticalTitles(mine, r.title) || nearIdenticalTitles(mine, r.subject)));
  return match ? { statementId: match.id, matchedBy: 'same_sender', title: match.title, signatoryNames: namesOf(match.signatories) } : null;
}
