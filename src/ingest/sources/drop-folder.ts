// The drop folder: used when no IMAP server is configured. Every *.eml file put into INBOX_DIR
// is stored raw, run through the pipeline, then moved to processed/, or to failed/ with the
// reason written beside it (<name>.error.txt). A file is left where it is only when the database
// is unavailable (database-errors.ts), and tried again at the next scan; any other error is the
// file's own, and moves it alone to failed/. Scans never overlap: a change seen during a scan
// schedules one more scan after it. Several instances may share one folder (a network share):
// one of them at a time claims it with the same advisory lock as an IMAP mailbox, the others
// stand by and take over when it stops, so no file is read and moved by two processes.
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../db/client.ts';
import type { AnswerSettings } from '../../answers/acknowledge.ts';
import type { Logger } from '../../logger.ts';
import { describeMessageError, isDatabaseUnavailable } from '../database-errors.ts';
import { batchIsFull, ingestRawMessages } from '../ingest-raw.ts';
import { loadExtractContext, processPendingMessages } from '../pipeline.ts';
import type { ExtractContext } from '../../extract/types.ts';
import { tryAcquireMailboxLock, type MailboxLock } from './mailbox-lock.ts';
import type { IngestSource, SourceStatus } from './source.ts';

/** Files younger than this may still be being written; they wait for the next scan. */
export const DROP_SETTLE_MS = 500;
export const DROP_RESCAN_INTERVAL_MS = 2_000;
/** While another process holds the folder, this one tries to take it over this often. */
export const DROP_LOCK_RETRY_MS = 5_000;
/** PostgreSQL keeps at most 1 GB in one value: a larger file cannot be stored, and stays in failed/. */
export const MAX_STORABLE_FILE_BYTES = 1024 * 1024 * 1024 - 64 * 1024;

export interface DropFolderOptions {
  db: Db;
  logger: Logger;
  dir: string;
  /** TRUSTED_AUTHSERV_ID: whose Authentication-Results header is believed. Unset: no sender is verified. */
  trustedAuthservIds?: readonly string[];
  now?: () => Date;
  /** MAX_MESSAGE_BYTES: a larger email is stored raw and failed unread. */
  maxMessageBytes?: number;
  /** Set when outgoing mail is configured (see src/answers/acknowledge.ts). */
  answers?: AnswerSettings | undefined;
}

export interface DropResult {
  file: string;
  outcome: 'processed' | 'failed' | 'retry';
  reason?: string;
}

export class DropFolderSource implements IngestSource {
  readonly name: string;
  private readonly processedDir: string;
  private readonly failedDir: string;
  private readonly now: () => Date;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescanRequested = false;
  /** No background scans are scheduled while stopped (scanOnce can still be called directly). */
  private stopped = true;
  private stopRequested = false;
  private state: SourceStatus;
  /** Held while this process works the folder; see the header. */
  private lock: MailboxLock | undefined;
  private lockTriedAt = 0;
  private standingBy = false;

  constructor(private readonly options: DropFolderOptions) {
    this.name = `drop:${options.dir}`;
    this.processedDir = path.join(options.dir, 'processed');
    this.failedDir = path.join(options.dir, 'failed');
    this.now = options.now ?? (() => new Date());
    this.state = { name: this.name, kind: 'drop', connected: false, lastFetchAt: null, lastError: null, lastErrorAt: null };
  }

  status(): SourceStatus {
    return { ...this.state };
  }

  /** Creates the folder and its processed/ and failed/ subfolders. */
  async prepare(): Promise<void> {
    await mkdir(this.processedDir, { recursive: true });
    await mkdir(this.failedDir, { recursive: true });
  }

  async start(): Promise<void> {
    await this.prepare();
    this.stopped = false;
    this.stopRequested = false;
    await this.claimFolder();
    this.watcher = watch(this.options.dir, () => this.requestScan());
    this.watcher.on('error', (error) => this.recordError(`watching the folder failed: ${error.message}`));
    this.timer = setInterval(() => this.requestScan(), DROP_RESCAN_INTERVAL_MS);
    this.options.logger.info({ dir: this.options.dir }, 'watching the drop folder');
    this.requestScan();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    this.state.connected = false;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
    const lock = this.lock;
    this.lock = undefined;
    await lock?.release();
  }

  /**
   * Takes the folder if no other process holds it (then processes what was stored but not yet
   * processed before); true while this process holds it.
   */
  private async claimFolder(): Promise<boolean> {
    if (this.lock) return true;
    if (this.standingBy && this.now().getTime() - this.lockTriedAt < DROP_LOCK_RETRY_MS) return false;
    this.lockTriedAt = this.now().getTime();
    let lock: MailboxLock | null;
    try {
      lock = await tryAcquireMailboxLock(this.options.db, this.name);
    } catch (error) {
      this.state.connected = false;
      this.recordError(`could not claim the drop folder (the database does not answer): ${(error as Error).message}`);
      return false;
    }
    if (!lock) {
      this.state.connected = false;
      if (!this.standingBy) {
        this.recordError('Another statement-desk process is working this drop folder; this one stands by and checks again.');
        this.options.logger.info({ dir: this.options.dir, retryInMs: DROP_LOCK_RETRY_MS }, 'drop folder held by another process; standing by');
      }
      this.standingBy = true;
      return false;
    }
    if (this.standingBy) this.options.logger.info({ dir: this.options.dir }, 'drop folder claimed; taking over');
    this.standingBy = false;
    this.lock = lock;
    this.state.connected = true;
    void lock.lost.then((error) => {
      if (this.lock !== lock) return; // released by stop()
      this.lock = undefined;
      this.state.connected = false;
      this.recordError(`lost the claim on the drop folder (${error.message}); claiming it again`);
    });
    await processPendingMessages(this.pipelineDeps()).catch((error) =>
      this.recordError(`could not process pending messages: ${(error as Error).message}`),
    );
    return true;
  }

  /** Scans now, or once more after the scan under way. */
  requestScan(): void {
    if (this.stopped) return;
    if (this.scanning) {
      this.rescanRequested = true;
      return;
    }
    this.scanning = this.claimFolder()
      .then(async (held) => void (held ? await this.scanOnce() : undefined))
      .catch((error) => this.recordError(`scanning the drop folder failed: ${(error as Error).message}`))
      .finally(() => {
        this.scanning = undefined;
        if (this.rescanRequested && !this.stopped) {
          this.rescanRequested = false;
          this.requestScan();
        }
      });
  }

  /** Waits until the folder has been scanned with nothing left to do (for tests and the CLI). */
  async idle(): Promise<void> {
    while (this.scanning) await this.scanning;
  }

  async scanOnce(): Promise<DropResult[]> {
    const entries = await readdir(this.options.dir, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.eml') && !e.name.startsWith('.'));
    const results: DropResult[] = [];
    // Read once per scan (not per file); a registry edit shows from the next scan on.
    let context: ExtractContext | undefined;
    let batch: { file: string; raw: Buffer }[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (!batch.length) return;
      context ??= await loadExtractContext(this.options.db, this.options.trustedAuthservIds);
      results.push(...(await this.ingestFiles(batch, context)));
      batch = [];
      batchBytes = 0;
    };
    for (const entry of files.sort((a, b) => a.name.localeCompare(b.name))) {
      if (this.stopRequested && this.stopped) break;
      const file = path.join(this.options.dir, entry.name);
      const info = await stat(file).catch(() => undefined);
      if (!info || this.now().getTime() - info.mtimeMs < DROP_SETTLE_MS) {
        this.rescanRequested = true;
        continue;
      }
      if (info.size > MAX_STORABLE_FILE_BYTES) {
        const reason = `message too large to store: the file is ${info.size} bytes, over the 1 GB PostgreSQL keeps in one value; it is kept here, not stored`;
        results.push(await this.moveOrRetry(file, { status: 'failed', reason }));
        continue;
      }
      try {
        const raw = await readFile(file);
        batch.push({ file, raw });
        batchBytes += raw.length;
      } catch (error) {
        results.push({ file, outcome: 'retry', reason: (error as Error).message });
        continue;
      }
      if (batchIsFull(batch.length, batchBytes)) await flush();
    }
    if (!(this.stopRequested && this.stopped)) await flush();
    this.state.lastFetchAt = this.now().toISOString();
    return results;
  }

  private pipelineDeps(extractContext?: ExtractContext) {
    const { db, logger, maxMessageBytes, trustedAuthservIds, answers } = this.options;
    return {
      db,
      logger,
      answers,
      ...(trustedAuthservIds ? { trustedAuthservIds } : {}),
      ...(extractContext ? { extractContext } : {}),
      ...(maxMessageBytes ? { maxMessageBytes } : {}),
    };
  }

  /** Stores and processes a batch of files together, then moves each where its outcome says. */
  private async ingestFiles(batch: { file: string; raw: Buffer }[], extractContext: ExtractContext): Promise<DropResult[]> {
    let ingested;
    try {
      ingested = await ingestRawMessages(
        this.pipelineDeps(extractContext),
        batch.map(({ file, raw }) => ({ raw, source: 'drop' as const, log: { file: path.basename(file) } })),
      );
    } catch (error) {
      if (!isDatabaseUnavailable(error)) return this.ingestEachAlone(batch, extractContext, error);
      // The database is unavailable: keep the files for the next scan (what was stored is recognised then).
      const reason = (error as Error).message;
      this.recordError(`could not ingest ${batch.length === 1 ? path.basename(batch[0]!.file) : `${batch.length} files`}: ${reason}`);
      return batch.map(({ file }) => ({ file, outcome: 'retry', reason }));
    }
    const results: DropResult[] = [];
    for (const [index, { stored, outcome }] of ingested.entries()) {
      const file = batch[index]!.file;
      if (!stored.created && outcome.status !== 'failed') {
        this.options.logger.info({ file: path.basename(file), messageId: stored.id }, 'dropped file was already stored; moved to processed/');
      }
      results.push(await this.moveOrRetry(file, outcome.status === 'failed' ? { status: 'failed', reason: outcome.error } : { status: 'processed' }));
    }
    return results;
  }

  /**
   * A batch failed for a reason other than the database being gone (a file it could not store,
   * say): each file again on its own, so that only the one at fault goes to failed/.
   */
  private async ingestEachAlone(batch: { file: string; raw: Buffer }[], extractContext: ExtractContext, error: unknown): Promise<DropResult[]> {
    if (batch.length > 1) {
      const results: DropResult[] = [];
      for (const one of batch) results.push(...(await this.ingestFiles([one], extractContext)));
      return results;
    }
    const file = batch[0]!.file;
    this.options.logger.warn({ err: error, file: path.basename(file) }, 'could not ingest a dropped file; moving it to failed/');
    return [await this.moveOrRetry(file, { status: 'failed', reason: `could not store or process it: ${describeMessageError(error)}` })];
  }

  /** Moves a file where its outcome says; when the move fails, the file stays and the next scan recognises what it holds. */
  private async moveOrRetry(file: string, outcome: { status: 'processed' } | { status: 'failed'; reason: string }): Promise<DropResult> {
    try {
      if (outcome.status === 'failed') {
        await this.moveTo(this.failedDir, file, outcome.reason);
        return { file, outcome: 'failed', reason: outcome.reason };
      }
      await this.moveTo(this.processedDir, file);
      return { file, outcome: 'processed' };
    } catch (error) {
      this.recordError(`could not move ${path.basename(file)}: ${(error as Error).message}`);
      return { file, outcome: 'retry', reason: (error as Error).message };
    }
  }

  private async moveTo(dir: string, file: string, reason?: string): Promise<void> {
    const base = path.basename(file);
    let target = path.join(dir, base);
    for (let n = 1; await exists(target); n++) {
      target = path.join(dir, `${path.basename(base, '.eml')}-${n}.eml`);
    }
    if (reason !== undefined) await writeFile(`${target}.error.txt`, `${reason}\n`);
    await rename(file, target);
  }

  private recordError(message: string): void {
    this.state.lastError = message;
    this.state.lastErrorAt = this.now().toISOString();
    this.options.logger.warn({ source: this.name }, message);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
