// Editors: the people who moderate. Data access in small named functions (CONVENTIONS 4).
import type { DbTx } from '../db/client.ts';
import type { EditorRole } from '../generated/prisma/enums.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';

export type { EditorRole };

export interface EditorIdentity {
  id: string;
  email: string;
  name: string | null;
  role: EditorRole;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError(`The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
}

export async function createEditor(
  db: DbTx,
  input: { email: string; password: string; role?: EditorRole; name?: string | null },
): Promise<EditorIdentity> {
  const email = normaliseEmail(input.email);
  if (!EMAIL.test(email)) throw new ValidationError(`"${input.email}" is not an email address.`);
  checkNewPassword(input.password);
  const existing = await db.editor.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw new ConflictError(`An editor with the address ${email} already exists.`);
  const editor = await db.editor.create({
    data: { email, role: input.role ?? 'editor', name: input.name ?? null, passwordHash: await hashPassword(input.password) },
    select: { id: true, email: true, name: true, role: true },
  });
  return editor;
}

export async function findEditorByEmail(db: DbTx, email: string) {
  return db.editor.findUnique({ where: { email: normaliseEmail(email) } });
}

/** Every editor's address and name, by address: the activity page's "who" choices. */
export async function listEditorNames(db: DbTx) {
  return db.editor.findMany({ orderBy: { email: 'asc' }, select: { email: true, name: true } });
}

/** Sets an editor's password and makes the account active again (the demo editor at each start); not audited. */
export async function activateWithPassword(db: DbTx, id: string, password: string): Promise<{ id: string }> {
  return db.editor.update({ where: { id }, data: { passwordHash: await hashPassword(password), active: true }, select: { id: true } });
}
