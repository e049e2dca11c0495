// "Make a draft of it": an editor turns an email the pipeline set aside (status `ignored`: sent
// through a mailing list, judged a follow-up or too short) into a draft statement. Extraction
// runs again without the rules that set it aside; the draft says who asked for it and why the
// email had been ignored, the email becomes `drafted`, and the audit log records it, all in one
// transaction guarded on the email still being `ignored`.
import { randomUUID } from 'node:crypto';
import { inPgTransaction, poolOf, type Db } from '../db/client.ts';
import { ConflictError, DomainError, ErasedError, NotFoundError } from '../errors.ts';
import { findLikelyDuplicates } from './likely-duplicates.ts';
import { loadExtractContext } from './pipeline.ts';
import { editorPreparer, type Preparer } from './preparer.ts';
import { insertDraft } from './write-outcome.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';

export const DRAFT_FROM_EMAIL_ACTION = 'statement.draft_from_email';

export async function draftFromMessage(
  db: Db,
  input: { messageId: string; actor: Exclude<AuditActor, 'anonymous'>; now?: Date; trustedAuthservIds?: readonly string[]; /** The editors' worker unless a test gives another. */ preparer?: Preparer },
): Promise<{ statementId: string }> {
  const message = await db.message.findUnique({ where: { id: input.messageId }, select: { id: true, raw: true, status: true, statusReason: true, erasedAt: true } });
  if (!message) throw new NotFoundError('message', input.messageId);
  if (message.erasedAt) throw new ErasedError('email', message.erasedAt);
  if (message.status !== 'ignored') {
    throw new ConflictError(
      `Only an email the pipeline set aside (ignored) can be made a draft; this one is ${message.status}.` +
        (message.status === 'drafted' ? ' Open the statement made from it instead.' : ''),
      { messageStatus: message.status },
    );
  }
  // In the editors' parser worker, with the limits of ingest: a hostile email parsed here held
  // the whole server for two minutes.
  const preparer = input.preparer ?? editorPreparer();
  const prepared = await preparer.prepare(Buffer.from(message.raw), await loadExtractContext(db, input.trustedAuthservIds), { asStatement: true });
  if (prepared.kind !== 'drafted') {
    const why = prepared.kind === 'failed' ? prepared.error : 'it holds no text';
    throw new DomainError('not_draftable', 422, `Could not make a draft of this email: ${why}. Create the statement by hand instead.`);
  }
  const statementId = randomUUID();
  const [duplicate] = await findLikelyDuplicates(poolOf(db), [{ id: statementId, draft: prepared.draft }]);
  const setAsideAs = message.statusReason ?? 'ignored';
  const by = typeof input.actor === 'string' ? input.actor : input.actor.email;
  const draft = {
    ...prepared.draft,
    warnings: [...prepared.draft.warnings, `made a draft by ${by} from an email the pipeline had set aside (${setAsideAs})`, ...(duplicate ? [duplicate.warning] : [])],
  };
  const now = input.now ?? new Date();
  return inPgTransaction(db, async (client) => {
    const claimed = await client.query(
      `UPDATE messages SET status = 'drafted', status_reason = NULL, not_statement = false WHERE id = $1::uuid AND status = 'ignored'`,
      [message.id],
    );
    if (claimed.rowCount !== 1) throw new ConflictError('Someone made a draft of this email a moment ago: reload the page to see it.');
    await insertDraft(client, { id: statementId, messageId: message.id, draft, likelyDuplicateOfId: duplicate?.id ?? null, now });
    await recordAudit(client, {
      actor: input.actor,
      action: DRAFT_FROM_EMAIL_ACTION,
      targetType: 'statement',
      targetId: statementId,
      details: { messageId: message.id, reason: `the email had been set aside: ${setAsideAs}` },
      at: now,
    });
    return { statementId };
  });
}
