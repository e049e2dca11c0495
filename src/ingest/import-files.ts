// `statement-desk import <path>`: an .eml file, an mbox file, or a folder of them (recursive).
// Each message is stored raw, then run through the pipeline (ingest-raw.ts); one bad message
// never stops the import. Symbolic links are refused, given or found in the folder: following
// one reads whatever it points to, perhaps far outside the folder the operator named.
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../errors.ts';
import { describeMessageError, isDatabaseUnavailable } from './database-errors.ts';
import { batchIsFull, ingestRawMessages, type Ingested, type RawInput } from './ingest-raw.ts';
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

/** Links named in the refusal; the rest are counted. */
const LINKS_NAMED = 5;

function refuseLinks(links: string[]): never {
  const named = links.slice(0, LINKS_NAMED).join(', ') + (links.length > LINKS_NAMED ? ` and ${links.length - LINKS_NAMED} more` : '');
  throw new ValidationError(
    `Nothing was imported: ${named} ${links.length === 1 ? 'is a symbolic link' : 'are symbolic links'}, and import does not follow links ` +
      '(one could lead anywhere on this machine). Import the file or folder a link points to by its own path, or remove the link.',
    { links: links.slice(0, LINKS_NAMED) },
  );
}

async function listFiles(target: string): Promise<string[]> {
  // lstat, not stat: a link given on the command line is itself refused, not followed.
  const info = await lstat(target).catch(() => undefined);
  if (!info) throw new ValidationError(`Nothing to import at ${target}: no such file or folder.`);
  if (info.isSymbolicLink()) refuseLinks([target]);
  if (info.isFile()) return [target];
  if (!info.isDirectory()) throw new ValidationError(`Nothing to import at ${target}: it is neither a file nor a folder.`);
  // A recursive readdir does not descend into linked folders; links are reported, not skipped.
  const entries = await readdir(target, { recursive: true, withFileTypes: true });
  const links = entries.filter((e) => e.isSymbolicLink()).map((e) => path.join(e.parentPath, e.name));
  if (links.length) refuseLinks(links.sort());
  return entries
    .filter((e) => e.isFile() && /\.(eml|mbox|mbx)$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Reads a file, refusing it if it became a link since it was listed. */
async function readNoFollow(file: string): Promise<Buffer> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP') refuseLinks([file]);
    throw error;
  });
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export async function importPath(deps: PipelineDeps, target: string): Promise<ImportSummary> {
  const files = await listFiles(target);
  // The organisations registry is read once for the whole import, not once per message.
  const pipeline: PipelineDeps = { ...deps, extractContext: deps.extractContext ?? (await loadExtractContext(deps.db, deps.trustedAuthservIds)) };
  const summary: ImportSummary = { files: files.length, messages: 0, alreadyStored: 0, drafted: 0, ignored: 0, failed: 0 };
  let batch: RawInput[] = [];
  let batchBytes = 0;
  const flush = async () => {
    const results = await ingestBatch(pipeline, batch, summary);
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
    const bytes = await readNoFollow(file);
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

/**
 * ingestRawMessages, except that a batch failing for a reason other than a lost database (one
 * message it could not store, say) is done again one message at a time; a message that still
 * fails is counted failed and logged with its file, and the import goes on.
 */
async function ingestBatch(deps: PipelineDeps, batch: RawInput[], summary: ImportSummary): Promise<Ingested[]> {
  try {
    return await ingestRawMessages(deps, batch);
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    if (batch.length > 1) {
      const each: Ingested[] = [];
      for (const input of batch) each.push(...(await ingestBatch(deps, [input], summary)));
      return each;
    }
    summary.messages++;
    summary.failed++;
    deps.logger.warn({ ...batch[0]!.log, err: error }, `could not import a message: ${describeMessageError(error)}`);
    return [];
  }
}
