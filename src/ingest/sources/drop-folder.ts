// The drop folder: used when no IMAP server is configured. Every *.eml file put into INBOX_DIR
// is stored raw, run through the pipeline, then moved to processed/, or to failed/ with the
// reason written beside it (<name>.error.txt). A file is left where it is when the database is
// unavailable, and tried again at the next scan. Scans never overlap: a change seen during a
// scan schedules one more scan after it.
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../db/client.ts';
import type { AnswerSettings } from '../../answers/acknowledge.ts';
import type { Logger } from '../../logger.ts';
import { batchIsFull, ingestRawMessages } from '../ingest-raw.ts';
import { loadExtractContext, processPendingMessages } from '../pipeline.ts';
import type { ExtractContext } from '../../extract/index.ts';
import type { IngestSource, SourceStatus } from './source.ts';

/** Files younger than this may still be being written; they wait for the next scan. */
export const DROP_SETTLE_MS = 500;
export const DROP_RESCAN_INTERVAL_MS = 2_000;

export interface DropFolderOptions {
  db: Db;
  logger: Logger;
  dir: string;
  now?: () => Date;
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
    this.state.connected = true;
    await processPendingMessages({ db: this.options.db, logger: this.options.logger, answers: this.options.answers }).catch((error) =>
      this.recordError(`could not process pending messages: ${(error as Error).message}`),
    );
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
  }

  /** Scans now, or once more after the scan under way. */
  requestScan(): void {
    if (this.stopped) return;
    if (this.scanning) {
      this.rescanRequested = true;
      return;
    }
    this.scanning = this.scanOnce()
      .then(() => undefined)
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
      context ??= await loadExtractContext(this.options.db);
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

  /** Stores and processes a batch of files together, then moves each where its outcome says. */
  private async ingestFiles(batch: { file: string; raw: Buffer }[], extractContext: ExtractContext): Promise<DropResult[]> {
    let ingested;
    try {
      ingested = await ingestRawMessages(
        { db: this.options.db, logger: this.options.logger, extractContext, answers: this.options.answers },
        batch.map(({ file, raw }) => ({ raw, source: 'drop' as const, log: { file: path.basename(file) } })),
      );
    } catch (error) {
      // The database is unavailable: keep the files for the next scan (what was stored is recognised then).
      const reason = (error as Error).message;
      this.recordError(`could not ingest ${batch.length === 1 ? path.basename(batch[0]!.file) : `${batch.length} files`}: ${reason}`);
      return batch.map(({ file }) => ({ file, outcome: 'retry', reason }));
    }
    const results: DropResult[] = [];
    for (const [index, { stored, outcome }] of ingested.entries()) {
      const file = batch[index]!.file;
      try {
        if (outcome.status === 'failed') {
          await this.moveTo(this.failedDir, file, outcome.error);
          results.push({ file, outcome: 'failed', reason: outcome.error });
          continue;
        }
        if (!stored.created) this.options.logger.info({ file: path.basename(file), messageId: stored.id }, 'dropped file was already stored; moved to processed/');
        await this.moveTo(this.processedDir, file);
        results.push({ file, outcome: 'processed' });
      } catch (error) {
        // The move failed: the file stays, and the next scan recognises what it holds.
        this.recordError(`could not move ${path.basename(file)}: ${(error as Error).message}`);
        results.push({ file, outcome: 'retry', reason: (error as Error).message });
      }
    }
    return results;
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
