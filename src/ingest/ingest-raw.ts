// Raw bytes in, outcomes out: what the drop folder and `statement-desk import` do with the
// messages they read. A batch is stored raw and committed first (DESIGN.md "Nothing is lost"),
// then run through the pipeline; a crash in between leaves the batch `received`, and the next
// start processes it.
import type { MessageOutcome, PendingMessage } from './message-outcome.ts';
import { awaitLater, inChunks, processChunks, type PipelineDeps } from './pipeline.ts';
import { isDatabaseUnavailable } from './database-errors.ts';
import { storeRawMessages, type MessageSource, type StoredMessage } from './store-raw.ts';

export interface RawInput {
  raw: Buffer;
  source: MessageSource;
  /** Added to the message's log lines, e.g. the file it came from. */
  log?: Record<string, unknown>;
}

export interface Ingested {
  stored: StoredMessage;
  /** `skipped` for a message stored and processed before. */
  outcome: MessageOutcome;
}

/**
 * How much a caller reading files (import, the drop folder) gathers before handing it over:
 * enough to keep the pipeline busy, little enough to hold in memory.
 */
const BATCH_MESSAGES = 64;
const BATCH_BYTES = 32 * 1024 * 1024;

export function batchIsFull(messages: number, bytes: number): boolean {
  return messages >= BATCH_MESSAGES || bytes >= BATCH_BYTES;
}

/**
 * Stores each message raw, then runs it through the pipeline; results in the order given. Each
 * chunk of messages is stored in one transaction, the next one while this one is processed: the
 * database stores one chunk while the preparer parses another and this thread writes a third.
 */
export async function ingestRawMessages(deps: PipelineDeps, inputs: RawInput[]): Promise<Ingested[]> {
  const results: Ingested[] = [];
  await ingestRawStream(deps, [inputs], { onIngested: (ingested) => results.push(...ingested) });
  return results;
}

export interface StreamHandlers {
  /** Each chunk's results, in the order of the inputs, once the chunk is committed. */
  onIngested: (ingested: Ingested[]) => void;
  /**
   * Given, a chunk that cannot be stored for a reason other than a lost database (one message
   * the database refuses) is stored again one message at a time, and each message that still
   * cannot be stored comes here and is left out; the stream goes on. Without it, that error is
   * thrown.
   */
  onStoreFailed?: (input: RawInput, error: unknown) => void;
}

/**
 * ingestRawMessages over batches that arrive one by one (an import reading a file of any size):
 * one stream through the pipeline, so the parser and the database never wait at a batch's start
 * or end, and only the chunks in flight are held in memory.
 */
export async function ingestRawStream(deps: PipelineDeps, batches: AsyncIterable<RawInput[]> | Iterable<RawInput[]>, handlers: StreamHandlers): Promise<void> {
  // What each chunk yielded to the pipeline stored, in order: its outcomes come back in the same order.
  const inFlight: StoredMessage[][] = [];
  await processChunks(deps, storedChunks(deps, batches, inFlight, handlers.onStoreFailed), {
    onOutcomes: (outcomes) => {
      const stored = inFlight.shift()!;
      handlers.onIngested(stored.map((record, i) => ({ stored: record, outcome: outcomes[i]! })));
    },
  });
}

async function* chunksOf(batches: AsyncIterable<RawInput[]> | Iterable<RawInput[]>): AsyncGenerator<RawInput[]> {
  for await (const batch of batches) yield* inChunks(batch);
}

/**
 * Stores the inputs a chunk at a time, one chunk ahead of the pipeline, and yields each to it;
 * records what each yielded chunk stored in `inFlight`.
 */
async function* storedChunks(
  deps: PipelineDeps,
  batches: AsyncIterable<RawInput[]> | Iterable<RawInput[]>,
  inFlight: StoredMessage[][],
  onStoreFailed: StreamHandlers['onStoreFailed'],
): AsyncGenerator<PendingMessage[]> {
  const chunks = chunksOf(batches);
  // Awaited at the next turn; its failure must not count as unhandled before that.
  const store = async (): Promise<{ chunk: RawInput[]; records: (StoredMessage | undefined)[] } | undefined> => {
    const next = await chunks.next();
    if (next.done) return undefined;
    return { chunk: next.value, records: await storeChunk(deps, next.value, onStoreFailed) };
  };
  let storing = awaitLater(store());
  try {
    for (;;) {
      const current = await storing;
      if (!current) return;
      storing = awaitLater(store());
      const kept = current.chunk.flatMap((input, i) => {
        const record = current.records[i];
        return record ? [{ input, record }] : [];
      });
      if (!kept.length) continue;
      inFlight.push(kept.map(({ record }) => record));
      // A message stored just now is known to be new: its bytes need not be read back. One stored
      // before is processed only if it is still `received` (an earlier run stopped half-way).
      yield kept.map(({ input, record }) => ({
        messageId: record.id,
        ...(record.created ? { raw: input.raw } : {}),
        ...(input.log ? { log: input.log } : {}),
      }));
    }
  } finally {
    // Stopped early (the pipeline failed): the chunk being stored ends first (it is committed
    // or not; a stored message stays `received` for the next run), then the reader is closed.
    await storing.catch(() => undefined);
    await chunks.return(undefined);
  }
}

/** Stores a chunk; undefined for each message that could not be stored (and went to onStoreFailed). */
async function storeChunk(deps: PipelineDeps, chunk: RawInput[], onStoreFailed: StreamHandlers['onStoreFailed']): Promise<(StoredMessage | undefined)[]> {
  try {
    return await storeRawMessages(deps.db, chunk);
  } catch (error) {
    if (!onStoreFailed || isDatabaseUnavailable(error)) throw error;
    if (chunk.length === 1) {
      onStoreFailed(chunk[0]!, error);
      return [undefined];
    }
    const each: (StoredMessage | undefined)[] = [];
    for (const input of chunk) each.push(...(await storeChunk(deps, [input], onStoreFailed)));
    return each;
  }
}
