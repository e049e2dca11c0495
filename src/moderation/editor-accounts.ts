// Editor accounts, managed by admins: list, add, change role, deactivate or reactivate, set a
// password (or an editor their own).
// Guarantees: the last active admin can be neither demoted nor deactivated (someone must be
// able to manage the team); deactivating revokes the editor's sessions and API tokens at once;
// every change is audited in its transaction. Password hashes never leave this module.
import { z } from 'zod';
import type { Db, DbTx } from '../db/client.ts';
import { checkNewPassword, createEditor, type EditorIdentity, type EditorRole } from '../editors/editors.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../editors/passwords.ts';
import { defaultPasswordCheckLimiter, type AttemptLimiter } from '../editors/sign-in-limiter.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';

export const EDITOR_ACCOUNT_SELECT = { id: true, email: true, name: true, role: true, active: true, createdAt: true, updatedAt: true } as const;

export const newEditorSchema = z.strictObject({
  email: z.email('not an email address'),
  password: z.string().min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`).max(1000),
  name: z.string().trim().max(200).nullable().default(null),
  role: z.enum(['editor', 'admin']).default('editor'),
});
export type NewEditor = z.input<typeof newEditorSchema>;

export async function listEditors(db: DbTx) {
  return db.editor.findMany({ orderBy: [{ active: 'desc' }, { email: 'asc' }], select: EDITOR_ACCOUNT_SELECT });
}

export async function addEditor(db: Db, input: { editor: NewEditor; actor: AuditActor; now: Date }) {
  return db.$transaction(async (tx) => {
    const created = await createEditor(tx, { email: input.editor.email, password: input.editor.password, role: input.editor.role ?? 'editor', name: input.editor.name ?? null });
    await recordAudit(tx, { actor: input.actor, action: 'editor.create', targetType: 'editor', targetId: created.id, details: { email: created.email, role: created.role }, at: input.now });
    return tx.editor.findUniqueOrThrow({ where: { id: created.id }, select: EDITOR_ACCOUNT_SELECT });
  });
}

async function ensureAnotherActiveAdmin(tx: DbTx, editorId: string, doing: string) {
  const others = await tx.editor.count({ where: { role: 'admin', active: true, id: { not: editorId } } });
  if (others === 0) throw new ConflictError(`This is the last active administrator, so you cannot ${doing}. Make another editor an administrator first.`);
}

export async function updateEditorAccount(
  db: Db,
  input: { id: string; changes: { role?: EditorRole | undefined; active?: boolean | undefined; name?: string | null | undefined }; actor: AuditActor; now: Date },
) {
  return db.$transaction(async (tx) => {
    // Lock the admin rows so two admins demoting each other at once cannot leave none.
    await tx.$queryRaw`SELECT id FROM editors WHERE role = 'admin' FOR UPDATE`;
    const current = await tx.editor.findUnique({ where: { id: input.id }, select: EDITOR_ACCOUNT_SELECT });
    if (!current) throw new NotFoundError('editor', input.id);
    const { role, active, name } = input.changes;
    if (current.role === 'admin' && current.active && ((role && role !== 'admin') || active === false)) {
      await ensureAnotherActiveAdmin(tx, current.id, role && role !== 'admin' ? 'make them an editor' : 'deactivate them');
    }
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    if (role !== undefined && role !== current.role) diff.role = { from: current.role, to: role };
    if (active !== undefined && active !== current.active) diff.active = { from: current.active, to: active };
    if (name !== undefined && name !== current.name) diff.name = { from: current.name, to: name };
    if (Object.keys(diff).length === 0) return current;
    const updated = await tx.editor.update({
      where: { id: current.id },
      data: Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, v.to])),
      select: EDITOR_ACCOUNT_SELECT,
    });
    if (diff.active && active === false) {
      await tx.session.updateMany({ where: { editorId: current.id, revokedAt: null }, data: { revokedAt: input.now } });
      await tx.apiToken.updateMany({ where: { editorId: current.id, revokedAt: null }, data: { revokedAt: input.now } });
    }
    const action = diff.active ? (active ? 'editor.reactivate' : 'editor.deactivate') : diff.role ? 'editor.role' : 'editor.update';
    await recordAudit(tx, { actor: input.actor, action, targetType: 'editor', targetId: current.id, details: { email: current.email, changes: diff }, at: input.now });
    return updated;
  });
}

/**
 * Sets an editor's password (an administrator resetting it, the editor changing their own, or
 * the CLI). Every session of that editor except `keepSessionId` ends, so a leaked password stops
 * working everywhere at once. Their API tokens are revoked too unless `revokeApiTokens` is false:
 * a password changes because it may have leaked, and whoever had it could have made a token.
 */
export async function setEditorPassword(
  db: Db,
  input: { id: string; password: string; actor: AuditActor; now: Date; keepSessionId?: string | undefined; revokeApiTokens?: boolean | undefined },
): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  checkNewPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const updated = await tx.editor.updateMany({ where: { id: input.id }, data: { passwordHash } });
    if (updated.count !== 1) throw new NotFoundError('editor', input.id);
    const ended = await tx.session.updateMany({
      where: { editorId: input.id, revokedAt: null, ...(input.keepSessionId ? { id: { not: input.keepSessionId } } : {}) },
      data: { revokedAt: input.now },
    });
    const revoked = input.revokeApiTokens === false
      ? { count: 0 }
      : await tx.apiToken.updateMany({ where: { editorId: input.id, revokedAt: null }, data: { revokedAt: input.now } });
    await recordAudit(tx, { actor: input.actor, action: 'editor.password', targetType: 'editor', targetId: input.id, details: { sessionsEnded: ended.count, tokensRevoked: revoked.count }, at: input.now });
    return { sessionsEnded: ended.count, tokensRevoked: revoked.count };
  });
}

/**
 * An editor changing their own password proves they know the current one. Wrong guesses are
 * limited like sign-ins (per editor and per IP), so a stolen session cannot try passwords until
 * it finds the one that locks the owner out.
 */
export async function changeOwnPassword(
  db: Db,
  input: {
    editor: EditorIdentity;
    currentPassword: string;
    newPassword: string;
    ip: string;
    now: Date;
    keepSessionId?: string | undefined;
    revokeApiTokens?: boolean | undefined;
    limiter?: AttemptLimiter;
  },
): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  checkNewPassword(input.newPassword);
  const limiter = input.limiter ?? defaultPasswordCheckLimiter;
  const keys = { editor: `editor:${input.editor.id}`, ip: `ip:${input.ip}` };
  const attempt = await limiter.begin(db, [keys.editor, keys.ip], input.now);
  const row = await db.editor.findUnique({ where: { id: input.editor.id }, select: { passwordHash: true } });
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await recordAudit(db, { actor: input.editor, action: 'editor.password_check_failed', targetType: 'editor', targetId: input.editor.id, details: { ip: input.ip }, at: input.now });
    throw new ValidationError('The current password is wrong. Type it again; if you forgot it, ask an administrator to set a new one.');
  }
  await limiter.succeeded(db, attempt, { clear: [keys.editor], withdraw: [keys.ip] });
  return setEditorPassword(db, {
    id: input.editor.id,
    password: input.newPassword,
    actor: input.editor,
    now: input.now,
    keepSessionId: input.keepSessionId,
    revokeApiTokens: input.revokeApiTokens,
  });
}
