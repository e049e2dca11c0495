// The ingest pipeline for stored messages: parse -> classify -> extract -> draft.
// Message states: received -> drafted | ignored | failed (DESIGN.md). Outcomes are written guarded
// on `status = received`, so two workers never draft the same message twice. One bad message
// never blocks the rest: a parse or extraction error marks it `failed` with the error; only
// database errors propagate (the messages not yet written stay `received` for a retry).
//
// Messages go through in chunks: the outcomes of a chunk are written in one transaction, and
// while the database writes one chunk, the next is parsed and extracted. A chunk the database
// refuses as a whole (one message it cannot hold) is written again one message at a time, so
// only that message is marked failed.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { inPgTransaction, poolOf, type Db } from '../db/client.ts';
import { Prisma } from '../db/client.ts';
import { enqueueAcknowledgement, type AnswerSettings } from '../answers/acknowledge.ts';
import { attachCorrection } from '../answers/attach-correction.ts';
import { readsAsCorrection } from '../answers/correction-words.ts';
import type { ExtractContext } from '../extract/index.ts';
import type { Logger } from '../logger.ts';
import { findLikelyDuplicates, type DuplicateCache, type LikelyDuplicate } from './likely-duplicates.ts';
import type { PreparedMessage } from './prepare-message.ts';
import { sharedPreparer, type Preparer } from './preparer.ts';
import { claimMessage, insertAttachments, insertDraft, markMessageFailed } from './write-outcome.ts';

export interface PipelineDeps {
  db: Db;
  logger: Logger;
  /**
   * Known organisations for extraction, loaded once by a caller that processes many messages
   * (a batch); without it they are loaded once per call.
   */
  extractContext?: ExtractContext;
  /** Where messages are parsed and extracted: the process's worker unless a test gives another. */
  preparer?: Preparer;
  /** Set when outgoing mail is configured: each new draft gets an acknowledgement decision. */
  answers?: AnswerSettings | undefined;
}

export interface ProcessOptions {
  /**
   * The raw bytes, when the caller has just stored them (`created: true`): saves reading them
   * back. The claim below stays guarded on `status = received`, so a wrong guess only costs work.
   */
  raw?: Buffer;
}

/** One stored message to process. */
export interface PendingMessage extends ProcessOptions {
  messageId: string;
  /** Added to this message's log lines, e.g. its IMAP UID or file name. */
  log?: Record<string, unknown>;
}

export type MessageOutcome =
  | { status: 'drafted'; statementId: string }
  | { status: 'ignored'; reason: string }
  | { status: 'failed'; error: string }
  | { status: 'skipped' };

const MAX_ERROR_CHARS = 2000;
/**
 * Messages whose outcomes share a transaction. Small enough that the next chunk's parsing fills
 * the time the database takes, and that one refused message costs a short replay.
 */
export const OUTCOME_CHUNK_SIZE = 16;
/** Chunks handed to the preparer beyond the one being written: it never waits for the database. */
const PREPARED_AHEAD = 2;

export async function loadExtractContext(db: Db): Promise<ExtractContext> {
  const organisations = await db.organisation.findMany({
    select: { id: true, name: true, shortName: true, senderAddresses: true, senderDomains: true },
  });
  return { organisations };
}

/** Runs one stored message through the pipeline, once. */
export async function processMessage(deps: PipelineDeps, messageId: string, options: ProcessOptions = {}): Promise<MessageOutcome> {
  const [outcome] = await processMessages(deps, [{ messageId, ...options }]);
  return outcome!;
}

/** What the CPU stages made of a message, ready to be written; a draft gets its id now, to be compared with the drafts after it. */
type Prepared = { message: PendingMessage } & (
  | { kind: 'skipped' }
  | Exclude<PreparedMessage, { kind: 'drafted' }>
  | (Extract<PreparedMessage, { kind: 'drafted' }> & { statementId: string; duplicate?: LikelyDuplicate | null })
);

/**
 * Runs stored messages through the pipeline, each once, and returns their outcomes in order.
 * Throws only for database errors; the messages whose chunk was not committed stay `received`.
 */
export async function processMessages(deps: PipelineDeps, messages: PendingMessage[]): Promise<MessageOutcome[]> {
  return processChunks(deps, inChunks(messages));
}

/** Items in runs of OUTCOME_CHUNK_SIZE: the pipeline's unit of work and of commit. */
export function inChunks<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += OUTCOME_CHUNK_SIZE) chunks.push(items.slice(start, start + OUTCOME_CHUNK_SIZE));
  return chunks;
}

/**
 * processMessages over chunks that arrive one by one (ingest-raw.ts stores each before it comes
 * here); each chunk's outcomes are written in one transaction. Three things overlap: the
 * preparer parses a chunk while this thread writes the one before, and `chunks` may produce the
 * next one meanwhile. Outcomes come back in the order of the messages.
 */
export async function processChunks(deps: PipelineDeps, chunks: AsyncIterable<PendingMessage[]> | Iterable<PendingMessage[]>): Promise<MessageOutcome[]> {
  const preparer = deps.preparer ?? sharedPreparer();
  preparer.useLogger(deps.logger);
  let context = deps.extractContext;
  const duplicates: DuplicateCache = new Map();
  const outcomes: MessageOutcome[] = [];

  const prepareChunk = async (chunk: PendingMessage[]): Promise<Prepared[]> => {
    context ??= await loadExtractContext(deps.db);
    const known = context;
    const raws = await readRaws(deps.db, chunk);
    return Promise.all(
      chunk.map(async (message): Promise<Prepared> => {
        const raw = message.raw ?? raws.get(message.messageId);
        if (!raw) return { message, kind: 'skipped' };
        const result = await preparer.prepare(raw, known);
        return result.kind === 'drafted' ? { message, ...result, statementId: randomUUID() } : { message, ...result };
      }),
    );
  };
  // One chunk is written at a time, in order (the duplicate check of a chunk sees those before
  // it); the next chunk is already with the preparer. A failure is thrown where it is awaited.
  let writing: Promise<void> = Promise.resolve();
  const write = async (preparing: Promise<Prepared[]>) => {
    const prepared = await preparing;
    await writing;
    writing = handled(writeChunk(deps, prepared, duplicates).then((written) => void outcomes.push(...written)));
  };
  const preparing: Promise<Prepared[]>[] = [];
  try {
    for await (const chunk of chunks) {
      preparing.push(handled(prepareChunk(chunk)));
      if (preparing.length > PREPARED_AHEAD) await write(preparing.shift()!);
    }
    while (preparing.length) await write(preparing.shift()!);
    await writing;
  } finally {
    // On a failure (of `chunks`, say), the write under way ends before the caller hears of it.
    await writing.catch(() => undefined);
  }
  return outcomes;
}

/** The promise itself, marked handled: it is awaited later, and may fail before that. */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The raw bytes of the messages given without them, when they are still `received`. */
async function readRaws(db: Db, chunk: PendingMessage[]): Promise<Map<string, Buffer>> {
  const ids = chunk.filter((m) => !m.raw).map((m) => m.messageId);
  if (!ids.length) return new Map();
  const { rows } = await poolOf(db).query<{ id: string; raw: Buffer }>(
    `SELECT id::text AS id, raw FROM messages WHERE id = ANY($1::uuid[]) AND status = 'received'`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.raw]));
}

/**
 * Writes a chunk's outcomes in one transaction, after flagging likely duplicates (which sees the
 * chunks committed before it). A chunk the database refuses for one message's sake is written
 * again one message at a time, so that only the message at fault is marked failed.
 */
async function writeChunk(deps: PipelineDeps, prepared: Prepared[], cache: DuplicateCache): Promise<MessageOutcome[]> {
  const drafts = prepared.filter((p) => p.kind === 'drafted');
  const found = await findLikelyDuplicates(poolOf(deps.db), drafts.map((p) => ({ id: p.statementId, draft: p.draft })), cache);
  drafts.forEach((p, i) => (p.duplicate = found[i]));
  let outcomes: MessageOutcome[];
  try {
    outcomes = await inPgTransaction(deps.db, async (client) => {
      const now = new Date();
      const written: MessageOutcome[] = [];
      for (const p of prepared) written.push(await writeOne(client, p, now, deps.answers));
      return written;
    });
  } catch (error) {
    if (isDatabaseError(error)) throw error;
    deps.logger.warn({ err: error, messages: prepared.length }, 'the database refused a chunk of outcomes; writing them one at a time');
    outcomes = await writeOneByOne(deps, prepared);
  }
  prepared.forEach((p, i) => logOutcome(deps.logger, p.message, outcomes[i]!));
  return outcomes;
}

async function writeOneByOne(deps: PipelineDeps, prepared: Prepared[]): Promise<MessageOutcome[]> {
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
      if (isDatabaseError(error)) throw error;
      deps.logger.warn({ err: error, messageId: p.message.messageId }, 'the database refused a draft');
      const failed = `could not extract a draft: ${describe(error)}`;
      outcomes.push(await inPgTransaction(deps.db, (client) => writeOne(client, { message: p.message, kind: 'failed', error: failed }, new Date())));
    }
  }
  return outcomes;
}

/** One message's outcome, guarded on `status = received`: `skipped` when another worker got there first. */
async function writeOne(client: pg.ClientBase, p: Prepared, now: Date, answers?: AnswerSettings): Promise<MessageOutcome> {
  const messageId = p.message.messageId;
  switch (p.kind) {
    case 'skipped':
      return { status: 'skipped' };
    case 'failed': {
      const error = p.error.slice(0, MAX_ERROR_CHARS);
      return (await markMessageFailed(client, { messageId, error, now })) ? { status: 'failed', error } : { status: 'skipped' };
    }
    case 'ignored': {
      // A short reply judged not a statement corrects one only when it says so ("please add our
      // signature"); "did you get our statement?" stays a follow-up.
      const corrected = p.verdict.notStatement && readsAsCorrection(p.fields.subject, p.fields.textBody) ? await attachCorrection(client, { messageId, fields: p.fields, attachments: p.attachments, draft: null }, now) : null;
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
      const draft = p.duplicate ? { ...p.draft, warnings: [...p.draft.warnings, p.duplicate.warning] } : p.draft;
      const statementId = await insertDraft(client, { id: p.statementId, messageId, draft, likelyDuplicateOfId: p.duplicate?.id ?? null, now });
      // The acknowledgement (or why none) commits with the draft: never lost, never for a draft rolled back.
      if (answers) await enqueueAcknowledgement(client, answers, { messageId, statementId, fields: p.fields, title: draft.title, language: draft.language, now });
      return { status: 'drafted', statementId };
    }
  }
}

function logOutcome(logger: Logger, message: PendingMessage, outcome: MessageOutcome): void {
  if (outcome.status === 'skipped') return;
  const bindings = { ...message.log, messageId: message.messageId };
  if (outcome.status === 'failed') logger.warn({ ...bindings, outcome: 'failed', error: outcome.error }, 'message ingested');
  else logger.info({ ...bindings, outcome: outcome.status, ...(outcome.status === 'drafted' ? { statementId: outcome.statementId } : {}) }, 'message ingested');
}

/**
 * The error as editors see it on the message: one sentence, never a Prisma invocation dump with
 * source paths (the full error goes to the log).
 */
function describe(error: unknown): string {
  const sqlState = postgresErrorCode(error);
  if (error instanceof Prisma.PrismaClientKnownRequestError || sqlState) {
    if (/too long for tsvector/i.test((error as Error).message)) {
      return 'the statement is longer than the search index allows; the email is kept raw: shorten the text in a copy and import that';
    }
    const code = error instanceof Prisma.PrismaClientKnownRequestError ? error.code : sqlState;
    return `the database refused it (${code}); the email is kept raw, and the service log has the details`;
  }
  return error instanceof Error ? error.message.split('\n')[0]!.trim() || error.name : String(error);
}

/** The SQLSTATE of an error node-postgres raised for the server, if it is one. */
function postgresErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Prisma codes for an unreachable or overloaded database: retry later, do not blame the message. */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);

/** True when the database, not the message, is at fault: the message stays `received`. */
function isDatabaseError(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return UNAVAILABLE_CODES.has(error.code);
  // SQLSTATE classes 08 (connection), 53 (resources), 57 (operator intervention, e.g. shutdown).
  const sqlState = postgresErrorCode(error);
  if (sqlState) return /^(08|53|57)/.test(sqlState);
  return (
    error instanceof Prisma.PrismaClientUnknownRequestError ||
    error instanceof Prisma.PrismaClientInitializationError ||
    error instanceof Prisma.PrismaClientRustPanicError ||
    (error instanceof Error && /ECONNREFUSED|ECONNRESET|terminating connection|Connection terminated/i.test(error.message))
  );
}

/**
 * Processes every message still `received` (after a crash, or left by another source), oldest
 * first, a page at a time so that a long backlog is never held in memory at once. Returns how
 * many it took. Each page leaves `received` behind (drafted, ignored, failed, or taken by
 * another process), so this ends.
 */
export async function processPendingMessages(deps: PipelineDeps, options: { pageSize?: number } = {}): Promise<number> {
  const pageSize = options.pageSize ?? 500;
  let taken = 0;
  for (;;) {
    const page = await deps.db.message.findMany({
      where: { status: 'received' },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
      take: pageSize,
    });
    await processMessages(deps, page.map(({ id }) => ({ messageId: id })));
    taken += page.length;
    if (page.length < pageSize) return taken;
  }
}
