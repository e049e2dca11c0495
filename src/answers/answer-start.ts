// Where answering starts for a source (DESIGN.md "Never a mail loop"): the mail a mailbox already
// held at its first sync is history, and so is anything dated before the moment the service first
// read it (or ACK_SINCE). Recorded before that first sync's messages are stored, so the pipeline
// always finds it.
import type { DbTx } from '../db/client.ts';

/** Records the first run against a source; later runs keep the first moment. */
export async function recordAnswerStart(db: DbTx, sourceKey: string, now: Date): Promise<void> {
  await db.answerStart.upsert({ where: { sourceKey }, create: { sourceKey, startedAt: now }, update: {} });
}

/**
 * Marks everything up to `lastUid` under `uidValidity` as the mailbox's history: called at a first
 * sync (and after UIDVALIDITY changed, when every message is fetched again), before storing.
 */
export async function recordMailboxHistory(db: DbTx, sourceKey: string, uidValidity: bigint, lastUid: number, now: Date): Promise<void> {
  await db.answerStart.upsert({
    where: { sourceKey },
    create: { sourceKey, startedAt: now, uidValidity, historyLastUid: BigInt(lastUid) },
    update: { uidValidity, historyLastUid: BigInt(lastUid) },
  });
}
