// `import` as one stream through the pipeline (import-files.ts, ingest-raw.ts ingestRawStream):
// an mbox of several batches, with a copy of a message in a later batch, an unparseable message
// and one the database refuses to store, comes out with every message stored once, the right
// counts, and progress that only moves forward and ends at the summary.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPath, type ImportProgress } from '../../src/ingest/import-files.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { statementEmail, unparseableEmail } from '../support/imap-emails.ts';
import { testLogger } from '../support/logger.ts';

/** An mbox (mboxrd: no line of these emails starts with "From ") of the given emails. */
function mbox(emails: Buffer[]): string {
  return emails.map((raw) => `From press@example.org Tue Mar  1 09:00:00 2022\n${raw.toString('utf8').replace(/\r\n/g, '\n')}\n`).join('');
}

describe('import as one stream', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sd-import-stream-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await t?.drop();
  });

  it('stores and drafts every message of many batches once, with counts and progress that add up', { timeout: 120_000 }, async () => {
    // More than four batches of 64, so batches follow each other through the pipeline.
    const distinct = 300;
    const emails = Array.from({ length: distinct }, (_, n) => statementEmail('stream', n));
    // A copy of message 5 in a later batch, an unparseable message, and one the database refuses.
    emails.splice(200, 0, emails[5]!);
    emails.splice(150, 0, unparseableEmail('stream'));
    emails.splice(100, 0, statementEmail('stream-refused', 1));
    const file = path.join(dir, 'archive.mbox');
    await writeFile(file, mbox(emails));
    await t.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_store() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.message_id_header LIKE 'statement-stream-refused-%' THEN RAISE EXCEPTION 'refused for the test' USING ERRCODE = '22023'; END IF;
        RETURN NEW;
      END $$`);
    await t.db.$executeRawUnsafe('CREATE TRIGGER refuse_store BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_store()');
    const seen: ImportProgress[] = [];
    try {
      const summary = await importPath({ db: t.db, logger: testLogger }, file, { onProgress: (p) => seen.push(p) });
      // The copy is recognised by its Message-ID when it is stored: counted as stored before.
      expect(summary).toEqual({ files: 1, messages: distinct + 3, alreadyStored: 1, drafted: distinct, ignored: 0, failed: 2 });
    } finally {
      await t.db.$executeRawUnsafe('DROP TRIGGER refuse_store ON messages');
      await t.db.$executeRawUnsafe('DROP FUNCTION refuse_store()');
    }
    expect(await t.db.message.count()).toBe(distinct + 1);
    expect(await t.db.message.count({ where: { status: 'received' } })).toBe(0);
    expect(await t.db.message.count({ where: { status: 'failed' } })).toBe(1);
    expect(await t.db.statement.count()).toBe(distinct);
    const titles = await t.db.statement.findMany({ select: { title: true } });
    expect(new Set(titles.map((s) => s.title)).size).toBe(distinct);

    // Progress while it ran: after each chunk, never backwards, ending at the summary.
    expect(seen.length).toBeGreaterThan(10);
    for (const [i, p] of seen.entries()) {
      if (i) expect(p.messages).toBeGreaterThanOrEqual(seen[i - 1]!.messages);
      expect(p.bytesRead).toBeLessThanOrEqual(p.bytesTotal);
    }
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ messages: distinct + 3, drafted: distinct, failed: 2 });
    // Read to the end (an mbox's bytes read count its messages, not its "From " lines).
    expect(last.bytesRead).toBeGreaterThan(0.9 * last.bytesTotal);
  });

  it('a second run of the same archive skips all of it, batch by batch, without storing anything again', async () => {
    const file = path.join(dir, 'archive.mbox');
    const before = await t.db.message.count();
    const summary = await importPath({ db: t.db, logger: testLogger }, file);
    // The message refused the first time is stored now (the trigger is gone) and drafted.
    expect(summary).toEqual({ files: 1, messages: 303, alreadyStored: 302, drafted: 1, ignored: 0, failed: 0 });
    expect(await t.db.message.count()).toBe(before + 1);
  });
});
