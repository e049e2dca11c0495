// Sign-in and sign-out as service functions: same answer for unknown address and wrong password,
// failures limited per address and per IP, sign-out revokes the session, everything audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findActiveSession } from '../../src/editors/sessions.ts';
import { signIn, signOut, SignInLimiter, TooManySignInsError } from '../../src/editors/sign-in.ts';
import { signInKeys as signInKeysOf } from '../../src/editors/sign-in-limiter.ts';
import { UnauthorizedError } from '../../src/errors.ts';
import { createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const TTL_MS = 3_600_000;
const MINUTE_MS = 60_000;

describe('signIn / signOut', () => {
  let t: TestDatabase;
  let editor: TestEditor;
  beforeAll(async () => {
    t = await createTestDatabase();
    editor = await createTestEditor(t.db);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('gives a working session and CSRF token for the right password, and records the sign-in', async () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const result = await signIn(t.db, { email: editor.email.toUpperCase(), password: editor.password, ip: '10.0.0.1', now, ttlMs: TTL_MS, limiter: new SignInLimiter() });
    expect(result.editor.email).toBe(editor.email);
    expect(result.csrfToken.length).toBeGreaterThan(20);
    const session = await findActiveSession(t.db, result.token, now);
    expect(session?.editor.id).toBe(editor.id);
    expect(session?.csrfToken).toBe(result.csrfToken);
    const audit = await t.db.auditEntry.findFirst({ where: { action: 'session.sign_in', targetId: result.sessionId } });
    expect(audit?.actorId).toBe(editor.id);
  });

  it('answers an unknown address and a wrong password with the same message', async () => {
    const limiter = new SignInLimiter();
    const now = new Date('2026-03-01T10:00:00Z');
    const wrong = await signIn(t.db, { email: editor.email, password: 'not-the-password', ip: '10.0.0.2', now, ttlMs: TTL_MS, limiter }).catch((e) => e);
    const unknown = await signIn(t.db, { email: 'nobody@example.org', password: 'whatever-it-is', ip: '10.0.0.2', now, ttlMs: TTL_MS, limiter }).catch((e) => e);
    expect(wrong).toBeInstanceOf(UnauthorizedError);
    expect(unknown).toBeInstanceOf(UnauthorizedError);
    expect(wrong.message).toBe(unknown.message);
    const failures = await t.db.auditEntry.count({ where: { action: 'session.sign_in_failed' } });
    expect(failures).toBeGreaterThanOrEqual(2);
  });

  it('refuses the sixth attempt for an address within 15 minutes, even with the right password, and says when to retry', async () => {
    const limiter = new SignInLimiter();
    const start = new Date('2026-03-01T12:00:00Z');
    for (let i = 0; i < 5; i++) {
      const ip = `10.1.0.${i}`; // different IPs: the address limit is what bites
      await expect(signIn(t.db, { email: editor.email, password: 'wrong-password', ip, now: new Date(start.getTime() + i * MINUTE_MS), ttlMs: TTL_MS, limiter })).rejects.toBeInstanceOf(UnauthorizedError);
    }
    const later = new Date(start.getTime() + 6 * MINUTE_MS);
    const limited = await signIn(t.db, { email: editor.email, password: editor.password, ip: '10.1.0.99', now: later, ttlMs: TTL_MS, limiter }).catch((e) => e);
    expect(limited).toBeInstanceOf(TooManySignInsError);
    expect(limited.statusCode).toBe(429);
    expect(limited.message).toMatch(/Try again in 9 minutes \(after 12:15 UTC\)/);
    expect(limited.details.retryAfterSeconds).toBe(9 * 60);
    // Once the first failure leaves the window, the right password works again.
    const free = new Date(start.getTime() + 15 * MINUTE_MS + 1000);
    await expect(signIn(t.db, { email: editor.email, password: editor.password, ip: '10.1.0.99', now: free, ttlMs: TTL_MS, limiter })).resolves.toMatchObject({ editor: { id: editor.id } });
  });

  // Regression: the limit was checked before the (slow) password verification and a failure
  // counted only after it, so 40 guesses sent at once were all verified.
  it('refuses guesses past the limit even when they are sent all at once', async () => {
    const limiter = new SignInLimiter();
    const now = new Date('2026-03-01T13:00:00Z');
    const guesses = Array.from({ length: 20 }, (_, i) => (i === 19 ? editor.password : `guess-${i}-wrong`));
    const results = await Promise.all(
      guesses.map((password, i) =>
        signIn(t.db, { email: editor.email, password, ip: `10.4.0.${i}`, now, ttlMs: TTL_MS, limiter }).then(
          () => 'signed in',
          (error: Error) => error.constructor.name,
        ),
      ),
    );
    expect(results.filter((r) => r === 'UnauthorizedError')).toHaveLength(5);
    expect(results.filter((r) => r === 'TooManySignInsError')).toHaveLength(15);
    expect(results.at(-1)).toBe('TooManySignInsError');
  });

  it('does not keep what was typed as the address of an unknown account (people type passwords there)', async () => {
    const typed = 'MySecretPassw0rd@oops.example';
    await signIn(t.db, { email: typed, password: 'x-x-x-x-x-x', ip: '10.5.0.1', now: new Date(), ttlMs: TTL_MS, limiter: new SignInLimiter() }).catch(() => undefined);
    const entries = await t.db.auditEntry.findMany({ where: { action: 'session.sign_in_failed' } });
    expect(JSON.stringify(entries.map((e) => e.details))).not.toContain('mysecretpassw0rd');
  });

  it('limits failures from one IP across many addresses', async () => {
    const limiter = new SignInLimiter();
    const now = new Date('2026-03-01T14:00:00Z');
    for (let i = 0; i < 5; i++) {
      await expect(signIn(t.db, { email: `guess${i}@example.org`, password: 'guess-guess', ip: '192.0.2.7', now, ttlMs: TTL_MS, limiter })).rejects.toBeInstanceOf(UnauthorizedError);
    }
    await expect(signIn(t.db, { email: editor.email, password: editor.password, ip: '192.0.2.7', now, ttlMs: TTL_MS, limiter })).rejects.toBeInstanceOf(TooManySignInsError);
    // Another IP is not affected.
    await expect(signIn(t.db, { email: editor.email, password: editor.password, ip: '192.0.2.8', now, ttlMs: TTL_MS, limiter })).resolves.toBeTruthy();
  });

  // Regression: the in-memory limiter kept at most 10,000 keys and dropped the oldest, so
  // failing with 10,000 made-up addresses made it forget a victim's failures.
  it('keeps an address\'s failures however many other keys fail meanwhile', async () => {
    const limiter = new SignInLimiter();
    const now = new Date('2026-03-01T15:00:00Z');
    const victim = signInKeysOf(editor.email, '10.6.0.1');
    for (let i = 0; i < 5; i++) await limiter.begin(t.db, [victim.address, `ip:10.6.1.${i}`], now);
    // 10,000 other keys failing meanwhile (written at once: through signIn that takes minutes).
    await t.db.$executeRaw`
      INSERT INTO attempt_limits (scope, key, failures, updated_at)
      SELECT 'sign_in', 'address:flood-' || i || '@example.net', ARRAY[${now}::timestamptz], ${now} FROM generate_series(1, 10000) AS i`;
    await limiter.begin(t.db, ['address:one-more@example.net'], now);
    await expect(signIn(t.db, { email: editor.email, password: editor.password, ip: '10.6.2.1', now, ttlMs: TTL_MS, limiter })).rejects.toBeInstanceOf(TooManySignInsError);
  });

  it('counts failures in the database: another process, or this one after a restart, sees them', async () => {
    const now = new Date('2026-03-01T16:00:00Z');
    const first = new SignInLimiter();
    for (let i = 0; i < 5; i++) {
      await expect(signIn(t.db, { email: `shared${i}@example.org`, password: 'guess-guess', ip: '192.0.2.70', now, ttlMs: TTL_MS, limiter: first })).rejects.toBeInstanceOf(UnauthorizedError);
    }
    const restarted = new SignInLimiter();
    await expect(signIn(t.db, { email: editor.email, password: editor.password, ip: '192.0.2.70', now, ttlMs: TTL_MS, limiter: restarted })).rejects.toBeInstanceOf(TooManySignInsError);
    expect(await restarted.failuresOf(t.db, 'ip:192.0.2.70', now)).toBe(5);
  });

  it('refuses a deactivated editor with the wrong-credentials message', async () => {
    const other = await createTestEditor(t.db);
    await t.db.editor.update({ where: { id: other.id }, data: { active: false } });
    const error = await signIn(t.db, { email: other.email, password: other.password, ip: '10.2.0.1', now: new Date(), ttlMs: TTL_MS, limiter: new SignInLimiter() }).catch((e) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
  });

  it('sign-out makes the session stop working server-side and is recorded once', async () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const result = await signIn(t.db, { email: editor.email, password: editor.password, ip: '10.3.0.1', now, ttlMs: TTL_MS, limiter: new SignInLimiter() });
    await signOut(t.db, result.sessionId, now);
    await signOut(t.db, result.sessionId, now);
    expect(await findActiveSession(t.db, result.token, now)).toBeNull();
    const entries = await t.db.auditEntry.findMany({ where: { action: 'session.sign_out', targetId: result.sessionId } });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actorLabel).toBe(editor.email);
  });
});
