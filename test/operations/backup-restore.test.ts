// Backups as docs/operations.md tells an operator to make them: scripts/backup.sh (pg_dump),
// then scripts/restore.sh into an empty database gives back every statement and every email
// byte for byte, and the service accepts the restored database as up to date.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createStatement } from '../support/statements.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hasClientTools = existsSync('/usr/bin/pg_dump') && existsSync('/usr/bin/pg_restore') && existsSync('/usr/bin/psql');

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ v: string }>('SHOW server_version_num')).rows[0]!.v) / 10000;
  } finally {
    await client.end();
  }
}

async function clientMajor(): Promise<number> {
  const { stdout } = await run('pg_dump', ['--version']);
  return Number(/(\d+)/.exec(stdout)?.[1] ?? 0);
}

describe.skipIf(!hasClientTools)(`backup and restore${hasClientTools ? '' : ' (skipped: pg_dump, pg_restore and psql are not installed; apt-get install postgresql-client)'}`, () => {
  let source: TestDatabase;
  let dir: string;
  let restoredName: string;
  let restoredUrl: string;
  let tooOld = false;
  beforeAll(async () => {
    source = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sd-backup-'));
    tooOld = Math.floor(await serverMajor(source.url)) > (await clientMajor());
    restoredName = `sd_restored_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${restoredName}`);
    await admin.end();
    const url = new URL(source.url);
    url.pathname = `/${restoredName}`;
    restoredUrl = url.toString();
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
    await source?.drop();
  });

  it('restores every statement and every raw email byte for byte, and the service finds the database up to date', async (context) => {
    if (tooOld) context.skip('the installed pg_dump is older than the test server (the embedded PostgreSQL); it cannot dump it');
    const raw = Buffer.concat([Buffer.from('From: a@example.org\r\nSubject: bytes\r\n\r\n'), Buffer.from([1, 2, 0xff, 0xfe, 0xe9, 13, 10])]);
    const statement = await createStatement(source.db, { status: 'published', title: 'Restored intact', message: { raw: raw.toString('latin1') } });
    const dump = path.join(dir, 'desk.dump');

    const backup = await run('bash', [path.join(ROOT, 'scripts/backup.sh'), dump], { env: { ...process.env, DATABASE_URL: source.url } });
    expect(backup.stdout).toMatch(/backed up to .*desk\.dump/);
    const restore = await run('bash', [path.join(ROOT, 'scripts/restore.sh'), dump], { env: { ...process.env, DATABASE_URL: restoredUrl } });
    expect(restore.stdout).toMatch(/restored .* \d+ migration\(s\) recorded/);

    const restored = createDb(restoredUrl, { maxConnections: 2 });
    try {
      const back = await restored.statement.findUniqueOrThrow({ where: { id: statement.id }, include: { message: true } });
      expect(back.title).toBe('Restored intact');
      expect(Buffer.from(back.message!.raw).equals(Buffer.from(statement.message!.raw))).toBe(true);
      expect(await restored.statement.count()).toBe(await source.db.statement.count());
    } finally {
      await restored.$disconnect();
    }
    // Starting the service on it applies nothing and loses nothing.
    await expect(migrateDatabase(restoredUrl)).resolves.not.toThrow();

    // A second restore into the now non-empty database is refused before it touches anything.
    await expect(run('bash', [path.join(ROOT, 'scripts/restore.sh'), dump], { env: { ...process.env, DATABASE_URL: restoredUrl } })).rejects.toMatchObject({
      stderr: expect.stringMatching(/restore into an empty database/),
    });
  });
});
