// A stored message on its way through the pipeline, and what became of it: shared by the
// pipeline (pipeline.ts), its writer (write-chunk.ts) and the raw ingest of a batch (ingest-raw.ts).
export interface ProcessOptions {
  /**
   * The raw bytes, when the caller has just stored them (`created: true`): saves reading them
   * back. The claim (write-outcome.ts) stays guarded on `status = received`, so a wrong guess only costs work.
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
