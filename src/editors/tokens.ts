// API tokens for scripts: 32 random bytes shown once; only their sha256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import type { Db, DbTx } from '../db/client.ts';
import type { EditorIdentity } from './editors.ts';

const TOKEN_PREFIX = 'sdt_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Creates a token for an editor and returns it in clear: the only time it is ever seen. */
export async function createApiToken(db: DbTx, editorId: string): Promise<string> {
  const token = generateSecret(TOKEN_PREFIX);
  await db.apiToken.create({ data: { editorId, tokenHash: hashToken(token) } });
  return token;
}

/** Issues a token for `editor` with its audit entry (`statement-desk editor token`), in one transaction. */
export async function issueApiToken(db: Db, input: { editor: Pick<EditorIdentity, 'id' | 'email'>; actor: AuditActor }): Promise<string> {
  return db.$transaction(async (tx) => {
    const created = await createApiToken(tx, input.editor.id);
    await recordAudit(tx, { actor: input.actor, action: 'editor.token_create', targetType: 'editor', targetId: input.editor.id, details: { email: input.editor.email } });
    return created;
  });
}

/** Revokes every token of an editor and issues a new one, in one transaction (the demo's access). */
export async function replaceApiTokens(db: Db, editorId: string, now: Date): Promise<string> {
  return db.$transaction(async (tx) => {
    await tx.apiToken.updateMany({ where: { editorId, revokedAt: null }, data: { revokedAt: now } });
    return createApiToken(tx, editorId);
  });
}

/** The active editor a bearer token belongs to, or null. Records when it was last used. */
export async function findEditorByApiToken(db: DbTx, token: string, now: Date): Promise<EditorIdentity | null> {
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, revokedAt: true, lastUsedAt: true, editor: { select: { id: true, email: true, name: true, role: true, active: true } } },
  });
  if (!row || row.revokedAt || !row.editor.active) return null;
  // Writing on every request would turn reads into writes; a minute's precision is enough.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  const { active: _active, ...editor } = row.editor;
  return editor;
}
