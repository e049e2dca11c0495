// The sender's status page token: 32 random bytes (256 bits), base64url, shown once in the
// acknowledgement; only its sha256 is stored, so the database alone cannot open a status page.
import { createHash, randomBytes } from 'node:crypto';
import type { Db, DbTx } from '../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import type { StatementStatus } from '../generated/prisma/enums.ts';

export const STATUS_TOKEN_BYTES = 32;
/** base64url of 32 bytes. Anything else is not a token and is answered 404 without a query. */
export const STATUS_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newStatusToken(): string {
  return randomBytes(STATUS_TOKEN_BYTES).toString('base64url');
}

export function hashStatusToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function statusUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/submissions/${token}`;
}

export type SubmissionState = 'received' | 'being_reviewed' | 'published' | 'not_published';

/** What the sender may know: received until an editor touches it, then reviewed, then the outcome. */
export function submissionState(statement: { status: StatementStatus; version: number }): SubmissionState {
  switch (statement.status) {
    case 'published':
      return 'published';
    case 'rejected':
    case 'unpublished':
      return 'not_published';
    case 'approved':
      return 'being_reviewed';
    case 'draft':
      return statement.version > 1 ? 'being_reviewed' : 'received';
  }
}

/** The status of a submission by its token, or null: only what the sender's page shows (the language only to choose its wording). */
export async function findSubmissionStatus(db: DbTx, token: string) {
  if (!STATUS_TOKEN_PATTERN.test(token)) return null;
  const row = await db.submission.findUnique({
    where: { tokenHash: hashStatusToken(token) },
    select: {
      senderNote: true,
      createdAt: true,
      statement: { select: { status: true, version: true, slug: true, language: true } },
    },
  });
  if (!row) return null;
  const state = submissionState(row.statement);
  return {
    state,
    receivedAt: row.createdAt,
    language: row.statement.language,
    slug: state === 'published' ? row.statement.slug : null,
    note: state === 'not_published' ? row.senderNote : null,
  };
}

export const MAX_SENDER_NOTE_CHARS = 2000;

/**
 * An editor's note for the sender, shown on the status page when the statement is not published;
 * an empty note clears it. Audited. Returns the note as saved.
 */
export async function setSenderNote(db: Db, input: { statementId: string; note: string; actor: AuditActor; now: Date }): Promise<{ note: string | null; updatedAt: Date }> {
  const note = input.note.trim();
  if (note.length > MAX_SENDER_NOTE_CHARS) throw new ValidationError(`The note is too long: keep it under ${MAX_SENDER_NOTE_CHARS} characters.`);
  return db.$transaction(async (tx) => {
    const result = await tx.submission.updateMany({ where: { statementId: input.statementId }, data: { senderNote: note || null, noteUpdatedAt: input.now } });
    if (result.count !== 1) {
      const exists = await tx.statement.findUnique({ where: { id: input.statementId }, select: { id: true } });
      if (!exists) throw new NotFoundError('statement', input.statementId);
      throw new ConflictError('This statement has no status page (its sender was not sent an acknowledgement), so there is nowhere to show a note.');
    }
    await recordAudit(tx, { actor: input.actor, action: 'statement.sender_note', targetType: 'statement', targetId: input.statementId, details: { note: note || null }, at: input.now });
    return { note: note || null, updatedAt: input.now };
  });
}
