// The likely-duplicate check keeps the fingerprints it fetched for the next chunks of the same
// run, and a run is now a whole import or IMAP first sync: the cache must stay bounded however
// many statements the run meets, and a statement it forgot must still be found (fetched again).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolOf } from '../../src/db/client.ts';
import type { DraftFields } from '../../src/extract/types.ts';
import { checkLikelyDuplicates, DUPLICATE_CACHE_ENTRIES, type DuplicateCache } from '../../src/ingest/likely-duplicates.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

/** One statement a day from this day on. */
const FIRST_DAY = Date.UTC(2015, 0, 1);
const STATEMENTS = 3_200;
const day = (n: number) => new Date(FIRST_DAY + n * 86_400_000).toISOString().slice(0, 10);

function draft(statementDate: string, bodyText: string): DraftFields {
  return {
    title: 'A statement',
    organisationName: 'Harbour Pilots Guild',
    organisationShort: null,
    organisationId: null,
    statementDate,
    language: 'en',
    bodyText,
    bodyHtml: `<p>${bodyText}</p>`,
    signatories: [],
    forwardedBy: null,
    senderAddress: null,
    senderVerified: false,
    provenance: {} as DraftFields['provenance'],
    warnings: [],
  };
}

describe('the likely-duplicate cache of one run', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    // Texts of 40 words of their own each (hex digests), one statement a day.
    await t.db.$executeRawUnsafe(
      `INSERT INTO statements (id, slug, title, body_text, status, statement_date, created_at, updated_at)
       SELECT gen_random_uuid(), 'cache-' || g, 'Statement ' || g,
              (SELECT string_agg(md5(g::text || '-' || i::text), ' ') FROM generate_series(1, 40) AS i),
              'draft', date '2015-01-01' + g, now() - (${STATEMENTS} - g) * interval '1 second', now()
         FROM generate_series(0, ${STATEMENTS - 1}) AS g`,
    );
    await t.db.$executeRawUnsafe('ANALYZE statements');
  });
  afterAll(async () => t?.drop());

  it('holds at most DUPLICATE_CACHE_ENTRIES fingerprints over a long run, and still finds a copy of one it forgot', async () => {
    const cache: DuplicateCache = new Map();
    const { rows } = await poolOf(t.db).query<{ id: string; body: string }>(`SELECT id::text AS id, body_text AS body FROM statements WHERE statement_date = $1::date`, [day(20)]);
    const early = rows[0]!;
    // Chunks of 16 drafts, each dated 29 days after the one before: every draft meets 29 stored
    // statements no draft before it met, 3,000 or so in all.
    let checked = 0;
    let maxSize = 0;
    for (let chunk = 0; chunk < 7; chunk++) {
      const drafts = Array.from({ length: 16 }, (_, i) => {
        const n = (chunk * 16 + i) * 29;
        return { id: crypto.randomUUID(), draft: draft(day(n), `New text number ${n} that repeats nothing stored before, said in many words.`) };
      }).filter((d) => d.draft.statementDate! <= day(STATEMENTS - 1));
      const found = await checkLikelyDuplicates(poolOf(t.db), drafts, cache);
      expect(found.every((f) => f === null)).toBe(true);
      checked += drafts.length;
      maxSize = Math.max(maxSize, cache.size);
    }
    expect(checked).toBeGreaterThan(100);
    // It did fill up (more candidates met than it may hold), and stayed within its bound.
    expect(maxSize).toBe(DUPLICATE_CACHE_ENTRIES);
    expect(cache.has(early.id)).toBe(false);

    // A copy of the forgotten early statement is still recognised: its text is fetched again.
    const [copy] = await checkLikelyDuplicates(poolOf(t.db), [{ id: crypto.randomUUID(), draft: draft(day(20), early.body) }], cache);
    expect(copy).toMatchObject({ id: early.id });
    expect(cache.size).toBeLessThanOrEqual(DUPLICATE_CACHE_ENTRIES);
  });
});
