// Writing a chunk's outcomes (pipeline.ts): likely duplicates flagged, then every outcome in one
// transaction; a chunk the database refuses for one message's sake is written again one message
// at a time, so that only the message at fault is marked failed, with the reason.
import { recordMessageOutcome } from '../observability/metrics.ts';
import type pg from 'pg';
import { inPgTransaction, poolOf, type Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { describeMessageError, isDatabaseUnavailable } from './database-errors.ts';
import { checkLikelyDuplicates, type DuplicateCache, type LikelyDuplicate } from './likely-duplicates.ts';
import type { MessageOutcome, PendingMessage } from './message-outcome.ts';
import type { PreparedMessage } from './prepare-message.ts';
import { enqueueAcknowledgement, type AnswerSettings } from '../answers/acknowledge.ts';
import { attachCorrection } from './attach-correction.ts';
import { readsAsCorrection } from '../answers/correction-words.ts';
import { mayCorrectAStatement } from '../answers/find-correction.ts';
import { claimMessage, claimMessages, insertAttachments, insertAttachmentsOf, insertDraft, insertDrafts, markMessageFailed } from './write-outcome.ts';

const MAX_ERROR_CHARS = 2000;

/** What the CPU stages made of a message, ready to be written; a draft gets its id now, to be compared with the drafts after it. */
/** What the writer needs of the pipeline's deps (PipelineDeps in pipeline.ts, which calls it). */
export interface ChunkWriterDeps {
  db: Db;
  logger: Logger;
  answers?: AnswerSettings | undefined;
}

export type Prepared = { message: PendingMessage } & (
  | { kind: 'skipped' }
  | Exclude<PreparedMessage, { kind: 'drafted' }>
  | (Extract<PreparedMessage, { kind: 'drafted' }> & { statementId: string; duplicate?: LikelyDuplicate | null })
);

/**
 * Writes a chunk's outcomes in one transaction, after flagging likely duplicates (which sees the
 * chunks committed before it). A chunk the database refuses for one message's sake is written
 * again one message at a time, so that only the message at fault is marked failed.
 */
export async function writeChunk(deps: ChunkWriterDeps, preparedChunk: Prepared[], cache: DuplicateCache): Promise<MessageOutcome[]> {
  const prepared = await withDuplicatesFlagged(deps, preparedChunk, cache);
  let outcomes: MessageOutcome[];
  try {
    outcomes = await inPgTransaction(deps.db, (client) => writeOutcomes(client, prepared, new Date(), deps.answers));
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    deps.logger.warn({ err: error, messages: prepared.length }, 'the database refused a chunk of outcomes; writing them one at a time');
    outcomes = await writeOneByOne(deps, prepared);
  }
  prepared.forEach((p, i) => logOutcome(deps.logger, p.message, outcomes[i]!));
  return outcomes;
}

/** The chunk with each draft's likely duplicate set; a draft whose check the database refused is failed with the reason. */
async function withDuplicatesFlagged(deps: ChunkWriterDeps, prepared: Prepared[], cache: DuplicateCache): Promise<Prepared[]> {
  const drafts = prepared.filter((p) => p.kind === 'drafted');
  const found = await checkLikelyDuplicates(poolOf(deps.db), drafts.map((p) => ({ id: p.statementId, draft: p.draft })), cache);
  const checks = new Map(drafts.map((p, i) => [p, found[i]!]));
  return prepared.map((p): Prepared => {
    if (p.kind !== 'drafted') return p;
    const check = checks.get(p)!;
    if (check && 'error' in check) {
      deps.logger.warn({ ...p.message.log, err: check.error, messageId: p.message.messageId }, 'the database refused the likely-duplicate check of a draft');
      return { message: p.message, kind: 'failed', error: `could not check for likely duplicates: ${describeMessageError(check.error)}` };
    }
    p.duplicate = check;
    return p;
  });
}

async function writeOneByOne(deps: ChunkWriterDeps, prepared: Prepared[]): Promise<MessageOutcome[]> {
  const outcomes: MessageOutcome[] = [];
  const written = new Set<string>();
  const inChunk = new Set(prepared.flatMap((p) => (p.kind === 'drafted' ? [p.statementId] : [])));
  for (const p of prepared) {
    // A draft of this chunk that the database refused cannot be pointed at.
    if (p.kind === 'drafted' && p.duplicate && inChunk.has(p.duplicate.id) && !written.has(p.duplicate.id)) p.duplicate = null;
    try {
      const outcome = await inPgTransaction(deps.db, (client) => writeOne(client, p, new Date(), deps.answers));
      if (outcome.status === 'drafted') written.add(outcome.statementId);
      outcomes.push(outcome);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      deps.logger.warn({ ...p.message.log, err: error, messageId: p.message.messageId }, 'the database refused the outcome of a message');
      const verb = p.kind === 'failed' ? 'could not record why it failed' : p.kind === 'drafted' ? 'could not extract a draft' : 'could not record that it was ignored';
      outcomes.push(await writeFailed(deps, p.message, `${verb}: ${describeMessageError(error)}`));
    }
  }
  return outcomes;
}

/** Marks a message failed; when even that is refused, with a reason of our own words only. */
export async function writeFailed(deps: ChunkWriterDeps, message: PendingMessage, error: string): Promise<MessageOutcome> {
  const failed = (text: string): Prepared => ({ message, kind: 'failed', error: text });
  try {
    return await inPgTransaction(deps.db, (client) => writeOne(client, failed(error), new Date()));
  } catch (refused) {
    if (isDatabaseUnavailable(refused)) throw refused;
    return inPgTransaction(deps.db, (client) => writeOne(client, failed('could not process the message; the email is kept raw, and the service log has the details'), new Date()));
  }
}

/**
 * A chunk's outcomes on one transaction, in order. Most messages (a new draft, an ignored
 * message) need nothing read to be written: runs of them are written together, a statement per
 * table, not a round trip per message and table. A message that may correct a statement, or
 * gets an acknowledgement decision, reads what was written before it (a statement drafted
 * earlier in the same chunk must be found): the run before it is written first, then it alone.
 */
async function writeOutcomes(client: pg.ClientBase, prepared: Prepared[], now: Date, answers?: AnswerSettings): Promise<MessageOutcome[]> {
  const outcomes: MessageOutcome[] = [];
  let run: Together[] = [];
  for (const p of prepared) {
    if (canWriteTogether(p, answers)) {
      run.push(p);
      continue;
    }
    outcomes.push(...(await writeTogether(client, run, now)));
    run = [];
    outcomes.push(await writeOne(client, p, now, answers));
  }
  outcomes.push(...(await writeTogether(client, run, now)));
  return outcomes;
}

type Together = Extract<Prepared, { kind: 'drafted' | 'ignored' }>;

function canWriteTogether(p: Prepared, answers: AnswerSettings | undefined): p is Together {
  if (p.kind === 'drafted') return !answers && !mayCorrectAStatement(p.fields);
  return p.kind === 'ignored' && !correctsWhenIgnored(p);
}

/** A short reply judged not a statement corrects one only when it says so ("please add our signature"). */
function correctsWhenIgnored(p: Extract<Prepared, { kind: 'ignored' }>): boolean {
  return p.verdict.notStatement && readsAsCorrection(p.fields.subject, p.fields.textBody);
}

/**
 * Drafted and ignored messages that need nothing read, as writeOne would write them one by one.
 * A message given twice (two copies in one batch) is claimed once: the second is `skipped`.
 */
async function writeTogether(client: pg.ClientBase, run: Together[], now: Date): Promise<MessageOutcome[]> {
  if (!run.length) return [];
  const first = run.filter((p, i) => run.findIndex((q) => q.message.messageId === p.message.messageId) === i);
  const claimed = await claimMessages(
    client,
    first.map((p) => ({ messageId: p.message.messageId, fields: p.fields, verdict: p.kind === 'drafted' ? { status: 'drafted' } : p.verdict, now })),
  );
  const written = first.filter((p) => claimed.has(p.message.messageId));
  await insertAttachmentsOf(client, written.map((p) => ({ messageId: p.message.messageId, attachments: p.attachments })));
  await insertDrafts(
    client,
    written.flatMap((p) =>
      p.kind === 'drafted' ? [{ id: p.statementId, messageId: p.message.messageId, draft: withDuplicateWarning(p), likelyDuplicateOfId: p.duplicate?.id ?? null, now }] : [],
    ),
  );
  const done = new Set(written);
  return run.map((p): MessageOutcome => {
    if (!done.has(p)) return { status: 'skipped' };
    return p.kind === 'drafted' ? { status: 'drafted', statementId: p.statementId } : { status: 'ignored', reason: p.verdict.reason };
  });
}

function withDuplicateWarning(p: Extract<Prepared, { kind: 'drafted' }>) {
  return p.duplicate ? { ...p.draft, warnings: [...p.draft.warnings, p.duplicate.warning] } : p.draft;
}

/** One message's outcome, guarded on `status = received`: `skipped` when another worker got there first. */
async function writeOne(client: pg.ClientBase, p: Prepared, now: Date, answers?: AnswerSettings): Promise<MessageOutcome> {
  const messageId = p.message.messageId;
  switch (p.kind) {
    case 'skipped':
      return { status: 'skipped' };
    case 'failed': {
      const error = p.error.replace(/\u0000/g, '').slice(0, MAX_ERROR_CHARS);
      return (await markMessageFailed(client, { messageId, error, now })) ? { status: 'failed', error } : { status: 'skipped' };
    }
    case 'ignored': {
      // A short reply judged not a statement corrects one only when it says so ("please add our
      // signature"); "did you get our statement?" stays a follow-up.
      const corrected = correctsWhenIgnored(p)
          ? await attachCorrection(client, { messageId, fields: p.fields, attachments: p.attachments, draft: null }, now)
          : null;
      if (corrected) return corrected;
      if (!(await claimMessage(client, { messageId, fields: p.fields, verdict: p.verdict, now }))) return { status: 'skipped' };
      await insertAttachments(client, messageId, p.attachments);
      return { status: 'ignored', reason: p.verdict.reason };
    }
    case 'drafted': {
      const corrected = await attachCorrection(client, { messageId, fields: p.fields, attachments: p.attachments, draft: p.draft }, now);
      if (corrected) return corrected;
      if (!(await claimMessage(client, { messageId, fields: p.fields, verdict: { status: 'drafted' }, now }))) return { status: 'skipped' };
      await insertAttachments(client, messageId, p.attachments);
      const draft = withDuplicateWarning(p);
      const statementId = await insertDraft(client, { id: p.statementId, messageId, draft, likelyDuplicateOfId: p.duplicate?.id ?? null, now });
      // The acknowledgement (or why none) commits with the draft: never lost, never for a draft rolled back.
      if (answers) await enqueueAcknowledgement(client, answers, { messageId, statementId, fields: p.fields, title: draft.title, language: draft.language, now });
      return { status: 'drafted', statementId };
    }
  }
}

function logOutcome(logger: Logger, message: PendingMessage, outcome: MessageOutcome): void {
  if (outcome.status === 'skipped') return;
  recordMessageOutcome(outcome.status);
  const bindings = { ...message.log, messageId: message.messageId };
  if (outcome.status === 'failed') logger.warn({ ...bindings, outcome: 'failed', error: outcome.error }, 'message ingested');
  else logger.info({ ...bindings, outcome: outcome.status, ...(outcome.status === 'drafted' ? { statementId: outcome.statementId } : {}) }, 'message ingested');
}
