// The list of rejection reasons admins keep, offered when an editor rejects a statement (a
// written reason is always allowed too). Guarantees: texts are unique (409), changes audited.
import { z } from 'zod';
import type { Db, DbTx } from '../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import { MAX_REASON_CHARS } from './transitions.ts';
import { withUniqueConflict } from './unique-violation.ts';

export const rejectionReasonInputSchema = z.strictObject({
  text: z.string().trim().min(1, 'the reason cannot be empty').max(MAX_REASON_CHARS),
});

export async function listRejectionReasons(db: DbTx) {
  return db.rejectionReason.findMany({ orderBy: { text: 'asc' } });
}

/** The text of one kept reason, or null when there is none with this id. */
export async function findRejectionReasonText(db: DbTx, id: string): Promise<string | null> {
  return (await db.rejectionReason.findUnique({ where: { id }, select: { text: true } }))?.text ?? null;
}

export async function createRejectionReason(db: Db, input: { text: string; actor: AuditActor; now: Date }) {
  const parsed = rejectionReasonInputSchema.safeParse({ text: input.text });
  if (!parsed.success) throw new ValidationError(`The reason is not valid: ${parsed.error.issues.map((i) => i.message).join('; ')}.`);
  const text = parsed.data.text;
  const taken = () => new ConflictError(`The reason "${text}" is already in the list.`);
  return withUniqueConflict(() => db.$transaction(async (tx) => {
    const existing = await tx.rejectionReason.findUnique({ where: { text } });
    if (existing) throw new ConflictError(`The reason "${text}" is already in the list.`, { existingId: existing.id });
    const created = await tx.rejectionReason.create({ data: { text, createdAt: input.now } });
    await recordAudit(tx, { actor: input.actor, action: 'rejection_reason.create', targetType: 'rejection_reason', targetId: created.id, details: { text }, at: input.now });
    return created;
  }), taken);
}

export async function deleteRejectionReason(db: Db, input: { id: string; actor: AuditActor; now: Date }): Promise<void> {
  await db.$transaction(async (tx) => {
    const existing = await tx.rejectionReason.findUnique({ where: { id: input.id } });
    if (!existing) throw new NotFoundError('rejection reason', input.id);
    await tx.rejectionReason.delete({ where: { id: existing.id } });
    await recordAudit(tx, { actor: input.actor, action: 'rejection_reason.delete', targetType: 'rejection_reason', targetId: existing.id, details: { text: existing.text }, at: input.now });
  });
}
