// A migrated scratch database for the benchmarks and the eval, found the way
// test/support/global-setup.ts finds one: the first of the named variables that is set (an admin
// URL of a server where we may create databases), else the PostgreSQL on 127.0.0.1:5432 if one
// answers, else an embedded PostgreSQL in a temporary directory. Dropped by drop().
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';

export interface ScratchDatabase {
  url: string;
  /** Where it runs, for the printout. */
  where: string;
  drop(): Promise<void>;
  /**
   * Leaves the database in place for a look afterwards (EXPLAIN on the bench's data) and returns
   * its URL; an embedded server stops with the process, so its database is dropped and null is
   * returned.
   */
  keep(): Promise<string | null>;
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createScratchDatabase(
  options: { urlVariables: string[]; prefix: string } = { urlVariables: ['BENCH_DATABASE_URL', 'TEST_DATABASE_URL'], prefix: 'sd_bench' },
): Promise<ScratchDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let embeddedDir: string | undefined;
  const named = options.urlVariables.find((v) => process.env[v]);
  let adminUrl = named ? process.env[named]! : 'postgresql://postgres@127.0.0.1:5432/postgres';
  let where = named ? `PostgreSQL from ${named}` : 'PostgreSQL at 127.0.0.1:5432';
  if (!(await reachable(adminUrl))) {
    embeddedDir = await mkdtemp(path.join(os.tmpdir(), `statement-desk-${options.prefix}-pg-`));
    embedded = await startEmbeddedPostgres(embeddedDir, createLogger('warn'));
    adminUrl = embedded.url;
    where = 'embedded PostgreSQL';
  }
  const name = `${options.prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  const scratch: ScratchDatabase = {
    url: url.toString(),
    where,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
      if (embedded) await embedded.stop();
      if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
    },
    async keep() {
      if (embedded) {
        await scratch.drop();
        return null;
      }
      await admin.end();
      return scratch.url;
    },
  };
  return scratch;
}
