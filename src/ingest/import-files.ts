// `statement-desk import <path>`: an .eml file, an mbox file (a Gmail Takeout export is one), or
// a folder of them (recursive). Files are read as streams, a batch of messages at a time, so
// memory stays flat whatever their size. Each message is stored raw, then run through the
// pipeline (ingest-raw.ts); one bad message never stops the import.
//
// Resumable: a message already stored and processed (an earlier run, stopped with Ctrl-C) is
// recognised by its dedup key in one indexed query per batch and skipped before its bytes are
// sent anywhere; one stored but not yet processed is processed now.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { poolOf } from '../db/client.ts';
import { ValidationError } from '../errors.ts';
import { batchIsFull, ingestRawMessages, type RawInput } from './ingest-raw.ts';
import { loadExtractContext, type PipelineDeps } from './pipeline.ts';
import { detectMboxFormat, fileLooksLikeMbox, readMboxFile, type MboxFormat } from './sources/mbox.ts';
import { dedupKeyFor, readMessageIdHeader, sha256Hex } from './store-raw.ts';

export interface ImportSummary {
  files: number;
  messages: number;
  alreadyStored: number;
  drafted: number;
  ignored: number;
  failed: number;
}

export interface ImportProgress extends ImportSummary {
  /** Bytes of the input read so far, and in all: for a rate and an ETA. */
  bytesRead: number;
  bytesTotal: number;
  startedAt: number;
}

export interface ImportOptions {
  /** The mbox dialect; 'auto' (the default) tells them apart per file (detectMboxFormat). */
  format?: MboxFormat | 'auto';
  /** Called after each batch. */
  onProgress?: (progress: ImportProgress) => void;
  /** Told which dialect each mbox file is read as, and why. */
  onMboxFormat?: (file: string, format: MboxFormat, reason: string) => void;
}

async function listFiles(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new ValidationError(`Nothing to import at ${target}: no such file or folder.`);
  if (info.isFile()) return [target];
  const entries = await readdir(target, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(eml|mbox|mbx)$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The messages of a batch stored and processed before (status other than received): skipped. */
async function findDone(deps: PipelineDeps, batch: RawInput[]): Promise<Set<number>> {
  const keys = batch.map(({ raw }) => dedupKeyFor(readMessageIdHeader(raw), sha256Hex(raw)));
  const { rows } = await poolOf(deps.db).query<{ dedup_key: string }>(
    `SELECT dedup_key FROM messages WHERE dedup_key = ANY($1::text[]) AND status <> 'received'`,
    [keys],
  );
  const done = new Set(rows.map((r) => r.dedup_key));
  return new Set(keys.flatMap((key, index) => (done.has(key) ? [index] : [])));
}

export async function importPath(deps: PipelineDeps, target: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const files = await listFiles(target);
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  // The organisations registry is read once for the whole import, not once per message.
  const pipeline: PipelineDeps = { ...deps, extractContext: deps.extractContext ?? (await loadExtractContext(deps.db)) };
  const progress: ImportProgress = {
    files: files.length, messages: 0, alreadyStored: 0, drafted: 0, ignored: 0, failed: 0,
    bytesRead: 0, bytesTotal: sizes.reduce((a, b) => a + b, 0), startedAt: Date.now(),
  };
  let batch: RawInput[] = [];
  let batchBytes = 0;
  const flush = async () => {
    const done = await findDone(pipeline, batch);
    const todo = batch.filter((_, index) => !done.has(index));
    progress.messages += done.size;
    progress.alreadyStored += done.size;
    batch = [];
    batchBytes = 0;
    const results = todo.length ? await ingestRawMessages(pipeline, todo) : [];
    for (const { stored, outcome } of results) {
      progress.messages++;
      // Stored before: counted as such, even when this run finished processing it.
      if (!stored.created) progress.alreadyStored++;
      else if (outcome.status === 'drafted') progress.drafted++;
      else if (outcome.status === 'ignored') progress.ignored++;
      else if (outcome.status === 'failed') progress.failed++;
    }
    options.onProgress?.({ ...progress });
  };
  const add = async (input: RawInput, bytes: number) => {
    batch.push(input);
    batchBytes += input.raw.length;
    progress.bytesRead += bytes;
    // A folder of .eml files goes through in batches, not one file at a time.
    if (batchIsFull(batch.length, batchBytes)) await flush();
  };
  for (const [index, file] of files.entries()) {
    const log = { file: path.basename(file) };
    if (await fileLooksLikeMbox(file)) {
      let format = options.format ?? 'auto';
      if (format === 'auto') {
        const detected = await detectMboxFormat(file);
        format = detected.format;
        options.onMboxFormat?.(file, format, detected.reason);
      }
      for await (const raw of readMboxFile(file, format)) await add({ raw, source: 'mbox', log }, raw.length);
    } else {
      await add({ raw: await readFile(file), source: 'import', log }, sizes[index]!);
    }
  }
  if (batch.length) await flush();
  const { bytesRead: _read, bytesTotal: _total, startedAt: _started, ...summary } = progress;
  return summary;
}
