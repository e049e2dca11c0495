// Where answering starts for a source (DESIGN.md "Never a mail loop"): the mail a mailbox already
// held at its first sync is history, and so is anything dated before the moment the service first
// read it (or ACK_SINCE). Recorded before that first sync's messages are stored, so the pipeline
// always finds it.
import type { DbTx } from '../db/client.ts';

/**
 * Records the first run against a source; later runs keep the first moment. One atomic INSERT ...
 * ON CONFLICT DO NOTHING: instances starting together on one folder both record it without a
 * unique violation (Prisma's upsert is a read, then a write, and two of them raced).
 */
export async function recordAnswerStart(db: DbTx, sourceKey: string, now: Date): Promise<void> {
  await db.answerStart.createMany({ data: [{ sourceKey, startedAt: now }], skipDuplicates: true });
}

/**
 * Marks everything up to `lastUid` under `uidValidity` as the mailbox's history: called at a first
 * sync (and after UIDVALIDITY changed, when every message is fetched again), before storing.
 */
export async function recordMailboxHistory(db: DbTx, sourceKey: string, uidValidity: bigint, lastUid: number, now: Date): Promise<void> {
  // Atomic, like recordAnswerStart (only the poller holding the mailbox lock gets here, but a
  // read-then-write upsert would still race a drop-folder instance recording the same key).
  await db.$executeRaw`
    INSERT INTO answer_starts (source_key, started_at, uid_validity, history_last_uid)
    VALUES (${sourceKey}, ${now}, ${uidValidity}, ${BigInt(lastUid)})
    ON CONFLICT (source_key) DO UPDATE SET uid_validity = EXCLUDED.uid_validity, history_last_uid = EXCLUDED.history_last_uid`;
}
