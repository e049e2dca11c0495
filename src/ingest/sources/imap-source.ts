// The IMAP poller: keeps the stored archive in step with one mailbox and turns each new
// message into a draft. One loop per source, so it never overlaps with itself; one poller per
// mailbox across processes (mailbox-lock.ts). Each batch is stored together with the checkpoint
// that covers it, so a crash anywhere means fetching again, never skipping; deduplication in
// store-raw.ts makes fetching again harmless.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { AnswerSettings } from '../../answers/acknowledge.ts';
import { recordAnswerStart, recordMailboxHistory } from '../../answers/answer-start.ts';
import type { Logger } from '../../logger.ts';
import type { PendingMessage } from '../message-outcome.ts';
import { awaitLater, inChunks, processChunks, processPendingMessages } from '../pipeline.ts';
import { readCheckpoint, resetCheckpoint, storeImapBatch, type StoredMessage } from '../store-raw.ts';
import { computeBackoffMs, DEFAULT_RECONNECT_BACKOFF, type BackoffPolicy } from '../../net/backoff.ts';
import { describeImapError, ImapSession, type FetchedMessage } from './imap-client.ts';
import { formatMailboxKey, planSync, selectNewUids, splitIntoBatches } from './imap-sync-plan.ts';
import { AccessTokens, OAuthTokenError } from '../../net/oauth-token.ts';
import { tryAcquireMailboxLock } from './mailbox-lock.ts';
import type { IngestSource, SourceState, SourceStatus } from './source.ts';

export type ImapConfig = NonNullable<Config['imap']>;

/** Servers may drop an IDLE session after some minutes (RFC 9051 allows 30); renew well before. */
export const IDLE_RENEW_MS = 4 * 60_000;
/** How often a process that found the mailbox lock taken asks again. */
export const LOCK_RETRY_MS = 30_000;

export interface ImapSourceOptions {
  db: Db;
  logger: Logger;
  config: ImapConfig;
  /** TRUSTED_AUTHSERV_ID: whose Authentication-Results header is believed. Unset: no sender is verified. */
  trustedAuthservIds?: readonly string[];
  now?: () => Date;
  /** Tests shorten these waits; production uses the defaults. */
  reconnect?: BackoffPolicy;
  lockRetryMs?: number;
  idleRenewMs?: number;
  random?: () => number;
  /**
   * MAX_MESSAGE_BYTES: a larger email is still fetched and stored raw (the archive keeps every
   * message, and the checkpoint may only pass what is stored), then failed unread.
   */
  maxMessageBytes?: number;
  /** Set when outgoing mail is configured: new drafts are acknowledged (src/answers/). */
  answers?: AnswerSettings | undefined;
}

/** A failure to write to our database, told apart from IMAP failures for the operator. */
class StorageError extends Error {}

/** An IMAP fetch that failed inside the pipeline's stream; withStorageErrors gives back `original`. */
class FetchFailed extends Error {
  constructor(readonly original: unknown) {
    super('fetching from the IMAP server failed');
  }
}

/**
 * What the pipeline is given for a stored batch. The pipeline marks a bad message failed itself;
 * what it throws is a lost database. A message stored just now is known to be new: its bytes
 * need not be read back.
 */
function pendingOf(messages: FetchedMessage[], stored: StoredMessage[]): PendingMessage[] {
  return messages.flatMap((message, index) => {
    const record = stored[index];
    if (!record) return [];
    return [{ messageId: record.id, log: { uid: message.uid }, ...(record.created ? { raw: message.raw } : {}) }];
  });
}

export class ImapSource implements IngestSource {
  readonly name: string;
  private readonly db: Db;
  private readonly log: Logger;
  private readonly config: ImapConfig;
  private readonly trustedAuthservIds: readonly string[];
  private readonly now: () => Date;
  private readonly reconnect: BackoffPolicy;
  private readonly lockRetryMs: number;
  private readonly idleRenewMs: number;
  private readonly random: () => number;
  private readonly maxMessageBytes: number | undefined;
  private readonly answers: AnswerSettings | undefined;
  private answerStartRecorded = false;
  /** Access tokens renewed with the refresh token, when IMAP_OAUTH_* is configured. */
  private readonly tokens: AccessTokens | undefined;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private connected = false;
  private lastFetchAt: Date | null = null;
  private lastError: string | null = null;
  private lastErrorAt: Date | null = null;
  private state: SourceState = 'connecting';
  private sync: { done: number; total: number } | null = null;

  constructor(options: ImapSourceOptions) {
    this.db = options.db;
    this.config = options.config;
    this.trustedAuthservIds = options.trustedAuthservIds ?? [];
    this.name = formatMailboxKey({ user: options.config.user, host: options.config.host, mailbox: options.config.mailbox });
    this.log = options.logger.child({ source: 'imap', mailbox: this.name });
    this.now = options.now ?? (() => new Date());
    this.reconnect = options.reconnect ?? DEFAULT_RECONNECT_BACKOFF;
    this.lockRetryMs = options.lockRetryMs ?? LOCK_RETRY_MS;
    this.idleRenewMs = options.idleRenewMs ?? IDLE_RENEW_MS;
    this.random = options.random ?? Math.random;
    this.maxMessageBytes = options.maxMessageBytes;
    this.answers = options.answers;
    this.tokens = options.config.oauth ? new AccessTokens(options.config.oauth) : undefined;
  }

  /** Starts the poll loop in the background; connection problems are retried, never thrown. */
  async start(): Promise<void> {
    if (this.loop || this.stopController.signal.aborted) return;
    this.log.info(
      { host: this.config.host, port: this.config.port, authMethod: this.config.oauth ? 'oauth2-refresh' : this.config.accessToken ? 'oauth2-token' : 'password' },
      'IMAP source starting',
    );
    this.loop = this.runLoop();
  }

  /** Finishes the batch in hand (stored and committed), logs out and releases the mailbox lock. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
  }

  status(): SourceStatus {
    return {
      name: this.name,
      kind: 'imap',
      connected: this.connected,
      lastFetchAt: this.lastFetchAt?.toISOString() ?? null,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt?.toISOString() ?? null,
      state: this.state,
      sync: this.sync,
    };
  }

  private async runLoop(): Promise<void> {
    const stopSignal = this.stopController.signal;
    let failures = 0;
    let standingBy = false;
    while (!stopSignal.aborted) {
      try {
        const lock = await this.withStorageErrors(() => tryAcquireMailboxLock(this.db, this.name));
        if (!lock) {
          // Not an outage: /ready says standby, and the last real error (if any) stays as it was.
          this.state = 'standby';
          // Said once, not every LOCK_RETRY_MS for as long as the other process runs.
          if (!standingBy) this.log.info({ retryInMs: this.lockRetryMs }, 'mailbox lock held by another process; standing by');
          standingBy = true;
          await sleep(this.lockRetryMs, stopSignal);
          continue;
        }
        if (standingBy) this.log.info('mailbox lock acquired; taking over');
        standingBy = false;
        this.state = 'connecting';
        try {
          // Messages stored but not processed before a crash or a database error.
          await this.withStorageErrors(() => processPendingMessages(this.pipelineDeps()));
          await this.pollWhileLocked(lock.lost, () => (failures = 0));
        } finally {
          await lock.release();
        }
      } catch (error) {
        this.connected = false;
        if (stopSignal.aborted) break;
        failures += 1;
        const delayMs = computeBackoffMs(failures, this.reconnect, this.random);
        const message = this.describeFailure(error);
        this.recordError(message);
        this.state = 'down';
        this.sync = null;
        // One warning when an outage starts; the retries of the same outage go to debug.
        const line = { attempt: failures, retryInMs: delayMs, error: message };
        if (failures === 1) this.log.warn(line, 'IMAP source failed; reconnecting after a pause');
        else this.log.debug(line, 'IMAP source failed; reconnecting after a pause');
        await sleep(delayMs, stopSignal);
      }
    }
    this.state = 'stopped';
    this.log.info('IMAP source stopped');
  }

  /** One connection: sync, wait for new mail, sync again, until stopped or something breaks. */
  private async pollWhileLocked(lockLost: Promise<Error>, onHealthy: () => void): Promise<void> {
    const stopSignal = this.stopController.signal;
    let session: ImapSession;
    try {
      session = await ImapSession.open(await this.account(), this.config.mailbox, {
        readOnly: !this.config.markSeen && !this.config.moveTo,
        signal: stopSignal,
      });
    } catch (error) {
      // A token the server refused (revoked before its time): ask for a new one next time.
      if ((error as { authenticationFailed?: boolean }).authenticationFailed) this.tokens?.invalidate();
      throw error;
    }
    const broken = new AbortController();
    void lockLost.then((error) => broken.abort(new Error(`lost the database connection holding the mailbox lock: ${error.message}`)));
    void session.closed.then((error) => broken.abort(error));
    const signal = AbortSignal.any([stopSignal, broken.signal]);
    try {
      this.connected = true;
      this.log.info({ uidValidity: String(session.uidValidity), idle: session.supportsIdle }, 'IMAP connected');
      while (!signal.aborted) {
        const mark = session.changeMark;
        await this.syncMailbox(session, signal);
        this.lastFetchAt = this.now();
        this.state = 'idle';
        this.sync = null;
        onHealthy();
        if (signal.aborted) break;
        if (session.supportsIdle) await session.waitForNewMail(this.idleRenewMs, signal, mark);
        else await sleep(this.config.pollIntervalMs, signal);
      }
    } finally {
      this.connected = false;
      await session.close();
    }
    if (!stopSignal.aborted && broken.signal.aborted) throw broken.signal.reason;
  }

  /** Fetches everything after the checkpoint in UID order, one committed batch at a time. */
  private async syncMailbox(session: ImapSession, signal: AbortSignal): Promise<void> {
    const uidValidity = session.uidValidity;
    const row = await this.withStorageErrors(() => readCheckpoint(this.db, this.name));
    const plan = planSync(row ? { uidValidity: row.uidValidity, lastUid: Number(row.lastUid) } : null, uidValidity);
    let fromUid = 1;
    if (plan.kind === 'resync') {
      this.log.warn(
        { previousUidValidity: String(plan.previousUidValidity), uidValidity: String(uidValidity) },
        'UIDVALIDITY changed: fetching the whole mailbox again; messages already stored are recognised, not doubled',
      );
      await this.withStorageErrors(() => resetCheckpoint(this.db, this.name, uidValidity));
    } else {
      fromUid = plan.fromUid;
    }
    const uids = selectNewUids(await session.searchUidsFrom(fromUid), fromUid);
    // Quiet start: what the mailbox holds at its first sync (or after its UIDs changed) is
    // history, recorded before any of it is stored, and is never answered.
    if (!row || plan.kind === 'resync') {
      await this.withStorageErrors(() => recordMailboxHistory(this.db, this.name, uidValidity, uids.length ? uids[uids.length - 1]! : 0, this.now()));
      this.answerStartRecorded = true;
    } else if (!this.answerStartRecorded) {
      await this.withStorageErrors(() => recordAnswerStart(this.db, this.name, this.now()));
      this.answerStartRecorded = true;
    }
    if (!uids.length) return;
    this.state = 'syncing';
    this.sync = { done: 0, total: uids.length };
    // One stream through the pipeline for the whole sync, as `import` runs, rather than one
    // pipeline run per batch: the pipeline pulls the next batch (fetched, then stored) while it
    // parses and writes this one, so neither the parser nor the database waits at each batch's
    // start and end. Outcomes are in the database (and its logs), not collected here: a first
    // sync of a large mailbox holds only the batches in flight.
    await this.withStorageErrors(() =>
      processChunks(this.pipelineDeps(), this.storedChunks(session, uidValidity, splitIntoBatches(uids), signal), { onOutcomes: () => undefined }),
    );
  }

  /**
   * Fetches and stores the batches in order, and yields what each holds to the pipeline in
   * chunks. The next batch is fetched while this one is drafted: the server sends one while the
   * pipeline works on the other. It is fetched only after this batch's commit and its \Seen or
   * move, so the mailbox is never changed for mail not yet stored.
   */
  private async *storedChunks(session: ImapSession, uidValidity: bigint, batches: number[][], signal: AbortSignal): AsyncGenerator<PendingMessage[]> {
    // Awaited at the next turn, or dropped when stopping.
    const fetch = (batch: number[] | undefined) => (batch ? awaitLater(session.fetchRaw(batch)) : undefined);
    let fetching = fetch(batches[0]);
    for (const [index, batch] of batches.entries()) {
      if (signal.aborted) return;
      let messages: FetchedMessage[];
      try {
        messages = await fetching!;
      } catch (error) {
        // The pipeline around this stream counts its own failures as the database's: an IMAP
        // failure goes through it marked, and comes out as itself (withStorageErrors).
        throw new FetchFailed(error);
      }
      const stored = await this.withStorageErrors(() =>
        storeImapBatch(this.db, {
          mailbox: this.name,
          uidValidity,
          // The whole planned batch is covered, also UIDs expunged between SEARCH and FETCH.
          lastUid: BigInt(batch[batch.length - 1]!),
          messages: messages.map((m) => ({ uid: BigInt(m.uid), raw: m.raw })),
        }),
      );
      this.log.debug({ count: messages.length, lastUid: batch[batch.length - 1] }, 'batch committed');
      // A first sync of a large mailbox takes a while: /ready shows it moving, batch by batch.
      this.lastFetchAt = this.now();
      if (this.sync) this.sync = { done: this.sync.done + batch.length, total: this.sync.total };
      await this.changeMailboxAfterCommit(session, messages);
      fetching = fetch(batches[index + 1]);
      yield* inChunks(pendingOf(messages, stored));
    }
  }

  /** Optional, off by default: the mailbox is only ever changed for messages already committed. */
  private async changeMailboxAfterCommit(session: ImapSession, messages: FetchedMessage[]): Promise<void> {
    const uids = messages.map((m) => m.uid);
    try {
      if (this.config.markSeen) await session.markSeen(uids);
      if (this.config.moveTo) await session.moveTo(uids, this.config.moveTo);
    } catch (error) {
      // The messages are safely stored; a failed flag change or move is worth a warning only.
      this.log.warn({ error: describeImapError(error, this.config), count: uids.length }, 'could not mark or move committed messages');
    }
  }

  private pipelineDeps() {
    return { db: this.db, logger: this.log, answers: this.answers, trustedAuthservIds: this.trustedAuthservIds, ...(this.maxMessageBytes ? { maxMessageBytes: this.maxMessageBytes } : {}) };
  }

  /** Runs a database step of the loop; its failure comes out as a StorageError (an outage, not IMAP's). */
  private async withStorageErrors<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof StorageError) throw error;
      if (error instanceof FetchFailed) throw error.original;
      throw new StorageError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  private describeFailure(error: unknown): string {
    if (error instanceof OAuthTokenError) return error.message;
    if (error instanceof StorageError) {
      return `Could not write mail from ${this.name} to the database (${error.message.split('\n')[0]}); the checkpoint did not move, so nothing is skipped. Check that PostgreSQL is up; retrying.`;
    }
    return describeImapError(error, this.config);
  }

  private recordError(message: string): void {
    this.lastError = message;
    this.lastErrorAt = this.now();
  }

  private async account() {
    const { host, port, secure, user, password } = this.config;
    const accessToken = this.tokens ? await this.tokens.get() : this.config.accessToken;
    return { host, port, secure, user, password, accessToken };
  }
}

/** Waits `ms`, or less when `signal` aborts. Never rejects. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
