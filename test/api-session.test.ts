// Sign-in, CSRF and sign-out over HTTP: the cookie's flags, the token on state-changing
// requests made with the cookie (bearer tokens need none), rate limiting, server-side sign-out.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PUBLIC_BASE_URL, buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { createTestStatement } from './moderation/fixtures.ts';

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const header = res.headers['set-cookie'];
  const value = Array.isArray(header) ? header[0] : header;
  return String(value).split(';')[0]!;
}

describe('session API', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    editor = await createTestEditor(t.db);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  async function signInAs(e: TestEditor, ip = '203.0.113.1') {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { email: e.email, password: e.password }, remoteAddress: ip });
    expect(res.statusCode).toBe(200);
    return { cookie: cookieOf(res), csrf: res.json().csrfToken as string, res };
  }

  it('signs in with an httpOnly SameSite=Lax cookie and returns the CSRF token', async () => {
    const { res, cookie, csrf } = await signInAs(editor);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^sd_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Secure/); // the test app's public address is https
    expect(res.json().editor.email).toBe(editor.email);
    const me = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(me.json()).toMatchObject({ method: 'session', csrfToken: csrf, editor: { id: editor.id } });
  });

  it('sets Secure behind an https proxy it trusts or for an https public address, never for a client that merely claims https', async () => {
    const proxied = await buildTestApp(t.db, { config: { publicBaseUrl: TEST_PUBLIC_BASE_URL, sessionTtlMs: 3_600_000, trustProxy: true } });
    try {
      const request = { method: 'POST' as const, url: '/api/session', payload: { email: editor.email, password: editor.password }, headers: { 'x-forwarded-proto': 'https' } };
      expect(String((await proxied.inject(request)).headers['set-cookie'])).toMatch(/Secure/);
      // Not configured to trust a proxy: a client cannot claim https for itself (the test
      // app's public address is https, so test with an http one).
      const direct = await buildTestApp(t.db, { config: { publicBaseUrl: 'http://127.0.0.1:3000', sessionTtlMs: 3_600_000 } });
      expect(String((await direct.inject(request)).headers['set-cookie'])).not.toMatch(/Secure/);
      await direct.close();
      // An https public address means Secure, even when the proxy in front is not trusted.
      expect(String((await app.inject({ ...request, headers: {} })).headers['set-cookie'])).toMatch(/Secure/);
    } finally {
      await proxied.close();
    }
  });

  it('rejects a state-changing cookie request without the CSRF token, accepts it with the token; bearer needs none', async () => {
    const { cookie, csrf } = await signInAs(editor);
    const statement = await createTestStatement(t.db);
    const url = `/api/statements/${statement.id}`;
    const payload = { title: 'Changed by cookie' };
    const without = await app.inject({ method: 'PATCH', url, payload, headers: { cookie, 'if-match': '"1"' } });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('csrf_token_invalid');
    const wrong = await app.inject({ method: 'PATCH', url, payload, headers: { cookie, 'if-match': '"1"', 'x-csrf-token': 'guess' } });
    expect(wrong.statusCode).toBe(403);
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).version).toBe(1);
    const withToken = await app.inject({ method: 'PATCH', url, payload, headers: { cookie, 'if-match': '"1"', 'x-csrf-token': csrf } });
    expect(withToken.statusCode).toBe(200);
    const bearer = await app.inject({ method: 'PATCH', url, payload: { title: 'Changed by token' }, headers: { ...editor.headers, 'if-match': '"2"' } });
    expect(bearer.statusCode).toBe(200);
  });

  it('signs out server-side: the same cookie no longer works', async () => {
    const { cookie, csrf } = await signInAs(editor);
    const out = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/sd_session=;/);
    const after = await app.inject({ method: 'GET', url: '/api/statements', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(await t.db.auditEntry.count({ where: { action: 'session.sign_out', actorId: editor.id } })).toBeGreaterThanOrEqual(1);
  });

  it('answers a wrong password and an unknown address alike, and rate-limits with Retry-After', async () => {
    const ip = '198.51.100.9';
    const wrong = await app.inject({ method: 'POST', url: '/api/session', payload: { email: editor.email, password: 'wrong-password' }, remoteAddress: ip });
    const unknown = await app.inject({ method: 'POST', url: '/api/session', payload: { email: 'nobody@example.org', password: 'wrong-password' }, remoteAddress: ip });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    for (let i = 0; i < 3; i++) {
      await app.inject({ method: 'POST', url: '/api/session', payload: { email: `x${i}@example.org`, password: 'wrong-password' }, remoteAddress: ip });
    }
    const limited = await app.inject({ method: 'POST', url: '/api/session', payload: { email: editor.email, password: editor.password }, remoteAddress: ip });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().detail).toMatch(/Try again in \d+ minutes/);
  });

  it('rejects unknown fields in the sign-in body instead of dropping them', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { email: editor.email, password: editor.password, remember: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/remember/);
  });

  it('explains that a token is not a session when asked to sign it out', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/api/session', headers: editor.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/API token/);
  });

  // Login CSRF: a form on another site posted urlencoded credentials (the attacker's) and the
  // victim's browser came back signed in to the attacker's account.
  it('refuses a sign-in that is not JSON, or that the browser marks cross-site, and sets no cookie', async () => {
    const form = await app.inject({
      method: 'POST', url: '/api/session', remoteAddress: '203.0.113.50',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: editor.email, password: editor.password }).toString(),
    });
    expect(form.statusCode).toBe(415);
    expect(form.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(form.json().detail).toMatch(/JSON/);
    expect(form.headers['set-cookie']).toBeUndefined();
    const text = await app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ email: editor.email, password: editor.password }) });
    expect(text.statusCode).toBe(415);
    const crossSite = await app.inject({ method: 'POST', url: '/api/session', headers: { 'sec-fetch-site': 'cross-site' }, payload: { email: editor.email, password: editor.password } });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();
    const sameOrigin = await app.inject({ method: 'POST', url: '/api/session', headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json; charset=utf-8' }, payload: JSON.stringify({ email: editor.email, password: editor.password }) });
    expect(sameOrigin.statusCode).toBe(200);
  });

  it('tells every cache not to keep API answers, errors included', async () => {
    expect((await app.inject({ url: '/api/session', headers: editor.headers })).headers['cache-control']).toBe('no-store');
    expect((await app.inject({ url: '/api/statements', headers: editor.headers })).headers['cache-control']).toBe('no-store');
    expect((await app.inject({ url: '/api/statements' })).headers['cache-control']).toBe('no-store');
    expect((await app.inject({ url: '/api/statements/not-an-id', headers: editor.headers })).headers['cache-control']).toBe('no-store');
  });
});
