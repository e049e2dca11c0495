// Exactly one poller per mailbox across processes: a PostgreSQL advisory lock keyed on the
// mailbox, held on one dedicated connection for as long as the poller runs. The connection is
// pinned by an open interactive transaction holding pg_try_advisory_xact_lock: the lock goes
// away with the transaction, so a crashed process (its connection closed by the server) or a
// stopped poller (transaction ended) always frees it, and it can never be left behind on a
// connection returned to the pool, as a session-level lock could.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.ts';

/** A query on the held connection this often keeps it alive and notices a lost connection. */
export const LOCK_HEARTBEAT_MS = 30_000;
/**
 * Prisma ends an interactive transaction after its `timeout`; the poller then sees the lock as
 * lost, reconnects and takes it again. A day keeps that rare (setTimeout allows about 24.8 days).
 */
const MAX_LOCK_HOLD_MS = 24 * 3_600_000;
/** How long to wait for a free pooled connection to hold the lock on. */
const LOCK_CONNECTION_WAIT_MS = 10_000;

export interface MailboxLock {
  /** Settles when the lock is gone without release() (the connection died): the poller must stop. */
  readonly lost: Promise<Error>;
  release(): Promise<void>;
}

/** The signed 64-bit advisory lock key for a name: the first 8 bytes of its sha256. */
export function advisoryLockKey(name: string): bigint {
  return createHash('sha256').update(`statement-desk:mailbox:${name}`).digest().readBigInt64BE(0);
}

/** Takes the lock if no other session holds it; null when another process polls this mailbox. */
export async function tryAcquireMailboxLock(
  db: Db,
  name: string,
  options: { heartbeatMs?: number } = {},
): Promise<MailboxLock | null> {
  const key = advisoryLockKey(name);
  const heartbeatMs = options.heartbeatMs ?? LOCK_HEARTBEAT_MS;
  let reportAcquired!: (held: boolean) => void;
  const acquired = new Promise<boolean>((resolve) => (reportAcquired = resolve));
  const releaseController = new AbortController();

  const transaction = db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${key}) AS locked`;
      const locked = rows[0]?.locked === true;
      reportAcquired(locked);
      if (!locked) return;
      while (await waitUnlessAborted(heartbeatMs, releaseController.signal)) {
        await tx.$queryRaw`SELECT 1`;
      }
    },
    { maxWait: LOCK_CONNECTION_WAIT_MS, timeout: MAX_LOCK_HOLD_MS },
  );
  const held = await Promise.race([acquired, transaction.then(() => false)]);
  if (!held) {
    await transaction;
    return null;
  }
  const lost = transaction.then(
    () => new Error('the mailbox lock was released'),
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  return {
    lost,
    async release() {
      releaseController.abort();
      await lost;
    },
  };
}

/** Resolves true after `ms`, or false at once when `signal` aborts. */
function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
