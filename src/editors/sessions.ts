// Browser sessions: the cookie holds a random secret; the database keeps its sha256, the CSRF
// token that state-changing requests must echo, and when it expires or was revoked (sign-out).
import type { DbTx } from '../db/client.ts';
import type { EditorIdentity } from './editors.ts';
import { generateSecret, hashToken } from './tokens.ts';

export const SESSION_COOKIE = 'sd_session';

export interface ActiveSession {
  id: string;
  csrfToken: string;
  editor: EditorIdentity;
}

export async function createSession(
  db: DbTx,
  input: { editorId: string; now: Date; ttlMs: number },
): Promise<{ id: string; token: string; csrfToken: string; expiresAt: Date }> {
  const token = generateSecret();
  const csrfToken = generateSecret();
  const expiresAt = new Date(input.now.getTime() + input.ttlMs);
  const row = await db.session.create({
    data: { editorId: input.editorId, tokenHash: hashToken(token), csrfToken, expiresAt },
    select: { id: true },
  });
  return { id: row.id, token, csrfToken, expiresAt };
}

export async function findActiveSession(db: DbTx, token: string, now: Date): Promise<ActiveSession | null> {
  const row = await db.session.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      csrfToken: true,
      expiresAt: true,
      revokedAt: true,
      editor: { select: { id: true, email: true, name: true, role: true, active: true } },
    },
  });
  if (!row || row.revokedAt || row.expiresAt <= now || !row.editor.active) return null;
  const { active: _active, ...editor } = row.editor;
  return { id: row.id, csrfToken: row.csrfToken, editor };
}

/** When a session ends (its cookie's expiry), or null when there is none with this id. */
export async function findSessionExpiry(db: DbTx, id: string): Promise<Date | null> {
  return (await db.session.findUnique({ where: { id }, select: { expiresAt: true } }))?.expiresAt ?? null;
}
