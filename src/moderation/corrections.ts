// Pending corrections on a statement (a sender's "corrected version" that found its statement):
// shown with a word-level diff against the current text; applying one is an audited edit (a
// revision; `corrected` in the feeds when published), dismissing one leaves the statement as is.
import { diffWords } from 'diff';
import type { Db, DbTx } from '../db/client.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import { editStatementIn, type StatementChanges } from './edit-statement.ts';

export interface DiffPart {
  text: string;
  change: 'same' | 'added' | 'removed';
}

/** Word-level diff; null when the texts are too far apart to show word by word (over 2,000 edits, or 200 ms). */
export function wordDiff(from: string, to: string): DiffPart[] | null {
  const parts = diffWords(from, to, { maxEditLength: 2000, timeout: 200 });
  if (!parts) return null;
  return parts.map((p) => ({ text: p.value, change: p.added ? 'added' : p.removed ? 'removed' : 'same' }));
}

export const CORRECTION_STATUSES = ['pending', 'applied', 'dismissed'] as const;
export type CorrectionStatus = (typeof CORRECTION_STATUSES)[number];
/** At most this many corrections are listed, each with its diff. */
export const CORRECTIONS_LIST_LIMIT = 20;

const MATCHED: Record<string, string> = {
  thread: 'it replies to this statement or to our acknowledgement',
  same_sender: 'same sender, near-identical title, and it reads as a correction',
};

/** A statement's corrections (pending, then applied, then dismissed; each oldest first), each with a word-level diff against the current text. */
export async function findCorrections(db: DbTx, statementId: string, currentText: string, options: { statuses?: readonly CorrectionStatus[]; id?: string } = {}) {
  const rows = await db.statementCorrection.findMany({
    where: { statementId, status: { in: [...(options.statuses ?? CORRECTION_STATUSES)] }, ...(options.id ? { id: options.id } : {}) },
    orderBy: [{ status: 'asc' }, { createdAt: 'asc' }],
    take: CORRECTIONS_LIST_LIMIT,
    select: {
      id: true,
      messageId: true,
      status: true,
      matchedBy: true,
      title: true,
      bodyText: true,
      signatories: true,
      createdAt: true,
      decidedAt: true,
      decidedBy: true,
      message: { select: { fromAddress: true, subject: true } },
    },
  });
  return rows.map((c) => ({
    ...c,
    signatories: Array.isArray(c.signatories) ? (c.signatories as { name: string; role: string | null }[]) : [],
    diff: wordDiff(currentText, c.bodyText),
    matched: MATCHED[c.matchedBy] ?? MATCHED.same_sender!,
  }));
}

export async function findPendingCorrections(db: DbTx, statementId: string, currentText: string) {
  return findCorrections(db, statementId, currentText, { statuses: ['pending'] });
}

type Decider = Exclude<AuditActor, 'anonymous'>;

async function pendingCorrection(tx: DbTx, statementId: string, correctionId: string) {
  const correction = await tx.statementCorrection.findUnique({ where: { id: correctionId } });
  if (!correction || correction.statementId !== statementId) throw new NotFoundError('correction', correctionId);
  if (correction.status !== 'pending') throw new ConflictError(`This correction was already ${correction.status}. Reload the statement to see it as it is now.`);
  return correction;
}

async function markDecided(tx: DbTx, correctionId: string, status: 'applied' | 'dismissed', actor: Decider, now: Date) {
  const decidedBy = typeof actor === 'string' ? actor : actor.email;
  const updated = await tx.statementCorrection.updateMany({ where: { id: correctionId, status: 'pending' }, data: { status, decidedAt: now, decidedBy } });
  if (updated.count !== 1) throw new ConflictError('Someone decided about this correction a moment ago. Reload the statement to see it as it is now.');
}

/**
 * Replaces the statement's text (and signatories, if the correction names some) in one audited
 * revision. `expectedVersion` undefined: whatever version is current (If-Match: *).
 */
export async function applyCorrection(db: Db, input: { statementId: string; correctionId: string; expectedVersion: number | undefined; actor: Decider; now: Date }) {
  return db.$transaction(async (tx) => {
    const correction = await pendingCorrection(tx, input.statementId, input.correctionId);
    const expectedVersion = input.expectedVersion ?? (await tx.statement.findUniqueOrThrow({ where: { id: input.statementId }, select: { version: true } })).version;
    const signatories = Array.isArray(correction.signatories) ? (correction.signatories as { name: string; role: string | null }[]) : [];
    const changes: StatementChanges = { ...(correction.bodyText.trim() ? { bodyText: correction.bodyText } : {}), ...(signatories.length ? { signatories } : {}) };
    const result = await editStatementIn(tx, { id: input.statementId, expectedVersion, changes, actor: input.actor, now: input.now });
    await markDecided(tx, correction.id, 'applied', input.actor, input.now);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'statement.correction_apply',
      targetType: 'statement',
      targetId: input.statementId,
      details: { correctionId: correction.id, messageId: correction.messageId, version: result.version, fields: result.changed },
      at: input.now,
    });
    return result;
  });
}

export async function dismissCorrection(db: Db, input: { statementId: string; correctionId: string; actor: Decider; now: Date }): Promise<void> {
  await db.$transaction(async (tx) => {
    const correction = await pendingCorrection(tx, input.statementId, input.correctionId);
    await markDecided(tx, correction.id, 'dismissed', input.actor, input.now);
    await recordAudit(tx, { actor: input.actor, action: 'statement.correction_dismiss', targetType: 'statement', targetId: input.statementId, details: { correctionId: correction.id, messageId: correction.messageId }, at: input.now });
  });
}
