// Passwords can be changed (by their owner, knowing the current one) and reset (by an
// administrator); either way the editor's other sessions end, their API tokens are revoked
// (unless the request says to keep them) and the change is audited. Wrong current passwords are
// limited like sign-ins.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/editors/tokens.ts';
import { buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';

describe('passwords', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let admin: TestEditor;
  let editor: TestEditor;

  async function signIn(email: string, password: string) {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });
    const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0]!;
    return { status: res.statusCode, cookie, csrf: res.statusCode === 200 ? (res.json().csrfToken as string) : '' };
  }
  const whoAmI = async (cookie: string) => (await app.inject({ url: '/api/session', headers: { cookie } })).statusCode;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    admin = await createTestEditor(t.db, 'admin');
    editor = await createTestEditor(t.db);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('lets an editor change their own password with the current one; their other sessions end, this one stays', async () => {
    const laptop = await signIn(editor.email, editor.password);
    const phone = await signIn(editor.email, editor.password);
    const wrong = await app.inject({
      method: 'PUT', url: '/api/session/password', headers: { cookie: laptop.cookie, 'x-csrf-token': laptop.csrf },
      payload: { currentPassword: 'not-my-password', newPassword: 'a brand new password' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().detail).toMatch(/current password is wrong/);
    const res = await app.inject({
      method: 'PUT', url: '/api/session/password', headers: { cookie: laptop.cookie, 'x-csrf-token': laptop.csrf },
      payload: { currentPassword: editor.password, newPassword: 'a brand new password' },
    });
    expect(res.statusCode).toBe(204);
    expect(await whoAmI(laptop.cookie)).toBe(200);
    expect(await whoAmI(phone.cookie)).toBe(401);
    expect((await signIn(editor.email, editor.password)).status).toBe(401);
    expect((await signIn(editor.email, 'a brand new password')).status).toBe(200);
    editor.password = 'a brand new password';
    // A password change left API tokens valid: whoever had the old password could have made one.
    expect((await app.inject({ url: '/api/session', headers: editor.headers })).statusCode).toBe(401);
    const audit = await t.db.auditEntry.findFirst({ where: { action: 'editor.password', targetId: editor.id } });
    expect(audit?.details).toMatchObject({ sessionsEnded: 1, tokensRevoked: 1 });
    editor.token = await createApiToken(t.db, editor.id);
    editor.headers = { authorization: `Bearer ${editor.token}` };
  });

  it('keeps the API tokens when the change says revokeApiTokens: false', async () => {
    const res = await app.inject({
      method: 'PUT', url: '/api/session/password', headers: editor.headers,
      payload: { currentPassword: editor.password, newPassword: 'another new password', revokeApiTokens: false },
    });
    expect(res.statusCode).toBe(204);
    editor.password = 'another new password';
    expect((await app.inject({ url: '/api/session', headers: editor.headers })).statusCode).toBe(200);
  });

  it('limits wrong current passwords like sign-ins: the sixth try is refused with 429, even the right one', async () => {
    const victim = await createTestEditor(t.db);
    const session = await signIn(victim.email, victim.password);
    const change = (currentPassword: string, ip = '198.51.100.7') => app.inject({
      method: 'PUT', url: '/api/session/password', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, remoteAddress: ip,
      payload: { currentPassword, newPassword: 'the attacker wants this' },
    });
    for (let i = 0; i < 5; i++) expect((await change(`guess number ${i}`)).statusCode).toBe(400);
    const limited = await change(victim.password, '198.51.100.8');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('too_many_password_checks');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The owner still signs in with the password they had.
    expect((await signIn(victim.email, victim.password)).status).toBe(200);
    expect(await t.db.auditEntry.count({ where: { action: 'editor.password_check_failed', targetId: victim.id } })).toBe(5);
  });

  it('lets an administrator set a new password for an editor who forgot theirs, and only an administrator', async () => {
    const session = await signIn(editor.email, editor.password);
    const byEditor = await app.inject({ method: 'PUT', url: `/api/editors/${admin.id}/password`, headers: editor.headers, payload: { password: 'taking over the admin' } });
    expect(byEditor.statusCode).toBe(403);
    const tooShort = await app.inject({ method: 'PUT', url: `/api/editors/${editor.id}/password`, headers: admin.headers, payload: { password: 'short' } });
    expect(tooShort.statusCode).toBe(400);
    const reset = await app.inject({ method: 'PUT', url: `/api/editors/${editor.id}/password`, headers: admin.headers, payload: { password: 'set by the admin today' } });
    expect(reset.statusCode).toBe(204);
    expect(await whoAmI(session.cookie)).toBe(401);
    expect((await app.inject({ url: '/api/session', headers: editor.headers })).statusCode).toBe(401);
    expect((await signIn(editor.email, 'set by the admin today')).status).toBe(200);
    const audit = await t.db.auditEntry.findMany({ where: { action: 'editor.password', targetId: editor.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.actorLabel)).toEqual([editor.email, editor.email, admin.email]);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain('set by the admin today');
  });
});
