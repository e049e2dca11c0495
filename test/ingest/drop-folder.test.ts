// The drop folder (the default source when no IMAP server is configured).
import { mkdtemp, readdir, readFile, rm, writeFile, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropFolderSource } from '../../src/ingest/sources/drop-folder.ts';
import { sha256Hex } from '../../src/ingest/store-raw.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { unparseableEmail } from '../support/imap-emails.ts';
import { testLogger } from '../support/logger.ts';

const statement = (id: string) =>
  Buffer.from(
    `Message-ID: <${id}@example.org>\r\nFrom: Union of Bakers <office@bakers.example.org>\r\nTo: submissions@example.com\r\n` +
      `Date: Tue, 01 Mar 2022 09:00:00 +0100\r\nSubject: Bread for all\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
      `The Union of Bakers demands bread for all.\r\n`,
  );

/** Marks a file as written a while ago, so the settle delay does not hold it back. */
async function settle(file: string) {
  const past = new Date(Date.now() - 10_000);
  await utimes(file, past, past);
}

describe('drop folder', () => {
  let t: TestDatabase;
  let dir: string;
  let source: DropFolderSource;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sd-drop-'));
    // No start(): the tests drive the scans themselves.
    source = new DropFolderSource({ db: t.db, logger: testLogger, dir });
    await source.prepare();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await t?.drop();
  });

  it('ingests a dropped file into a draft, keeps its bytes, and moves it to processed/', async () => {
    const raw = statement('drop-1');
    await writeFile(path.join(dir, 'a.eml'), raw);
    await settle(path.join(dir, 'a.eml'));
    const results = await source.scanOnce();
    expect(results).toEqual([{ file: path.join(dir, 'a.eml'), outcome: 'processed' }]);
    expect(await readdir(path.join(dir, 'processed'))).toEqual(['a.eml']);
    const message = await t.db.message.findFirstOrThrow({ where: { messageIdHeader: 'drop-1@example.org' }, include: { statements: true } });
    expect(message.sha256).toBe(sha256Hex(raw));
    expect(message.status).toBe('drafted');
    expect(message.statements[0]!.title).toBe('Bread for all');
  });

  it('yields the same record when the same file is dropped again, and does not overwrite processed/a.eml', async () => {
    await writeFile(path.join(dir, 'a.eml'), statement('drop-1'));
    await settle(path.join(dir, 'a.eml'));
    await source.scanOnce();
    expect(await t.db.message.count({ where: { messageIdHeader: 'drop-1@example.org' } })).toBe(1);
    expect((await readdir(path.join(dir, 'processed'))).sort()).toEqual(['a-1.eml', 'a.eml']);
  });

  it('moves a message that cannot be parsed to failed/ with the reason beside it, and goes on with the next', async () => {
    await writeFile(path.join(dir, 'b-broken.eml'), unparseableEmail('drop'));
    await writeFile(path.join(dir, 'c-good.eml'), statement('drop-after-broken'));
    await settle(path.join(dir, 'b-broken.eml'));
    await settle(path.join(dir, 'c-good.eml'));
    const results = await source.scanOnce();
    expect(results.map((r) => r.outcome)).toEqual(['failed', 'processed']);
    expect(await readdir(path.join(dir, 'failed'))).toEqual(['b-broken.eml', 'b-broken.eml.error.txt']);
    expect(await readFile(path.join(dir, 'failed', 'b-broken.eml.error.txt'), 'utf8')).toMatch(/could not parse/);
    const broken = await t.db.message.findFirstOrThrow({ where: { messageIdHeader: 'broken-drop@example.org' } });
    expect(broken.status).toBe('failed');
    expect(Buffer.from(broken.raw).equals(unparseableEmail('drop'))).toBe(true);
  });

  it('leaves a file that is still being written for the next scan', async () => {
    await writeFile(path.join(dir, 'fresh.eml'), statement('drop-fresh'));
    expect(await source.scanOnce()).toEqual([]);
    expect(await readdir(dir)).toContain('fresh.eml');
  });
});
