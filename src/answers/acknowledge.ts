// The acknowledgement of a new draft, decided and written in the transaction that writes the draft
// (src/ingest/write-outcome.ts): either a `pending` outbox row (with the sender's status token),
// or a `suppressed` row saying why nothing is sent. Rolled back with the draft, never without it.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ParsedMessageFields } from '../extract/parsed-email.ts';
import { decideAcknowledgement, threadIds, type AckDecision } from './loop-safety.ts';
import { hashStatusToken, newStatusToken, statusUrl } from './submissions.ts';
import { replySubject } from './templates.ts';

/** What the pipeline needs to answer senders; absent when SMTP is not configured. */
export interface AnswerSettings {
  /** MAIL_FROM: its domain names our Message-IDs. */
  from: string;
  /** Every address of ours (MAIL_FROM, SMTP_USER, IMAP_USER): mail from them is never answered. */
  ourAddresses: string[];
  /** ACK_SINCE: overrides each source's first run as the start point. */
  ackSince?: Date | undefined;
  publicBaseUrl: string;
}

export const ACKNOWLEDGEMENT = 'acknowledgement';

/** Our Message-ID for a mail of the outbox (without angle brackets): stable across retries. */
export function outboxMessageId(kind: 'ack' | 'published', id: string, from: string): string {
  const domain = from.slice(from.lastIndexOf('@') + 1) || 'statement-desk.invalid';
  return `sd-${kind}-${id}@${domain}`;
}

interface MessageFacts {
  source: string;
  received_at: Date;
  history: boolean;
  mailbox_start: Date | null;
  service_start: Date | null;
  recent: number;
}

export async function enqueueAcknowledgement(
  client: pg.ClientBase,
  settings: AnswerSettings,
  input: { messageId: string; statementId: string; fields: ParsedMessageFields; title: string; language: string | null; now: Date },
): Promise<AckDecision> {
  const f = input.fields;
  const to = f.fromAddress?.trim().toLowerCase() ?? null;
  // Two chunks written at once (two processes) must not both slip under the daily limit.
  if (to) await client.query(`SELECT pg_advisory_xact_lock(hashtext('sd-ack:' || $1))`, [to]);
  const { rows } = await client.query<MessageFacts>(
    `SELECT m.source, m.received_at,
       EXISTS (SELECT 1 FROM message_locations l JOIN answer_starts a ON a.source_key = l.mailbox
               AND a.uid_validity = l.uid_validity AND l.uid <= a.history_last_uid WHERE l.message_id = m.id) AS history,
       (SELECT min(a.started_at) FROM message_locations l JOIN answer_starts a ON a.source_key = l.mailbox WHERE l.message_id = m.id) AS mailbox_start,
       (SELECT min(started_at) FROM answer_starts) AS service_start,
       (SELECT count(*)::int FROM outbox o WHERE o.to_address = $2 AND o.kind = 'acknowledgement'
               AND o.status IN ('pending', 'sent') AND o.created_at > $3::timestamptz - interval '24 hours') AS recent
     FROM messages m WHERE m.id = $1::uuid`,
    [input.messageId, to ?? '', input.now],
  );
  const facts = rows[0];
  if (!facts) throw new Error(`message ${input.messageId} vanished while its draft was written`);
  const imported = facts.source === 'mbox' || facts.source === 'import';
  const decision = decideAcknowledgement(
    { headers: (f.headers ?? {}) as Record<string, string[]>, fromAddress: to, notStatement: false, datedAt: f.sentAt ?? facts.received_at },
    {
      ourAddresses: settings.ourAddresses,
      acksToSenderLastDay: facts.recent,
      history: facts.history || imported,
      answerFrom: settings.ackSince ?? facts.mailbox_start ?? facts.service_start,
    },
  );
  const id = randomUUID();
  if (!decision.send) {
    await client.query(
      `INSERT INTO outbox (id, kind, status, statement_id, message_id, to_address, reason, created_at, next_attempt_at)
       VALUES ($1::uuid, 'acknowledgement', 'suppressed', $2::uuid, $3::uuid, $4, $5, $6, $6)
       ON CONFLICT (statement_id, kind) DO NOTHING`,
      [id, input.statementId, input.messageId, to, imported && decision.rule === 'history' ? 'imported from a file: history is never answered' : decision.reason, input.now],
    );
    return decision;
  }
  const token = newStatusToken();
  await client.query(`INSERT INTO submissions (statement_id, token_hash, created_at) VALUES ($1::uuid, $2, $3) ON CONFLICT DO NOTHING`, [
    input.statementId,
    hashStatusToken(token),
    input.now,
  ]);
  const original = f.messageIdHeader;
  const references = [...threadIds((f.headers ?? {}) as Record<string, string[]>).filter((r) => r !== original), ...(original ? [original] : [])].slice(-20);
  await client.query(
    `INSERT INTO outbox (id, kind, status, statement_id, message_id, to_address, message_id_header, subject, in_reply_to,
       "references", language, payload, created_at, next_attempt_at)
     VALUES ($1::uuid, 'acknowledgement', 'pending', $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $11)
     ON CONFLICT (statement_id, kind) DO NOTHING`,
    [
      id, input.statementId, input.messageId, to, outboxMessageId('ack', id, settings.from), replySubject(f.subject), original,
      references, input.language, JSON.stringify({ title: input.title, statusUrl: statusUrl(settings.publicBaseUrl, token) }), input.now,
    ],
  );
  return decision;
}
