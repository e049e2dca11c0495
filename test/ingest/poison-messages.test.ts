// Issue 10: one email whose Date header was in year 10000 stopped the drop folder, the pending
// step at start and the IMAP source for good. Poison messages planted among good ones, through
// the drop folder, `import` and the pending step: the good ones are drafted at once, the poison
// ones failed with their reasons (or drafted without the value PostgreSQL cannot hold), nothing
// is left `received`, and /ready reports the failures. IMAP: test/imap/imap-poison.test.ts.
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolOf } from '../../src/db/client.ts';
import { importPath } from '../../src/ingest/import-files.ts';
import { checkLikelyDuplicates } from '../../src/ingest/likely-duplicates.ts';
import { processPendingMessages } from '../../src/ingest/pipeline.ts';
import { DropFolderSource } from '../../src/ingest/sources/drop-folder.ts';
import { storeRawMessages } from '../../src/ingest/store-raw.ts';
import { buildTestApp, createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/logger.ts';
import {
  expectAllDrafted,
  expectPoisonOutcomes,
  goodEmails,
  poisonEmails,
  storedByContent,
  TEST_MAX_MESSAGE_BYTES,
  type PoisonEmail,
} from '../support/poison-emails.ts';

describe('poison messages among good ones', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;
  let dir: string;
  let dropSource: DropFolderSource;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sd-poison-'));
    dropSource = new DropFolderSource({ db: t.db, logger: testLogger, dir: path.join(dir, 'inbox'), maxMessageBytes: TEST_MAX_MESSAGE_BYTES });
    await dropSource.prepare();
    app = await buildTestApp(t.db, { sourceStatuses: () => [dropSource.status()] });
    editor = await createTestEditor(t.db);
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
    await t?.drop();
  });

  const storedBySha = (raws: Buffer[]) => storedByContent(t.db, raws);
  const expectPoisonHandled = (poisons: PoisonEmail[]) => expectPoisonOutcomes(t.db, poisons);
  const expectDrafted = (raws: Buffer[]) => expectAllDrafted(t.db, raws);

  it('drop folder: drafts the good files in the same scan, moves each poison file to failed/ with its reason', { timeout: 120_000 }, async () => {
    const inbox = path.join(dir, 'inbox');
    const poisons = poisonEmails('drop');
    const good = goodEmails('drop', 4);
    // Good ones before, between and after the poison ones, in one batch.
    const files: [string, Buffer][] = [
      ['00-good.eml', good[0]!],
      ...poisons.map((p, i): [string, Buffer] => [`${String(i + 1).padStart(2, '0')}-${p.name}.eml`, p.raw]),
      ['50-good.eml', good[1]!],
      ['51-good.eml', good[2]!],
      ['99-good.eml', good[3]!],
    ];
    const past = new Date(Date.now() - 10_000);
    for (const [name, raw] of files) {
      await writeFile(path.join(inbox, name), raw);
      await utimes(path.join(inbox, name), past, past);
    }
    const results = await dropSource.scanOnce();
    const byFile = Object.fromEntries(results.map((r) => [path.basename(r.file), r.outcome]));
    const expectedFailed = new Set(poisons.filter((p) => p.expected.status === 'failed').map((p) => p.name));
    expect(byFile).toEqual(Object.fromEntries(files.map(([name]) => [name, [...expectedFailed].some((n) => name.endsWith(`-${n}.eml`)) ? 'failed' : 'processed'])));
    expect((await readdir(inbox)).filter((f) => f.endsWith('.eml'))).toEqual([]);
    expect(await readFile(path.join(inbox, 'failed', '04-oversize.eml.error.txt'), 'utf8')).toMatch(/^message too large: /);
    await expectDrafted(good);
    await expectPoisonHandled(poisons);
    expect(dropSource.status().lastError).toBeNull();
  });

  it('/ready counts the failed messages, and tells a signed-in editor the last reason', async () => {
    const failed = await t.db.message.count({ where: { status: 'failed' } });
    expect(failed).toBeGreaterThanOrEqual(2);
    const anonymous = await app.inject('/ready');
    expect(anonymous.statusCode).toBe(200);
    const body = anonymous.json();
    expect(body.status).toBe('ready');
    expect(body.ingest.failedMessages).toBe(failed);
    expect(body.ingest.lastFailure).toMatchObject({ messageId: null, reason: null });
    expect(Date.parse(body.ingest.lastFailure.failedAt)).not.toBeNaN();
    const signedIn = (await app.inject({ url: '/ready', headers: editor.headers })).json();
    const last = await t.db.message.findFirstOrThrow({ where: { status: 'failed' }, orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }] });
    expect(signedIn.ingest.lastFailure).toMatchObject({ messageId: last.id, reason: last.error });
  });

  it('import: drafts the good messages and fails the poison ones, and says how many of each', async () => {
    const folder = path.join(dir, 'import');
    await mkdir(folder);
    const poisons = poisonEmails('import');
    const good = goodEmails('import', 3);
    await writeFile(path.join(folder, 'a-good.eml'), good[0]!);
    for (const p of poisons) await writeFile(path.join(folder, `b-${p.name}.eml`), p.raw);
    await writeFile(path.join(folder, 'c-good.eml'), good[1]!);
    await writeFile(path.join(folder, 'd-good.eml'), good[2]!);
    const summary = await importPath({ db: t.db, logger: testLogger, maxMessageBytes: TEST_MAX_MESSAGE_BYTES }, folder);
    const failing = poisons.filter((p) => p.expected.status === 'failed').length;
    expect(summary).toEqual({ files: 3 + poisons.length, messages: 3 + poisons.length, alreadyStored: 0, drafted: 3 + poisons.length - failing, ignored: 0, failed: failing });
    await expectDrafted(good);
    await expectPoisonHandled(poisons);
  });

  it('the pending step at start processes the rest around the poison ones, and the next start finds nothing to do', async () => {
    // Stored raw by a run that stopped before processing them (a crash, or the old behaviour).
    const poisons = poisonEmails('pending');
    const good = goodEmails('pending', 3);
    const raws = [good[0]!, ...poisons.map((p) => p.raw), good[1]!, good[2]!];
    await storeRawMessages(t.db, raws.map((raw) => ({ raw, source: 'drop' as const })));
    const deps = { db: t.db, logger: testLogger, maxMessageBytes: TEST_MAX_MESSAGE_BYTES };
    expect(await processPendingMessages(deps, { pageSize: 3 })).toBe(raws.length);
    await expectDrafted(good);
    await expectPoisonHandled(poisons);
    expect(await t.db.message.count({ where: { status: 'received' } })).toBe(0);
    expect(await processPendingMessages(deps, { pageSize: 3 })).toBe(0);
  });

  it('passes a message nothing can be recorded on, once per run, instead of looping on it', async () => {
    // A real refusal from PostgreSQL of every write to one message's row: it can be neither
    // drafted nor marked failed, so it stays `received`. The pending step used to page from the
    // start again and again, and never ended.
    await t.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_stuck() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.message_id_header LIKE 'statement-good-stuck-1@%' THEN RAISE EXCEPTION 'refused for the test' USING ERRCODE = '22023'; END IF;
        RETURN NEW;
      END $$`);
    await t.db.$executeRawUnsafe('CREATE TRIGGER refuse_stuck BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION refuse_stuck()');
    try {
      const raws = goodEmails('stuck', 4);
      await storeRawMessages(t.db, raws.map((raw) => ({ raw, source: 'drop' as const })));
      const deps = { db: t.db, logger: testLogger };
      expect(await processPendingMessages(deps, { pageSize: 1 })).toBe(4);
      const stored = await storedBySha(raws);
      expect(stored.map((m) => m?.status)).toEqual(['received', 'drafted', 'drafted', 'drafted']);
      // The next start tries it again, once, and ends.
      expect(await processPendingMessages(deps, { pageSize: 1 })).toBe(1);
    } finally {
      await t.db.$executeRawUnsafe('DROP TRIGGER refuse_stuck ON messages');
      await t.db.$executeRawUnsafe('DROP FUNCTION refuse_stuck()');
    }
  });

  it('moves a file the database will not store to failed/ alone, and imports around a message it will not store', { timeout: 120_000 }, async () => {
    // A real refusal from PostgreSQL of storing one email (a trigger on its Message-ID): not an
    // outage, so the files beside it must not wait for it forever.
    await t.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_store() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.message_id_header LIKE 'statement-good-unstorable-%-2@%' THEN RAISE EXCEPTION 'refused for the test' USING ERRCODE = '22023'; END IF;
        RETURN NEW;
      END $$`);
    await t.db.$executeRawUnsafe('CREATE TRIGGER refuse_store BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_store()');
    try {
      const inbox = path.join(dir, 'inbox');
      const dropped = goodEmails('unstorable-drop', 3);
      const past = new Date(Date.now() - 10_000);
      for (const [i, raw] of dropped.entries()) {
        await writeFile(path.join(inbox, `unstorable-${i + 1}.eml`), raw);
        await utimes(path.join(inbox, `unstorable-${i + 1}.eml`), past, past);
      }
      const results = await dropSource.scanOnce();
      expect(results.map((r) => [path.basename(r.file), r.outcome])).toEqual([
        ['unstorable-1.eml', 'processed'],
        ['unstorable-2.eml', 'failed'],
        ['unstorable-3.eml', 'processed'],
      ]);
      expect(await readFile(path.join(inbox, 'failed', 'unstorable-2.eml.error.txt'), 'utf8')).toMatch(
        /^could not store or process it: the database refused it \(22023: refused for the test\)/,
      );
      expect(await readFile(path.join(inbox, 'failed', 'unstorable-2.eml'))).toEqual(dropped[1]);
      await expectDrafted([dropped[0]!, dropped[2]!]);

      const folder = path.join(dir, 'import-unstorable');
      await mkdir(folder);
      const imported = goodEmails('unstorable-import', 3);
      for (const [i, raw] of imported.entries()) await writeFile(path.join(folder, `${i + 1}.eml`), raw);
      const summary = await importPath({ db: t.db, logger: testLogger }, folder);
      expect(summary).toMatchObject({ messages: 3, drafted: 2, failed: 1 });
      await expectDrafted([imported[0]!, imported[2]!]);
    } finally {
      await t.db.$executeRawUnsafe('DROP TRIGGER refuse_store ON messages');
      await t.db.$executeRawUnsafe('DROP FUNCTION refuse_store()');
    }
  });

  it('fails only the draft whose likely-duplicate check PostgreSQL refuses; the others get their answer', async () => {
    const draft = (statementDate: string | null) => ({
      title: 'Stop the evictions',
      organisationName: 'Tenants Union',
      organisationShort: null,
      organisationId: null,
      statementDate,
      language: 'en',
      bodyText: 'The allotment gardeners association refuses the sale of the riverside gardens to developers.',
      bodyHtml: '<p>The allotment gardeners association refuses the sale of the riverside gardens to developers.</p>',
      signatories: [],
      forwardedBy: null,
      senderAddress: null,
      senderVerified: false,
      provenance: {} as never,
      warnings: [],
    });
    const found = await checkLikelyDuplicates(poolOf(t.db), [
      { id: '00000000-0000-4000-8000-000000000001', draft: draft('2022-03-01') },
      { id: '00000000-0000-4000-8000-000000000002', draft: draft('+010000-01') },
      { id: '00000000-0000-4000-8000-000000000003', draft: draft('2022-03-01') },
    ]);
    expect(found[0]).toBeNull();
    expect(found[1]).toHaveProperty('error');
    // The third is compared with the first (the refused one is never written, so it is not a candidate).
    expect(found[2]).toMatchObject({ id: '00000000-0000-4000-8000-000000000001' });
  });
});
