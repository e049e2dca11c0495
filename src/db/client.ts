// The Prisma client (Prisma 7, driver adapter for node-postgres). Everything else receives a
// `Db` and calls small named data-access functions with it: only src/db/ and the data-access
// modules call the client (docs/architecture.md, "Reaching the database";
// test/data-access.test.ts keeps the rule).
//
// The adapter runs on a node-postgres pool we create, so the ingest hot path can write through
// the same pool directly (poolOf, inPgTransaction): Prisma 7 adds about 2.5 ms to every query
// here (its query compiler), and ingest makes half a dozen writes per message, with megabytes
// of bytes among them. Elsewhere Prisma, unless the SQL is one Prisma cannot say.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient, Prisma } from '../generated/prisma/client.ts';

export { Prisma };
export type Db = PrismaClient;
/** A client or an interactive transaction: what data-access functions take. */
export type DbTx = Prisma.TransactionClient | PrismaClient;

const pools = new WeakMap<Db, pg.Pool>();

export interface DbOptions {
  maxConnections?: number;
  /**
   * PostgreSQL's statement_timeout on every connection of this pool (ms): a statement running
   * longer is stopped with SQLSTATE 57014. The pool that serves HTTP requests sets it (config
   * REQUEST_STATEMENT_TIMEOUT_MS), so no request can hold a connection and a core for minutes;
   * ingest and migrations run on a pool without it.
   */
  statementTimeoutMs?: number;
}

export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  pool.on('connect', serialiseQueries);
  // An idle connection the server closed (a restart, an administrator) is an 'error' of the pool:
  // pg-pool drops that connection and the next query opens another, and a lasting outage is
  // reported by the query that meets it. Unheard, the event would end the process; Prisma
  // listens too, but only once it has run a query of its own, which a process using this pool
  // alone (poolOf) may never do.
  pool.on('error', () => undefined);
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * Closes a client made by createDb and its pool. Prisma's $disconnect ends the pool only when
 * Prisma itself connected, by running a query: a client used only through poolOf kept its
 * connections open after it.
 */
export async function closeDb(db: Db): Promise<void> {
  await db.$disconnect();
  const pool = pools.get(db);
  if (pool && !pool.ending) await pool.end();
}

/**
 * Makes a connection run its queries one after the other. Inside an interactive transaction
 * Prisma's query engine sends independent reads at once (the relations of an `include`, the
 * rows a nested write returns) on the transaction's one connection; node-postgres queues them
 * itself today but warns that pg 9 will refuse ("client.query() when the client is already
 * executing a query"). Queueing here does what pg's queue did, without relying on it.
 */
function serialiseQueries(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let tail: Promise<unknown> = Promise.resolve();
  client.query = ((...args: unknown[]) => {
    const first = args[0] as { submit?: unknown } | undefined;
    // Callback-style calls and submittables (cursors, streams) keep pg's own behaviour.
    if (typeof args[args.length - 1] === 'function' || typeof first?.submit === 'function') return query(...args);
    const run = tail.then(() => query(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as typeof client.query;
}

/** The node-postgres pool under a client made by createDb. */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('poolOf: this client was not made by createDb');
  return pool;
}

/** Runs fn in a node-postgres transaction on one pooled connection: committed, or rolled back on any error. */
export async function inPgTransaction<T>(db: Db, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await poolOf(db).connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Whether the database answers (GET /ready): a round trip that reads nothing. */
export async function pingDatabase(db: DbTx): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
