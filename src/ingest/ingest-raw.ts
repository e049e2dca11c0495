// Raw bytes in, outcomes out: what the drop folder and `statement-desk import` do with the
// messages they read. A batch is stored raw and committed first (DESIGN.md "Nothing is lost"),
// then run through the pipeline; a crash in between leaves the batch `received`, and the next
// start processes it.
import type { MessageOutcome, PendingMessage } from './message-outcome.ts';
import { awaitLater, inChunks, processChunks, type PipelineDeps } from './pipeline.ts';
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
  const stored: StoredMessage[] = [];
  const outcomes = await processChunks(deps, storedChunks(deps, inputs, stored));
  return stored.map((s, i) => ({ stored: s, outcome: outcomes[i]! }));
}

/** Stores the inputs a chunk at a time, one chunk ahead of the pipeline; records what was stored in `stored`. */
async function* storedChunks(deps: PipelineDeps, inputs: RawInput[], stored: StoredMessage[]): AsyncGenerator<PendingMessage[]> {
  const chunks = inChunks(inputs);
  // Awaited at the next turn; its failure must not count as unhandled before that.
  const store = (chunk: RawInput[] | undefined) => (chunk ? awaitLater(storeRawMessages(deps.db, chunk)) : undefined);
  let storing = store(chunks[0]);
  for (const [index, chunk] of chunks.entries()) {
    const records = await storing!;
    storing = store(chunks[index + 1]);
    stored.push(...records);
    // A message stored just now is known to be new: its bytes need not be read back. One stored
    // before is processed only if it is still `received` (an earlier run stopped half-way).
    yield records.map((record, i) => ({
      messageId: record.id,
      ...(record.created ? { raw: chunk[i]!.raw } : {}),
      ...(chunk[i]!.log ? { log: chunk[i]!.log } : {}),
    }));
  }
}
