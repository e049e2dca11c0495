// Every real-world email of the shared corpus goes through the whole pipeline without a crash:
// each ends drafted, ignored or failed with a reason, with its raw bytes kept exactly.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processMessage } from '../src/ingest/pipeline.ts';
import { sha256Hex, storeRawMessage } from '../src/ingest/store-raw.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { testLogger } from './support/logger.ts';
import { CORPUS_DIR, hasShared, SHARED_MISSING_REASON } from './support/shared.ts';

async function listEmails(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.eml'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

describe.skipIf(!hasShared)(`shared corpus (${hasShared ? 'present' : SHARED_MISSING_REASON})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.drop());

  it('ingests every corpus email: drafted, ignored or failed with a reason, raw bytes identical', { timeout: 300_000 }, async () => {
    const files = await listEmails(CORPUS_DIR);
    expect(files.length).toBeGreaterThan(300);
    const outcomes = new Map<string, string>();
    for (const file of files) {
      const raw = await readFile(file);
      const stored = await storeRawMessage(t.db, { raw, source: 'import' });
      const outcome = await processMessage({ db: t.db, logger: testLogger }, stored.id);
      const row = await t.db.message.findUniqueOrThrow({ where: { id: stored.id } });
      expect(sha256Hex(Buffer.from(row.raw)), file).toBe(sha256Hex(raw));
      if (stored.created) {
        expect(['drafted', 'ignored', 'failed'], file).toContain(row.status);
        if (row.status !== 'drafted') expect(row.statusReason, file).toBeTruthy();
        outcomes.set(file, outcome.status);
      }
    }
    const counts = [...outcomes.values()].reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    // The corpus holds bounces and auto-replies: some must be recognised as such.
    expect(counts.ignored ?? 0).toBeGreaterThan(10);
    expect(counts.drafted ?? 0).toBeGreaterThan(100);
  });
});
