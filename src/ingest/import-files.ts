// `statement-desk import <path>`: an .eml file, an mbox file, or a folder of them (recursive).
// Each message is stored raw, then run through the pipeline, one at a time; one bad message
// never stops the import.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../errors.ts';
import { loadExtractContext, processMessage, type PipelineDeps } from './pipeline.ts';
import { looksLikeMbox, splitMbox } from './sources/mbox.ts';
import { storeRawMessage } from './store-raw.ts';

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
  const pipeline: PipelineDeps = { ...deps, extractContext: deps.extractContext ?? (await loadExtractContext(deps.db)) };
  const summary: ImportSummary = { files: files.length, messages: 0, alreadyStored: 0, drafted: 0, ignored: 0, failed: 0 };
  for (const file of files) {
    const bytes = await readFile(file);
    const messages = looksLikeMbox(bytes) ? splitMbox(bytes) : [bytes];
    for (const raw of messages) {
      summary.messages++;
      const stored = await storeRawMessage(deps.db, { raw, source: looksLikeMbox(bytes) ? 'mbox' : 'import' });
      if (!stored.created) {
        summary.alreadyStored++;
        continue;
      }
      const outcome = await processMessage(pipeline, stored.id, { raw });
      if (outcome.status === 'drafted') summary.drafted++;
      else if (outcome.status === 'ignored') summary.ignored++;
      else if (outcome.status === 'failed') summary.failed++;
    }
  }
  return summary;
}
