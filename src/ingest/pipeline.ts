// The ingest pipeline for stored messages: parse -> classify -> extract -> draft.
// Message states: received -> drafted | ignored | failed (DESIGN.md). Outcomes are written guarded
// on `status = received`, so two workers never draft the same message twice. One bad message
// never blocks the rest: an error caused by its data, in parsing, extraction, the likely-duplicate
// check or writing its outcome, marks it alone `failed` with the reason; only a loss of the
// database (told apart by error class, database-errors.ts) propagates, and the messages not yet
// written stay `received` for a retry. A message larger than MAX_MESSAGE_BYTES is not read at all.
//
// Messages go through in chunks: the outcomes of a chunk are written in one transaction, and
// while the database writes one chunk, the next is parsed and extracted. A chunk the database
// refuses as a whole (one message it cannot hold) is written again one message at a time, so
// only that message is marked failed.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { inPgTransaction, poolOf, type Db } from '../db/client.ts';
import type { ExtractContext } from '../extract/index.ts';
import type { Logger } from '../logger.ts';
import { describeMessageError, isDatabaseUnavailable } from './database-errors.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, oversizeError } from './limits.ts';
import { checkLikelyDuplicates, type DuplicateCache, type LikelyDuplicate } from './likely-duplicates.ts';
import type { PreparedMessage } from './prepare-message.ts';
import { sharedPreparer, type Preparer } from './preparer.ts';
import { recordMessageOutcome, recordPipelineChunk } from '../observability/metrics.ts';
import { claimMessage, insertAttachments, insertDraft, markMessageFailed } from './write-outcome.ts';

export interface PipelineDeps {
  db: Db;
  logger: Logger;
  /**
   * Known organisations for extraction, loaded once by a caller that processes many messages
   * (a batch); without it they are loaded once per call.
   */
  extractContext?: ExtractContext;
  /** TRUSTED_AUTHSERV_ID: whose Authentication-Results header is believed. Unset: no sender is verified. */
  trustedAuthservIds?: readonly string[];
  /** Where messages are parsed and extracted: the process's worker unless a test gives another. */
  preparer?: Preparer;
  /** MAX_MESSAGE_BYTES: a larger message is failed unread (it is already stored raw). */
  maxMessageBytes?: number;
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

export async function loadExtractContext(db: Db, trustedAuthservIds: readonly string[] = []): Promise<ExtractContext> {
  const organisations = await db.organisation.findMany({
    select: { id: true, name: true, shortName: true, senderAddresses: true, senderDomains: true },
  });
  return { organisations, trustedAuthservIds };
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
export async function processChunks(
  deps: PipelineDeps,
  chunks: AsyncIterable<PendingMessage[]> | Iterable<PendingMessage[]>,
  options: { isolate?: boolean } = {},
): Promise<MessageOutcome[]> {
  const preparer = deps.preparer ?? sharedPreparer();
  preparer.useLogger(deps.logger);
  const maxBytes = deps.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  let context = deps.extractContext;
  const duplicates: DuplicateCache = new Map();
  const outcomes: MessageOutcome[] = [];
  /** When each chunk's preparation began, for the pipeline duration metric. */
  const startedAt = new WeakMap<Prepared[], number>();

  const prepareChunk = async (chunk: PendingMessage[]): Promise<Prepared[]> => {
    const started = performance.now();
    context ??= await loadExtractContext(deps.db, deps.trustedAuthservIds);
    const known = context;
    const raws = await readRaws(deps.db, chunk, maxBytes);
    const prepared = await Promise.all(
      chunk.map(async (message): Promise<Prepared> => {
        const stored = message.raw ? { size: message.raw.length, raw: message.raw } : raws.get(message.messageId);
        if (!stored) return { message, kind: 'skipped' };
        // Stored raw already (nothing is lost); never parsed, so it costs no memory or worker time.
        if (stored.size > maxBytes || !stored.raw) return { message, kind: 'failed', error: oversizeError(stored.size, maxBytes) };
        try {
          const result = await preparer.prepare(stored.raw, known);
          return result.kind === 'drafted' ? { message, ...result, statementId: randomUUID() } : { message, ...result };
        } catch (error) {
          return { message, kind: 'failed', error: `could not parse the message: ${describeMessageError(error)}` };
        }
      }),
    );
    startedAt.set(prepared, started);
    return prepared;
  };
  // One chunk is written at a time, in order (the duplicate check of a chunk sees those before
  // it); the next chunk is already with the preparer. A failure is thrown where it is awaited.
  // An error no stage expected, other than a loss of the database, is not allowed to stop the
  // batch: the chunk is done again one message at a time (processAlone).
  let writing: Promise<void> = Promise.resolve();
  const write = async ({ chunk, preparing }: { chunk: PendingMessage[]; preparing: Promise<Prepared[]> }) => {
    const prepared = await preparing.then(
      (ready) => ({ ready }),
      (error: unknown) => ({ error }),
    );
    await writing;
    writing = handled(
      ('ready' in prepared ? writeChunk(deps, prepared.ready, duplicates) : Promise.reject(prepared.error))
        .catch((error: unknown) => {
          if (options.isolate === false || isDatabaseUnavailable(error)) throw error;
          return processAlone({ ...deps, preparer, ...(context ? { extractContext: context } : {}) }, chunk, error);
        })
        .then((written) => {
          const started = 'ready' in prepared ? startedAt.get(prepared.ready) : undefined;
          if (started !== undefined) recordPipelineChunk((performance.now() - started) / 1000);
          outcomes.push(...written);
        }),
    );
  };
  const preparing: { chunk: PendingMessage[]; preparing: Promise<Prepared[]> }[] = [];
  try {
    for await (const chunk of chunks) {
      preparing.push({ chunk, preparing: handled(prepareChunk(chunk)) });
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

/**
 * The last resort for a chunk that failed with an error no stage expected: each message again on
 * its own, and the one that still fails is marked failed with that error. Only a loss of the
 * database is thrown.
 */
async function processAlone(deps: PipelineDeps, chunk: PendingMessage[], cause: unknown): Promise<MessageOutcome[]> {
  deps.logger.error({ err: cause, messages: chunk.length }, 'a chunk of messages failed unexpectedly; processing them one at a time');
  const outcomes: MessageOutcome[] = [];
  for (const message of chunk) {
    try {
      outcomes.push(...(await processChunks(deps, [[message]], { isolate: false })));
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      deps.logger.error({ ...message.log, err: error, messageId: message.messageId }, 'a message failed unexpectedly; marking it failed');
      try {
        outcomes.push(await writeFailed(deps, message, `could not process the message: ${describeMessageError(error)}`));
      } catch (refused) {
        if (isDatabaseUnavailable(refused)) throw refused;
        // Nothing at all can be recorded on it: it stays `received`, and is tried again at the
        // next start (the pending step passes it, never loops on it); the rest goes on.
        deps.logger.error({ ...message.log, err: refused, messageId: message.messageId }, 'could not mark a message failed; it stays received');
        outcomes.push({ status: 'skipped' });
      }
    }
  }
  return outcomes;
}

/** The promise itself, marked handled: it is awaited later, and may fail before that. */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * The raw bytes of the messages given without them, when they are still `received`; only the
 * size of one larger than `maxBytes` (its bytes are not read: it will not be parsed).
 */
async function readRaws(db: Db, chunk: PendingMessage[], maxBytes: number): Promise<Map<string, { size: number; raw: Buffer | null }>> {
  const ids = chunk.filter((m) => !m.raw).map((m) => m.messageId);
  if (!ids.length) return new Map();
  const { rows } = await poolOf(db).query<{ id: string; size: number; raw: Buffer | null }>(
    `SELECT id::text AS id, size, CASE WHEN size <= $2 THEN raw END AS raw FROM messages WHERE id = ANY($1::uuid[]) AND status = 'received'`,
    [ids, maxBytes],
  );
  return new Map(rows.map((row) => [row.id, { size: row.size, raw: row.raw }]));
}

/**
 * Writes a chunk's outcomes in one transaction, after flagging likely duplicates (which sees the
 * chunks committed before it). A chunk the database refuses for one message's sake is written
 * again one message at a time, so that only the message at fault is marked failed.
 */
async function writeChunk(deps: PipelineDeps, preparedChunk: Prepared[], cache: DuplicateCache): Promise<MessageOutcome[]> {
  const prepared = await withDuplicatesFlagged(deps, preparedChunk, cache);
  let outcomes: MessageOutcome[];
  try {
    outcomes = await inPgTransaction(deps.db, async (client) => {
      const now = new Date();
      const written: MessageOutcome[] = [];
      for (const p of prepared) written.push(await writeOne(client, p, now));
      return written;
    });
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    deps.logger.warn({ err: error, messages: prepared.length }, 'the database refused a chunk of outcomes; writing them one at a time');
    outcomes = await writeOneByOne(deps, prepared);
  }
  prepared.forEach((p, i) => logOutcome(deps.logger, p.message, outcomes[i]!));
  return outcomes;
}

/** The chunk with each draft's likely duplicate set; a draft whose check the database refused is failed with the reason. */
async function withDuplicatesFlagged(deps: PipelineDeps, prepared: Prepared[], cache: DuplicateCache): Promise<Prepared[]> {
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

async function writeOneByOne(deps: PipelineDeps, prepared: Prepared[]): Promise<MessageOutcome[]> {
  const outcomes: MessageOutcome[] = [];
  const written = new Set<string>();
  const inChunk = new Set(prepared.flatMap((p) => (p.kind === 'drafted' ? [p.statementId] : [])));
  for (const p of prepared) {
    // A draft of this chunk that the database refused cannot be pointed at.
    if (p.kind === 'drafted' && p.duplicate && inChunk.has(p.duplicate.id) && !written.has(p.duplicate.id)) p.duplicate = null;
    try {
      const outcome = await inPgTransaction(deps.db, (client) => writeOne(client, p, new Date()));
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
async function writeFailed(deps: PipelineDeps, message: PendingMessage, error: string): Promise<MessageOutcome> {
  const failed = (text: string): Prepared => ({ message, kind: 'failed', error: text });
  try {
    return await inPgTransaction(deps.db, (client) => writeOne(client, failed(error), new Date()));
  } catch (refused) {
    if (isDatabaseUnavailable(refused)) throw refused;
    return inPgTransaction(deps.db, (client) => writeOne(client, failed('could not process the message; the email is kept raw, and the service log has the details'), new Date()));
  }
}

/** One message's outcome, guarded on `status = received`: `skipped` when another worker got there first. */
async function writeOne(client: pg.ClientBase, p: Prepared, now: Date): Promise<MessageOutcome> {
  const messageId = p.message.messageId;
  switch (p.kind) {
    case 'skipped':
      return { status: 'skipped' };
    case 'failed': {
      const error = p.error.replace(/\u0000/g, '').slice(0, MAX_ERROR_CHARS);
      return (await markMessageFailed(client, { messageId, error, now })) ? { status: 'failed', error } : { status: 'skipped' };
    }
    case 'ignored':
      if (!(await claimMessage(client, { messageId, fields: p.fields, verdict: p.verdict, now }))) return { status: 'skipped' };
      await insertAttachments(client, messageId, p.attachments);
      return { status: 'ignored', reason: p.verdict.reason };
    case 'drafted': {
      if (!(await claimMessage(client, { messageId, fields: p.fields, verdict: { status: 'drafted' }, now }))) return { status: 'skipped' };
      await insertAttachments(client, messageId, p.attachments);
      const draft = p.duplicate ? { ...p.draft, warnings: [...p.draft.warnings, p.duplicate.warning] } : p.draft;
      const statementId = await insertDraft(client, { id: p.statementId, messageId, draft, likelyDuplicateOfId: p.duplicate?.id ?? null, now });
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

/**
 * Processes every message still `received` (after a crash, or left by another source), oldest
 * first, a page at a time so that a long backlog is never held in memory at once. Returns how
 * many it took. Each page starts after the last message of the one before, so this ends even
 * when a message stays `received` (taken by nobody; it is tried again at the next start, never
 * twice in one run).
 */
export async function processPendingMessages(deps: PipelineDeps, options: { pageSize?: number } = {}): Promise<number> {
  const pageSize = options.pageSize ?? 500;
  let taken = 0;
  let after: { receivedAt: Date; id: string } | undefined;
  for (;;) {
    const page = await deps.db.message.findMany({
      where: {
        status: 'received',
        ...(after ? { OR: [{ receivedAt: { gt: after.receivedAt } }, { receivedAt: after.receivedAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      select: { id: true, receivedAt: true },
      take: pageSize,
    });
    await processMessages(deps, page.map(({ id }) => ({ messageId: id })));
    taken += page.length;
    after = page[page.length - 1];
    if (page.length < pageSize) return taken;
  }
}
