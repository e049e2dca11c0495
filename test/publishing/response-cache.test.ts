// The caches behind the public routes: built bodies keyed by version, versions reused for a
// short while, and a feed that catches up with a change once that while has passed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editStatement } from '../../src/moderation/edit-statement.ts';
import { ResponseCache, VersionCache } from '../../src/publishing/response-cache.ts';
import { buildTestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createStatement } from '../support/statements.ts';

describe('VersionCache', () => {
  it('shares one read among concurrent callers, reuses it for maxAgeMs, then reads again', async () => {
    let clock = 0;
    let reads = 0;
    const cache = new VersionCache<string | null>({ maxAgeMs: 1_000, now: () => clock });
    const load = async () => `v${++reads}`;
    expect(await Promise.all([cache.get('a', load), cache.get('a', load), cache.get('a', load)])).toEqual(['v1', 'v1', 'v1']);
    clock = 999;
    expect(await cache.get('a', load)).toBe('v1');
    clock = 1_000;
    expect(await cache.get('a', load)).toBe('v2');
    expect(reads).toBe(2);
  });

  it('does not keep misses, and with maxAgeMs 0 reads every time', async () => {
    let reads = 0;
    const misses = new VersionCache<string | null>({ maxAgeMs: 1_000 });
    await misses.get('nope', async () => (reads++, null));
    await misses.get('nope', async () => (reads++, null));
    expect(reads).toBe(2);
    const never = new VersionCache<string>({ maxAgeMs: 0 });
    await never.get('a', async () => `${reads++}`);
    await never.get('a', async () => `${reads++}`);
    expect(reads).toBe(4);
  });
});

describe('ResponseCache', () => {
  it('builds once per key, expires entries after its TTL and keeps at most maxEntries', async () => {
    let clock = 0;
    let builds = 0;
    const cache = new ResponseCache({ maxEntries: 2, ttlMs: 100, now: () => clock });
    const build = async () => ({ body: `body ${++builds}`, contentType: 'text/plain', lastModified: new Date(0) });
    const [a, b] = await Promise.all([cache.get('a', build), cache.get('a', build)]);
    expect(a).toBe(b);
    expect(a.body.toString()).toBe('body 1');
    expect(a.etag).toMatch(/^"/);
    await cache.get('b', build);
    await cache.get('c', build); // evicts a
    expect((await cache.get('a', build)).body.toString()).toBe('body 4');
    clock = 100;
    expect((await cache.get('a', build)).body.toString()).toBe('body 5');
  });

  it('keeps at most maxBytes of bodies, dropping the oldest first', async () => {
    const cache = new ResponseCache({ maxBytes: 10 });
    let builds = 0;
    const build = (body: string) => async () => (builds++, { body, contentType: 'text/plain', lastModified: new Date(0) });
    await cache.get('a', build('aaaa'));
    await cache.get('b', build('bbbb'));
    await cache.get('c', build('cccc')); // 12 bytes: a goes
    await cache.get('b', build('bbbb'));
    await cache.get('c', build('cccc'));
    expect(builds).toBe(3);
    await cache.get('a', build('aaaa'));
    expect(builds).toBe(4);
  });
});

describe('feed freshness with the production setting', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('shows a correction within a second, not on the very next request', async () => {
    let clock = new Date('2026-04-01T10:00:00.000Z');
    const app = await buildTestApp(t.db, { publicFeedVersionMaxAgeMs: 1_000, now: () => clock });
    try {
      const statement = await createStatement(t.db, { title: 'Freshness', bodyHtml: '<p>First text.</p>', bodyText: 'First text.' });
      const before = await app.inject('/feed.json');
      expect(before.json().items[0].content_text).toBe('First text.');
      await editStatement(t.db, { id: statement.id, expectedVersion: statement.version, changes: { bodyText: 'Second text.' }, actor: 'system', now: new Date() });

      clock = new Date(clock.getTime() + 500);
      const soon = await app.inject('/feed.json');
      expect(soon.headers.etag).toBe(before.headers.etag);

      clock = new Date(clock.getTime() + 500);
      const later = await app.inject('/feed.json');
      expect(later.headers.etag).not.toBe(before.headers.etag);
      expect(later.json().items[0].content_text).toBe('Second text.');
      // Pages read their version on every request.
      expect((await app.inject(`/statements/${statement.slug}`)).body).toContain('Second text.');
    } finally {
      await app.close();
    }
  });
});
