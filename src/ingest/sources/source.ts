/**
 * The contract every ingest source (IMAP poller, drop folder) keeps, so that main.ts can start
 * and stop them alike and GET /ready can report on each.
 */

/** What GET /ready shows for one source. Times are ISO 8601 strings. */
export interface SourceStatus {
  name: string;
  kind: 'imap' | 'drop';
  /** The source is connected (IMAP) or watching (drop folder) right now. */
  connected: boolean;
  /** When the source last fetched successfully (even if nothing was new). */
  lastFetchAt: string | null;
  /** The last error, worded for an operator; never a password, token or message body. */
  lastError: string | null;
  lastErrorAt: string | null;
  /**
   * What the source is doing: `connecting`, `syncing` (a backlog, with `sync`), `idle` (up to
   * date, waiting for mail), `standby` (another instance holds the mailbox lock: not an outage),
   * `down` (failing; retried), `stopped`. Derived from the fields above when a source leaves it out.
   */
  state?: SourceState;
  /** While syncing: messages of the backlog done, and in all. */
  sync?: { done: number; total: number } | null;
}

export type SourceState = 'connecting' | 'syncing' | 'idle' | 'standby' | 'down' | 'stopped';

export interface IngestSource {
  readonly name: string;
  /** Starts background work and returns once it is running; never rejects on a network error. */
  start(): Promise<void>;
  /** Stops background work and waits until the current batch is committed or abandoned. */
  stop(): Promise<void>;
  status(): SourceStatus;
}
