// The ingest pipeline for stored messages: parse -> classify -> extract -> draft.
// Message states: received -> drafted | ignored | failed (DESIGN.md; parsing and its outcome
// commit together, so there is no state between). Outcomes are written guarded on
// `status = received`, so two workers never draft the same message twice. One bad message
// never blocks the rest: an error caused by its data, in parsing, extraction, the likely-duplicate
// check or writing its outcome, marks it alone `failed` with the reason; only a loss of the
// database (told apart by error class, database-errors.ts) propagates, and the messages not yet
// written stay `received` for a retry (as do messages when no parser worker can start). A message larger than MAX_MESSAGE_BYTES is not read at all.
//
// Messages go through in chunks: the outcomes of a chunk are written in one transaction, and
// while the database writes one chunk, the next is parsed and extracted. A chunk the database
// refuses as a whole (one message it cannot hold) is written again one message at a time, so
// only that message is marked failed (write-chunk.ts).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { AnswerSettings } from '../answers/acknowledge.ts';
import type { ExtractContext } from '../extract/types.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../config.ts';
import type { Logger } from '../logger.ts';
import { describeMessageError, isDatabaseUnavailable } from './database-errors.ts';
import { oversizeError } from './limits.ts';
import type { DuplicateCache } from './likely-duplicates.ts';
import { findOrganisationsForExtraction, findReceivedMessages, readReceivedRaws } from './pipeline-queries.ts';
import { PreparerUnavailableError, sharedPreparer, type Preparer } from './preparer.ts';
import { recordPipelineChunk } from '../observability/metrics.ts';
import type { MessageOutcome, PendingMessage, ProcessOptions } from './message-outcome.ts';
import { writeChunk, writeFailed, type Prepared } from './write-chunk.ts';

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
  /** Set when outgoing mail is configured: each new draft gets an acknowledgement decision. */
  answers?: AnswerSettings | undefined;
}

/**
 * Messages whose outcomes share a transaction. Small enough that the next chunk's parsing fills
 * the time the database takes, and that one refused message costs a short replay.
 */
export const OUTCOME_CHUNK_SIZE = 16;
/** Chunks handed to the preparer beyond the one being written: it never waits for the database. */
const PREPARED_AHEAD = 2;

export async function loadExtractContext(db: Db, trustedAuthservIds: readonly string[] = []): Promise<ExtractContext> {
  return { organisations: await findOrganisationsForExtraction(db), trustedAuthservIds };
}

/** Runs one stored message through the pipeline, once. */
export async function processMessage(deps: PipelineDeps, messageId: string, options: ProcessOptions = {}): Promise<MessageOutcome> {
  const [outcome] = await processMessages(deps, [{ messageId, ...options }]);
  return outcome!;
}

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

export interface ChunkOptions {
  /** False: a chunk failing unexpectedly is thrown, not done again one message at a time. */
  isolate?: boolean;
  /**
   * Given, each chunk's outcomes go to it as the chunk is committed, in the order of the chunks,
   * and none are collected: a stream of any length (an import of 100,000 messages, an IMAP
   * first sync) then holds only the chunks in flight.
   */
  onOutcomes?: (outcomes: MessageOutcome[]) => void;
}

/**
 * processMessages over chunks that arrive one by one (ingest-raw.ts stores each before it comes
 * here); each chunk's outcomes are written in one transaction. Three things overlap: the
 * preparer parses a chunk while this thread writes the one before, and `chunks` may produce the
 * next one meanwhile. Outcomes come back in the order of the messages (or go to onOutcomes).
 */
export async function processChunks(
  deps: PipelineDeps,
  chunks: AsyncIterable<PendingMessage[]> | Iterable<PendingMessage[]>,
  options: ChunkOptions = {},
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
          // No parser worker could start: not this message's fault. It stays `received` and is
          // taken again at the next start (processPendingMessages); the preparer logged why.
          if (error instanceof PreparerUnavailableError) return { message, kind: 'skipped' };
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
    writing = awaitLater(
      ('ready' in prepared ? writeChunk(deps, prepared.ready, duplicates) : Promise.reject(prepared.error))
        .catch((error: unknown) => {
          if (options.isolate === false || isDatabaseUnavailable(error)) throw error;
          return processAlone({ ...deps, preparer, ...(context ? { extractContext: context } : {}) }, chunk, error);
        })
        .then((written) => {
          const started = 'ready' in prepared ? startedAt.get(prepared.ready) : undefined;
          if (started !== undefined) recordPipelineChunk((performance.now() - started) / 1000);
          if (options.onOutcomes) options.onOutcomes(written);
          else outcomes.push(...written);
        }),
    );
  };
  const preparing: { chunk: PendingMessage[]; preparing: Promise<Prepared[]> }[] = [];
  try {
    for await (const chunk of chunks) {
      preparing.push({ chunk, preparing: awaitLater(prepareChunk(chunk)) });
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

/**
 * The promise itself, with its rejection marked handled: the caller awaits it later (and hears
 * of a failure then), and Node must not report it as unhandled if it fails before that.
 */
export function awaitLater<T>(promise: Promise<T>): Promise<T> {
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
  return readReceivedRaws(db, ids, maxBytes);
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
    const page = await findReceivedMessages(deps.db, after, pageSize);
    await processMessages(deps, page.map(({ id }) => ({ messageId: id })));
    taken += page.length;
    after = page[page.length - 1];
    if (page.length < pageSize) return taken;
  }
}
