// The read API of issue 2: messages and statements behind a bearer token, newest first, paged.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client.ts';
import { processMessage } from '../src/ingest/pipeline.ts';
import { createLogger } from '../src/logger.ts';
import { storeRawMessage } from '../src/ingest/store-raw.ts';
import { buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { testLogger } from './support/logger.ts';

function statementEmail(n: number): Buffer {
  return Buffer.from(
    [
      `Message-ID: <read-api-${n}@example.org>`,
      'From: Workers Front <press@workers-front.example.org>',
      'To: submissions@example.com',
      `Date: Mon, 0${(n % 9) + 1} Mar 2022 10:00:00 +0000`,
      `Subject: Fwd: [Statement] Solidarity statement number ${n}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `We stand in solidarity with the workers of city ${n}.`,
      '',
    ].join('\r\n'),
  );
}

describe('read API', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    editor = await createTestEditor(t.db);
    for (let n = 1; n <= 5; n++) {
      const { id } = await storeRawMessage(t.db, { raw: statementEmail(n), source: 'import' });
      await processMessage({ db: t.db, logger: testLogger }, id);
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('answers 401 with a problem document when no token is sent, or a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { authorization: 'Basic abc' }]) {
      const res = await app.inject({ method: 'GET', url: '/api/statements', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().detail).toMatch(/token|Authorization/i);
    }
  });

  it('lists drafts newest first with a working cursor and counts per status', async () => {
    const first = await app.inject({ method: 'GET', url: '/api/statements?status=draft&limit=3', headers: editor.headers });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(3);
    expect(page1.counts.draft).toBe(5);
    expect(page1.items[0].title).toBe('Solidarity statement number 5');
    const second = await app.inject({ method: 'GET', url: `/api/statements?status=draft&limit=3&cursor=${page1.nextCursor}`, headers: editor.headers });
    const page2 = second.json();
    expect(page2.items.map((s: { title: string }) => s.title)).toEqual(['Solidarity statement number 2', 'Solidarity statement number 1']);
    expect(page2.nextCursor).toBeNull();
  });

  it('shows one statement with its source message, and the raw email byte for byte', async () => {
    const list = (await app.inject({ method: 'GET', url: '/api/statements?limit=1', headers: editor.headers })).json();
    const res = await app.inject({ method: 'GET', url: `/api/statements/${list.items[0].id}`, headers: editor.headers });
    expect(res.statusCode).toBe(200);
    const statement = res.json();
    expect(statement.bodyText).toContain('We stand in solidarity with the workers of city 5.');
    expect(statement.message.from.address).toBe('press@workers-front.example.org');
    const raw = await app.inject({ method: 'GET', url: statement.message.rawUrl, headers: editor.headers });
    expect(raw.headers['content-type']).toBe('message/rfc822');
    expect(raw.rawPayload.equals(statementEmail(5))).toBe(true);
  });

  it('lists messages filtered by status, and rejects an unknown status with a clear message', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/messages?status=drafted', headers: editor.headers });
    expect(res.json().items).toHaveLength(5);
    const bad = await app.inject({ method: 'GET', url: '/api/messages?status=lost', headers: editor.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/status/);
  });

  it('says 404 for an unknown statement and 400 for an id that is not one', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/statements/00000000-0000-4000-8000-000000000000', headers: editor.headers });
    expect(missing.statusCode).toBe(404);
    const bad = await app.inject({ method: 'GET', url: '/api/statements/42', headers: editor.headers });
    expect(bad.statusCode).toBe(400);
    // Regression: "The params is not valid: params.id: ...".
    expect(bad.json().detail).toMatch(/^Something in the address is wrong \(id: .+\)\. Correct it and send the request again\.$/);
    expect(bad.json().detail).not.toMatch(/params/);
  });

  it('answers /health and /ready', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().database.reachable).toBe(true);
  });
});

describe('/ready and public routes with credentials', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;
  const failing = {
    name: 'imap:desk@imap.example.com/INBOX',
    kind: 'imap' as const,
    connected: false,
    lastFetchAt: null,
    lastError: 'authentication failed for desk@imap.example.com',
    lastErrorAt: '2026-11-27T00:00:00.000Z',
  };
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db, { sourceStatuses: () => [failing] });
    editor = await createTestEditor(t.db);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('says an earlier error is over once a fetch has succeeded since', async () => {
    const recovered = { ...failing, connected: true, lastFetchAt: '2026-11-27T00:05:00.000Z' };
    const other = await buildTestApp(t.db, { sourceStatuses: () => [recovered] });
    expect((await other.inject('/ready')).json().sources[0].lastError).toBe('recovered from an earlier error');
    await other.close();
  });

  it('tells anyone whether each source works, and only editors which account failed and why', async () => {
    const anonymous = (await app.inject('/ready')).json();
    expect(anonymous.sources).toEqual([{ ...failing, name: 'imap-1', lastError: 'failing (sign in, or see the log, for details)', state: 'down', sync: null }]);
    expect(JSON.stringify(anonymous)).not.toContain('desk@imap.example.com');
    const signedIn = (await app.inject({ url: '/ready', headers: editor.headers })).json();
    expect(signedIn.sources).toEqual([{ ...failing, state: 'down', sync: null }]);
  });

  // Regression: /ready stayed 200 "ready" while the IMAP source was down, and a standby
  // instance looked like an outage.
  it('says degraded and which source is down, 503 only when the database is down or sources are required', async () => {
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'degraded', database: { reachable: true }, sources: [{ state: 'down' }] });
    expect((await app.inject('/ready?sources=required')).statusCode).toBe(503);
    const standby = { ...failing, lastError: null, lastErrorAt: null, state: 'standby' as const };
    const syncing = { ...failing, name: 'imap:b', connected: true, lastError: null, lastErrorAt: null, lastFetchAt: '2026-11-27T00:05:00.000Z', state: 'syncing' as const, sync: { done: 300, total: 1000 } };
    const other = await buildTestApp(t.db, { sourceStatuses: () => [standby, syncing] });
    try {
      const res = await other.inject('/ready?sources=required');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ready', sources: [{ state: 'standby', lastError: null }, { state: 'syncing', sync: { done: 300, total: 1000 } }] });
    } finally {
      await other.close();
    }
  });

  // Regression: any Authorization header that was not a valid token made public routes 401.
  it('serves public routes whatever Authorization header a client sends, and still refuses it on /api', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer revoked-token']) {
      for (const url of ['/health', '/feed.json', '/feed.atom']) {
        expect((await app.inject({ url, headers: { authorization } })).statusCode, url).toBe(200);
      }
      const api = await app.inject({ url: '/api/statements', headers: { authorization } });
      expect(api.statusCode).toBe(401);
      expect(api.json().detail).toMatch(authorization.startsWith('Basic') ? /must be "Bearer <token>"/ : /not valid/);
    }
  });
});

// Regression: during a database outage every /ready probe logged a full stack trace.
describe('/ready during a database outage', () => {
  it('answers 503 unavailable, and logs the outage once, not once per probe', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    const unreachable = createDb('postgresql://postgres@127.0.0.1:1/statement_desk');
    const app = await buildTestApp(unreachable, { logger });
    try {
      for (let probe = 0; probe < 3; probe++) {
        const res = await app.inject('/ready');
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ status: 'unavailable', database: { reachable: false, error: 'the database does not answer' } });
      }
      const outage = lines.filter((l) => l.includes('readiness check: the database does not answer'));
      expect(outage).toHaveLength(1);
      expect(outage[0]).not.toContain('"stack"');
    } finally {
      await app.close();
      await unreachable.$disconnect();
    }
  });
});
