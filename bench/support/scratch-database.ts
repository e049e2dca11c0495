// A migrated scratch database for a benchmark, found the way test/support/global-setup.ts finds
// one: BENCH_DATABASE_URL or TEST_DATABASE_URL (an admin URL), else the PostgreSQL on
// 127.0.0.1:5432 if one answers, else an embedded PostgreSQL in a temporary directory.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/logger.ts';

export interface ScratchDatabase {
  url: string;
  /** Where it runs, for the printout. */
  where: string;
  drop(): Promise<void>;
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

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let embeddedDir: string | undefined;
  let adminUrl =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  let where = 'PostgreSQL at 127.0.0.1:5432';
  if (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL) where = 'PostgreSQL from BENCH_DATABASE_URL/TEST_DATABASE_URL';
  if (!(await reachable(adminUrl))) {
    embeddedDir = await mkdtemp(path.join(os.tmpdir(), 'statement-desk-bench-pg-'));
    embedded = await startEmbeddedPostgres(embeddedDir, createLogger('warn'));
    adminUrl = embedded.url;
    where = 'embedded PostgreSQL';
  }
  const name = `sd_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return {
    url: url.toString(),
    where,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
      if (embedded) await embedded.stop();
      if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
    },
  };
}
