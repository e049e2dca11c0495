// The Prisma client (Prisma 7, driver adapter for node-postgres). Everything else receives a
// `Db` and calls small named data-access functions with it.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, Prisma } from '../generated/prisma/client.ts';

export { Prisma };
export type Db = PrismaClient;
/** A client or an interactive transaction: what data-access functions take. */
export type DbTx = Prisma.TransactionClient | PrismaClient;

export function createDb(databaseUrl: string, options: { maxConnections?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
}
