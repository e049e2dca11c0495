// Issue 15: one editor's expensive searches cannot stop other requests. The request pool runs
// with a statement_timeout, a search past it answers 503 (not a hang, not a 500), searches run
// only a few at once, and a search whose client went away stops in PostgreSQL.
//
// A search is made slow here the way a maintenance job makes any query slow: another session
// holds a lock on the statements table, and PostgreSQL counts the wait towards statement_timeout
// exactly as it counts a slow plan.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/db/client.ts';
import { COUNT_LIMIT } from '../src/db/pagination.ts';
import { buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { createStatement } from './support/statements.ts';

const STATEMENT_TIMEOUT_MS = 1_500;

describe('bounded request queries', () => {
  let t: TestDatabase;
  let requestDb: Db;
  let app: FastifyInstance;
  let alice: TestEditor;
  let bob: TestEditor;
  let locker: pg.Client | undefined;

  beforeAll(async () => {
    t = await createTestDatabase();
    // What main.ts builds for HTTP: a pool of 10 with a statement timeout.
    requestDb = createDb(t.url, { maxConnections: 10, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    app = await buildTestApp(requestDb);
    alice = await createTestEditor(t.db);
    bob = await createTestEditor(t.db);
    await createStatement(t.db, { title: 'Solidarity with the dockers', bodyText: 'We stand in solidarity with the dockers.' });
    await createStatement(t.db, { title: 'On housing', bodyText: 'Rents are too high.' });
  });
  afterEach(async () => {
    await locker?.end();
    locker = undefined;
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  /** Another session takes the statements table, as a long maintenance job would. */
  async function lockStatements(): Promise<void> {
    locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE statements IN ACCESS EXCLUSIVE MODE');
  }

  it('finds statements by a word prefix in SQL, newest first, with counts and their limit', async () => {
    const res = await app.inject({ url: '/api/statements?q=solidar', headers: alice.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((s: { title: string }) => s.title)).toEqual(['Solidarity with the dockers']);
    expect(body.counts).toEqual({ draft: 0, approved: 0, published: 1, unpublished: 0, rejected: 0 });
    expect(body.countLimit).toBe(COUNT_LIMIT);
    expect(body.countsCapped).toBe(false);
  });

  it('answers a search that runs past REQUEST_STATEMENT_TIMEOUT_MS with 503 query_timeout and Retry-After, not a hang or a 500', async () => {
    await lockStatements();
    const started = Date.now();
    const res = await app.inject({ url: '/api/statements?q=solidarity', headers: alice.headers });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'query_timeout' });
    expect(res.json().detail).toMatch(/ran too long.*try again/i);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(Date.now() - started).toBeLessThan(STATEMENT_TIMEOUT_MS + 3_000);
  });

  it('keeps connections free for others while one editor fires ten slow searches at once', async () => {
    await lockStatements();
    const searches = Array.from({ length: 10 }, (_, n) =>
      app.inject({ url: `/api/statements?q=solidarity${n}`, headers: alice.headers }).then((res) => ({ res, at: Date.now() })),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Other requests, from others, while alice's searches wait on the lock.
    const started = Date.now();
    const bobSearching = app.inject({ url: '/api/statements?q=housing', headers: bob.headers });
    const [messages, ready] = await Promise.all([app.inject({ url: '/api/messages', headers: bob.headers }), app.inject({ url: '/ready' })]);
    const othersTookMs = Date.now() - started;
    const bobSearch = await bobSearching;
    expect(messages.statusCode).toBe(200);
    expect(ready.statusCode).toBe(200);
    // Well before alice's searches give up: nothing waited for a connection.
    expect(othersTookMs).toBeLessThan(STATEMENT_TIMEOUT_MS - 500);
    const done = await Promise.all(searches);
    const codes = done.map(({ res }) => res.json().code ?? res.statusCode);
    // Two of hers ran (and timed out); the other eight were turned away at once, with a reason.
    expect(codes.filter((c) => c === 'query_timeout')).toHaveLength(2);
    expect(codes.filter((c) => c === 'busy')).toHaveLength(8);
    const busy = done.find(({ res }) => res.json().code === 'busy')!;
    expect(busy.res.statusCode).toBe(503);
    expect(busy.res.json().detail).toMatch(/searches running/);
    expect(busy.res.headers['retry-after']).toMatch(/^\d+$/);
    // bob's search had room beside alice's two; it waited on the lock too.
    expect([200, 503]).toContain(bobSearch.statusCode);
    if (bobSearch.statusCode === 503) expect(bobSearch.json().code).toBe('query_timeout');
  });

  it('cancels the search in PostgreSQL when its client goes away', async () => {
    const slowDb = createDb(t.url, { maxConnections: 4, statementTimeoutMs: 60_000 });
    const server = await buildTestApp(slowDb);
    await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      await lockStatements();
      const { port } = server.server.address() as AddressInfo;
      const request = http.get({ host: '127.0.0.1', port, path: '/api/statements?q=abandoned', headers: alice.headers });
      request.on('error', () => undefined);
      const running = async () => {
        const { rows } = await t.db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%search_vector @@%' AND query NOT LIKE '%pg_stat_activity%'`,
        ).then((rows) => ({ rows }));
        return rows[0]!.n;
      };
      const waitFor = async (want: number) => {
        for (let i = 0; i < 100 && (await running()) !== want; i++) await new Promise((r) => setTimeout(r, 50));
        return running();
      };
      expect(await waitFor(1)).toBe(1);
      request.destroy();
      // Gone long before its 60 s statement timeout.
      expect(await waitFor(0)).toBe(0);
    } finally {
      await locker?.end();
      locker = undefined;
      await server.close();
    }
  });
  it('runs no query for a client that went away while it was still being signed in', async () => {
    const server = await buildTestApp(createDb(t.url, { maxConnections: 4, statementTimeoutMs: 60_000 }));
    await server.listen({ host: '127.0.0.1', port: 0 });
    // Signing in waits on the tokens table; the search, if it ran, would wait on statements.
    const tokens = new pg.Client({ connectionString: t.url });
    await tokens.connect();
    try {
      await lockStatements();
      await tokens.query('BEGIN');
      await tokens.query('LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE');
      const { port } = server.server.address() as AddressInfo;
      const request = http.get({ host: '127.0.0.1', port, path: '/api/statements?q=forsaken', headers: alice.headers });
      request.on('error', () => undefined);
      const active = async (pattern: string) => {
        const rows = await t.db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE $1 AND query NOT LIKE '%pg_stat_activity%'`,
          pattern,
        );
        return rows[0]!.n;
      };
      for (let i = 0; i < 100 && (await active('%api_tokens%')) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await active('%api_tokens%')).toBe(1);
      request.destroy();
      // Gone before the handler began: once signed in, it must start nothing.
      await new Promise((r) => setTimeout(r, 200));
      await tokens.query('COMMIT');
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await active('%FROM statements s%')).toBe(0);
    } finally {
      await tokens.end();
      await locker?.end();
      locker = undefined;
      await server.close();
    }
  });

  it('counts failed messages on /ready only up to COUNT_LIMIT, and says the count stopped there', async () => {
    // An archive import can leave thousands failed; a probe every few seconds must not count them all.
    await t.db.$executeRawUnsafe(
      `INSERT INTO messages (id, dedup_key, source, sha256, size, raw, status, error, received_at)
       SELECT gen_random_uuid(), 'ready-cap-' || n, 'mbox', md5(n::text), 3, '\\x616263'::bytea, 'failed', 'unreadable #' || n,
              timestamp '2024-01-01' + make_interval(secs => n)
         FROM generate_series(1, ${COUNT_LIMIT + 5}) AS n`,
    );
    try {
      const body = (await app.inject({ url: '/ready', headers: alice.headers })).json();
      expect(body.status).toBe('ready');
      expect(body.ingest.failedMessages).toBe(COUNT_LIMIT);
      expect(body.ingest.failedMessagesCapped).toBe(true);
      expect(body.ingest.lastFailure.reason).toBe(`unreadable #${COUNT_LIMIT + 5}`);
      await t.db.$executeRawUnsafe(`DELETE FROM messages WHERE dedup_key LIKE 'ready-cap-%' AND dedup_key <> 'ready-cap-1'`);
      const few = (await app.inject({ url: '/ready' })).json();
      expect(few.ingest).toMatchObject({ failedMessages: 1, failedMessagesCapped: false });
    } finally {
      await t.db.$executeRawUnsafe(`DELETE FROM messages WHERE dedup_key LIKE 'ready-cap-%'`);
    }
  });
});
