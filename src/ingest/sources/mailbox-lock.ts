// Exactly one process works a source (an IMAP mailbox, a drop folder) across every instance of
// the service: a session-level PostgreSQL advisory lock keyed on the source's name, held on a
// connection of its own, opened for the lock and closed with it (never one of the pool's).
// - A crashed process's connection is closed by the server, which frees the lock.
// - The lock can never be left behind on a pooled connection handed to other work, because the
//   pool never sees this connection.
// - No transaction stays open while it is held (a transaction held for hours would pin a pooled
//   connection, hold back vacuum, and end at Prisma's transaction timeout).
// A heartbeat query notices a dead connection; the holder is then told through `lost` and must
// stop working the source.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { poolOf, type Db } from '../../db/client.ts';

/** A query on the held connection this often keeps it alive and notices a lost connection. */
export const LOCK_HEARTBEAT_MS = 30_000;
/** How long to wait for the server when opening the lock's connection. */
const LOCK_CONNECT_TIMEOUT_MS = 10_000;

export interface MailboxLock {
  /** Settles when the lock is gone without release() (the connection died): the holder must stop. */
  readonly lost: Promise<Error>;
  release(): Promise<void>;
}

/** The signed 64-bit advisory lock key for a name: the first 8 bytes of its sha256. */
export function advisoryLockKey(name: string): bigint {
  return createHash('sha256').update(`statement-desk:mailbox:${name}`).digest().readBigInt64BE(0);
}

/** Takes the lock if no other session holds it; null when another process works this source. */
export async function tryAcquireMailboxLock(
  db: Db,
  name: string,
  options: { heartbeatMs?: number } = {},
): Promise<MailboxLock | null> {
  const key = advisoryLockKey(name).toString();
  const { connectionString, host, port, user, password, database, ssl } = poolOf(db).options;
  const client = new pg.Client({
    connectionString,
    host,
    port,
    user,
    password,
    database,
    ssl,
    connectionTimeoutMillis: LOCK_CONNECT_TIMEOUT_MS,
    application_name: 'statement-desk source lock',
  } as pg.ClientConfig);
  let reportLost!: (error: Error) => void;
  const lost = new Promise<Error>((resolve) => (reportLost = resolve));
  // Before connect(): a connection that dies at any point must not become an unhandled 'error'.
  client.on('error', (error) => reportLost(error));
  client.on('end', () => reportLost(new Error('the connection holding the lock was closed')));
  await client.connect();
  let locked = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    locked = rows[0]?.locked === true;
  } finally {
    if (!locked) await client.end().catch(() => undefined);
  }
  if (!locked) return null;

  let released = false;
  const heartbeat = setInterval(() => {
    client.query('SELECT 1').catch((error: Error) => reportLost(error));
  }, options.heartbeatMs ?? LOCK_HEARTBEAT_MS);
  heartbeat.unref();
  // What `lost` says once the holder released it itself: nothing was lost, but waiters settle.
  void lost.then(() => clearInterval(heartbeat));
  return {
    lost,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // Ending the session frees the lock; the explicit unlock only makes that visible sooner.
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
      await client.end().catch(() => undefined);
      reportLost(new Error('the mailbox lock was released'));
    },
  };
}
