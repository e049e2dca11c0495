// The Prisma client (Prisma 7, driver adapter for node-postgres). Everything else receives a
// `Db` and calls small named data-access functions with it.
//
// The adapter runs on a node-postgres pool we create, so the ingest hot path can write through
// the same pool directly (poolOf, inPgTransaction): Prisma 7 adds about 2.5 ms to every query
// here (its query compiler), and ingest makes half a dozen writes per message, with megabytes
// of bytes among them. Everything else goes through Prisma.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient, Prisma } from '../generated/prisma/client.ts';

export { Prisma };
export type Db = PrismaClient;
/** A client or an interactive transaction: what data-access functions take. */
export type DbTx = Prisma.TransactionClient | PrismaClient;

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(databaseUrl: string, options: { maxConnections?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
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
