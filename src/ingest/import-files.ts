// `statement-desk import <path>`: an .eml file, an mbox file, or a folder of them (recursive).
// Each message is stored raw, then run through the pipeline (ingest-raw.ts); one bad message
// never stops the import.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../errors.ts';
import { batchIsFull, ingestRawMessages, type RawInput } from './ingest-raw.ts';
import { loadExtractContext, type PipelineDeps } from './pipeline.ts';
import { looksLikeMbox, splitMbox } from './sources/mbox.ts';

export interface ImportSummary {
  files: number;
  messages: number;
  alreadyStored: number;
  drafted: number;
  ignored: number;
  failed: number;
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

export async function importPath(deps: PipelineDeps, target: string): Promise<ImportSummary> {
  const files = await listFiles(target);
  // The organisations registry is read once for the whole import, not once per message.
  const pipeline: PipelineDeps = { ...deps, extractContext: deps.extractContext ?? (await loadExtractContext(deps.db, deps.trustedAuthservIds)) };
  const summary: ImportSummary = { files: files.length, messages: 0, alreadyStored: 0, drafted: 0, ignored: 0, failed: 0 };
  let batch: RawInput[] = [];
  let batchBytes = 0;
  const flush = async () => {
    const results = await ingestRawMessages(pipeline, batch);
    batch = [];
    batchBytes = 0;
    for (const { stored, outcome } of results) {
      summary.messages++;
      // Stored before: counted as such, even when this run finished processing it.
      if (!stored.created) summary.alreadyStored++;
      else if (outcome.status === 'drafted') summary.drafted++;
      else if (outcome.status === 'ignored') summary.ignored++;
      else if (outcome.status === 'failed') summary.failed++;
    }
  };
  for (const file of files) {
    const bytes = await readFile(file);
    const mbox = looksLikeMbox(bytes);
    for (const raw of mbox ? splitMbox(bytes) : [bytes]) {
      batch.push({ raw, source: mbox ? 'mbox' : 'import', log: { file: path.basename(file) } });
      batchBytes += raw.length;
      // A folder of .eml files goes through in batches, not one file at a time.
      if (batchIsFull(batch.length, batchBytes)) await flush();
    }
  }
  if (batch.length) await flush();
  return summary;
}
