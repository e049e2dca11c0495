// The outbox's reads and writes for the sender loop (node-postgres, one statement each).
// Claiming uses SELECT ... FOR UPDATE SKIP LOCKED and a lease: several processes never hold the
// same mail at once, and a mail whose lease ran out without an outcome (its process died) is
// taken again. Such an interrupted attempt may have been delivered: `interrupted` counts them, and
// after MAX_INTERRUPTED the mail is left unsent, so a mail is sent at most twice.
import { poolOf, type Db } from '../db/client.ts';
import { outboxMessageId } from './acknowledge.ts';

export const MAX_INTERRUPTED = 2;
/** Attempts (deferrals, outages) before a mail is given up. */
export const MAX_ATTEMPTS = 12;

export interface OutboxRow {
  id: string;
  kind: 'acknowledgement' | 'published';
  to_address: string;
  message_id_header: string;
  subject: string;
  in_reply_to: string | null;
  references: string[];
  language: string | null;
  payload: Record<string, string>;
  attempts: number;
  interrupted: number;
  created_at: Date;
}

export async function claimOutboxMails(db: Db, input: { workerId: string; leaseMs: number; limit: number }): Promise<OutboxRow[]> {
  const { rows } = await poolOf(db).query<OutboxRow>(
    `WITH due AS (
       SELECT id FROM outbox
       WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
       ORDER BY next_attempt_at LIMIT $3
       FOR UPDATE SKIP LOCKED)
     UPDATE outbox o SET lease_until = now() + make_interval(secs => $2::double precision / 1000), leased_by = $1,
       attempts = o.attempts + 1, interrupted = o.interrupted + (o.leased_by IS NOT NULL)::int
     FROM due WHERE o.id = due.id
     RETURNING o.id::text AS id, o.kind, o.to_address, o.message_id_header, o.subject, o.in_reply_to, o."references",
       o.language, o.payload, o.attempts, o.interrupted, o.created_at`,
    [input.workerId, input.leaseMs, input.limit],
  );
  return rows;
}

/** The outcome, written only while we still hold the lease; false when another process took the mail. */
export async function recordSent(db: Db, id: string, workerId: string, response: string): Promise<boolean> {
  // The status link leaves the outbox once it is delivered: only its hash stays (submissions).
  const result = await poolOf(db).query(
    `UPDATE outbox SET status = 'sent', sent_at = now(), smtp_response = $3, last_error = NULL, lease_until = NULL,
       leased_by = NULL, payload = payload - 'statusUrl'
     WHERE id = $1::uuid AND leased_by = $2 AND status = 'pending'`,
    [id, workerId, response.slice(0, 1000)],
  );
  return result.rowCount === 1;
}

export async function recordRetry(db: Db, id: string, workerId: string, input: { error: string; response: string | null; delayMs: number }): Promise<void> {
  await poolOf(db).query(
    `UPDATE outbox SET last_error = $3, smtp_response = coalesce($4, smtp_response), lease_until = NULL, leased_by = NULL,
       next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
     WHERE id = $1::uuid AND leased_by = $2 AND status = 'pending'`,
    [id, workerId, input.error.slice(0, 1000), input.response, input.delayMs],
  );
}

/** Gives mails back untouched after an outage: the attempt does not count against them. */
export async function releaseClaims(db: Db, ids: string[], workerId: string, error: string): Promise<void> {
  await poolOf(db).query(
    `UPDATE outbox SET last_error = $3, lease_until = NULL, leased_by = NULL, attempts = greatest(attempts - 1, 0)
     WHERE id = ANY($1::uuid[]) AND leased_by = $2 AND status = 'pending'`,
    [ids, workerId, error.slice(0, 1000)],
  );
}

export async function recordFailed(db: Db, id: string, workerId: string, input: { reason: string; response: string | null }): Promise<void> {
  await poolOf(db).query(
    `UPDATE outbox SET status = 'failed', reason = $3, last_error = $3, smtp_response = coalesce($4, smtp_response),
       lease_until = NULL, leased_by = NULL, payload = payload - 'statusUrl'
     WHERE id = $1::uuid AND leased_by = $2 AND status = 'pending'`,
    [id, workerId, input.reason.slice(0, 1000), input.response],
  );
}

/**
 * NOTIFY_ON_PUBLISH: one "published" mail per statement whose sender got an acknowledgement,
 * threaded under it. Idempotent (one per statement and kind); a few at a time.
 */
export async function enqueuePublishedNotices(db: Db, from: string, limit = 50): Promise<number> {
  const { rows: due } = await poolOf(db).query<{ statement_id: string; message_id: string | null; to_address: string; subject: string; ack_id: string; in_reply_to: string | null; references: string[]; language: string | null; title: string; slug: string }>(
    `SELECT s.id::text AS statement_id, a.message_id::text AS message_id, a.to_address, a.subject, a.message_id_header AS ack_id,
       a.in_reply_to, a."references", s.language, s.title, s.slug
     FROM outbox a JOIN statements s ON s.id = a.statement_id
     WHERE a.kind = 'acknowledgement' AND a.status = 'sent' AND s.status = 'published'
       AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.statement_id = s.id AND p.kind = 'published')
     ORDER BY s.published_at LIMIT $1`,
    [limit],
  );
  let queued = 0;
  for (const row of due) {
    const id = crypto.randomUUID();
    const result = await poolOf(db).query(
      `INSERT INTO outbox (id, kind, status, statement_id, message_id, to_address, message_id_header, subject, in_reply_to, "references", language, payload)
       VALUES ($1::uuid, 'published', 'pending', $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10::jsonb)
       ON CONFLICT (statement_id, kind) DO NOTHING`,
      [
        id, row.statement_id, row.message_id, row.to_address, outboxMessageId('published', id, from), row.subject, row.ack_id,
        [...row.references, row.ack_id].slice(-20), row.language, JSON.stringify({ title: row.title, slug: row.slug }),
      ],
    );
    queued += result.rowCount ?? 0;
  }
  return queued;
}
