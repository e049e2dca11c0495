// Sign-in and sign-out for browsers. Guarantees: a wrong password and an unknown (or
// deactivated) address get the same 401 and take about as long; failed attempts are limited per
// address and per IP (429 saying when to try again, checked before the password so a correct
// guess past the limit is still refused); every success, failure and sign-out is in the audit
// log; sign-out revokes the session row, so the cookie stops working whatever the browser keeps.
import type { Db } from '../db/client.ts';
import { UnauthorizedError } from '../errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { normaliseEmail, type EditorIdentity } from './editors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { createSession } from './sessions.ts';
import { defaultSignInLimiter, signInKeys, type SignInLimiter } from './sign-in-limiter.ts';

export { TooManySignInsError, SignInLimiter } from './sign-in-limiter.ts';

export const WRONG_CREDENTIALS_MESSAGE =
  'The email address or the password is wrong. Check both and try again; an administrator can set a new password for you.';

export interface SignInInput {
  email: string;
  password: string;
  ip: string;
  now: Date;
  ttlMs: number;
  limiter?: SignInLimiter;
}

export interface SignInResult {
  sessionId: string;
  /** The cookie value (shown once; only its sha256 is stored). */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  editor: EditorIdentity;
}

// Verified against when the address is unknown, so both failures cost one argon2 verification.
let dummyHash: Promise<string> | null = null;
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('statement-desk-timing-equaliser');
  return dummyHash;
}

/** Longest address kept in the audit log of a failed attempt (attackers choose it). */
const MAX_LOGGED_EMAIL_CHARS = 254;

export async function signIn(db: Db, input: SignInInput): Promise<SignInResult> {
  const limiter = input.limiter ?? defaultSignInLimiter;
  const email = normaliseEmail(input.email);
  const keys = signInKeys(email, input.ip);
  const attempt = await limiter.begin(db, [keys.address, keys.ip], input.now);

  const row = await db.editor.findUnique({ where: { email }, select: { id: true, email: true, name: true, role: true, active: true, passwordHash: true } });
  const passwordOk = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!row || !row.active || !passwordOk) {
    await recordAudit(db, {
      actor: 'anonymous',
      action: 'session.sign_in_failed',
      targetType: row ? 'editor' : null,
      targetId: row?.id ?? null,
      // What was typed for an unknown address is not kept: people type passwords into the
      // wrong field. Its domain is enough to see a pattern.
      details: {
        email: row ? row.email : `…@${email.split('@')[1]?.slice(0, MAX_LOGGED_EMAIL_CHARS) ?? '?'}`,
        ip: input.ip,
        reason: !row ? 'unknown_address' : !row.active ? 'inactive' : 'wrong_password',
      },
      at: input.now,
    });
    throw new UnauthorizedError(WRONG_CREDENTIALS_MESSAGE);
  }
  await limiter.succeeded(db, attempt, { clear: [keys.address], withdraw: [keys.ip] });
  const editor: EditorIdentity = { id: row.id, email: row.email, name: row.name, role: row.role };
  const session = await db.$transaction(async (tx) => {
    const created = await createSession(tx, { editorId: row.id, now: input.now, ttlMs: input.ttlMs });
    await recordAudit(tx, { actor: editor, action: 'session.sign_in', targetType: 'session', targetId: created.id, details: { ip: input.ip }, at: input.now });
    return created;
  });
  return { sessionId: session.id, token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt, editor };
}

/** Revokes the session (idempotent: signing out twice is not an error). */
export async function signOut(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const revoked = await tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
    if (revoked.count === 0) return;
    const session = await tx.session.findUnique({ where: { id: sessionId }, select: { editor: { select: { id: true, email: true } } } });
    await recordAudit(tx, { actor: session?.editor ?? 'anonymous', action: 'session.sign_out', targetType: 'session', targetId: sessionId, at: now });
  });
}
