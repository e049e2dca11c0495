// npm run eval -- <dir>: ingests every .eml of a folder laid out like the statement fixtures
// (emails/*.eml + truth.jsonl) through the real pipeline into a fresh, temporary database, and
// prints one line per field ("title 12/13"), then "N passed, M failed". A report: exit code 0
// whatever the score; 2 when it cannot run.
// Database: EVAL_DATABASE_URL or TEST_DATABASE_URL (a server where we may create databases),
// else the PostgreSQL on 127.0.0.1:5432, else an embedded one started for the run.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb } from '../src/db/client.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { evaluateFolder, formatReport } from './eval-run.ts';

const DEFAULT_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  const dir = process.argv[2];
  if (!dir || !existsSync(path.join(dir, 'truth.jsonl'))) {
    console.error('usage: npm run eval -- <dir>   (the folder must hold truth.jsonl and the emails it names, e.g. ../shared/fixtures/statements)');
    return 2;
  }
  const logger = createLogger('silent');
  let embedded: EmbeddedDatabase | undefined;
  let embeddedDir: string | undefined;
  let adminUrl = process.env.EVAL_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL;
  if (!(await reachable(adminUrl))) {
    embeddedDir = await mkdtemp(path.join(os.tmpdir(), 'statement-desk-eval-pg-'));
    embedded = await startEmbeddedPostgres(embeddedDir, logger);
    adminUrl = embedded.url;
  }
  const name = `sd_eval_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: 2 });
  try {
    await migrateDatabase(url.toString());
    const report = await evaluateFolder(db, path.resolve(dir), logger);
    console.log(formatReport(report));
    for (const failure of report.failures) console.error(`  ${failure.file}: ${failure.fields.join(', ')}`);
    return 0;
  } finally {
    await db.$disconnect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    if (embedded) await embedded.stop();
    if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`eval failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
