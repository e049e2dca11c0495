// The one I/O step of extraction: the text of PDF and DOCX attachments, so that a statement sent
// only as a document can become the draft's body. It fills ParsedAttachment.text, or textError
// when the document has no text (a scanned PDF) or cannot be read. The original file is kept
// as it is; this never throws for a bad document. The documents are read in a worker thread
// (document-worker.mjs): fast to load, and a hostile file cannot block the event loop.
import { Worker } from 'node:worker_threads';
import type { ParsedAttachment, ParsedEmail } from '../ingest/parsed-email.ts';

const PDF_TYPES = new Set(['application/pdf', 'application/x-pdf']);
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Bigger documents are left for the editor: a statement is a few pages. */
const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
const MAX_PDF_PAGES = 60;
/** A PDF page with fewer visible characters than this has no usable text layer. */
const MIN_TEXT_CHARS_PER_PAGE = 20;

export type DocumentKind = 'pdf' | 'docx';

export function documentKind(attachment: Pick<ParsedAttachment, 'contentType' | 'filename'>): DocumentKind | undefined {
  const name = attachment.filename?.toLowerCase() ?? '';
  if (PDF_TYPES.has(attachment.contentType) || (attachment.contentType === 'application/octet-stream' && name.endsWith('.pdf'))) return 'pdf';
  if (attachment.contentType === DOCX_TYPE || (attachment.contentType === 'application/octet-stream' && name.endsWith('.docx'))) return 'docx';
  return undefined;
}

/** Fills `text` or `textError` on every PDF/DOCX attachment of the email and of its attached messages. */
export async function addAttachmentText(email: ParsedEmail): Promise<void> {
  for (const attachment of email.attachments) {
    const kind = documentKind(attachment);
    if (!kind || attachment.text !== undefined || attachment.textError !== undefined) continue;
    if (attachment.size > MAX_DOCUMENT_BYTES) {
      attachment.textError = `the ${kind.toUpperCase()} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; its text was not read`;
      continue;
    }
    try {
      const text = kind === 'pdf' ? await readPdfText(attachment.content) : await readDocxText(attachment.content);
      if (text.trim()) attachment.text = text;
      else attachment.textError = kind === 'pdf' ? 'the PDF has no text layer (scanned?)' : 'the DOCX has no text';
    } catch (error) {
      attachment.textError = `the ${kind.toUpperCase()} could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  for (const inner of email.attachedMessages) await addAttachmentText(inner);
}

interface PdfTextItem {
  str: string;
  hasEOL: boolean;
  y: number;
  height: number;
}

type WorkerReply = { id: number; pages?: PdfTextItem[][]; html?: string; error?: string };

/** A document taking longer than this is left for the editor (and its worker replaced). */
const DOCUMENT_TIMEOUT_MS = 30_000;
const WORKER_URL = new URL('./document-worker.mjs', import.meta.url);

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();

function documentWorker(): Worker {
  if (worker) return worker;
  // No execArgv: the worker runs plain JavaScript without the TypeScript loader.
  const started = new Worker(WORKER_URL, { execArgv: [] });
  started.on('message', (reply: WorkerReply) => {
    pending.get(reply.id)?.resolve(reply);
    pending.delete(reply.id);
  });
  const fail = (error: Error) => {
    for (const request of pending.values()) request.reject(error);
    pending.clear();
    if (worker === started) worker = undefined;
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the document reader stopped (exit code ${code})`)));
  // Idle, the reader must not keep the process alive; askWorker holds it while a document is read.
  started.unref();
  worker = started;
  return started;
}

async function askWorker(kind: DocumentKind, content: Buffer): Promise<WorkerReply> {
  const id = nextId++;
  const target = documentWorker();
  let timer: NodeJS.Timeout | undefined;
  target.ref();
  try {
    return await new Promise<WorkerReply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`reading took longer than ${DOCUMENT_TIMEOUT_MS / 1000} s`));
        // A document that hangs the reader must not hang the next one.
        if (worker === target) worker = undefined;
        void target.terminate();
      }, DOCUMENT_TIMEOUT_MS);
      target.postMessage({ id, kind, data: new Uint8Array(content), maxPages: MAX_PDF_PAGES });
    });
  } finally {
    clearTimeout(timer);
    if (![...pending.keys()].length) target.unref();
  }
}

/** Plain text of a PDF, one line per text line, a blank line where the vertical gap says a new paragraph starts. */
export async function readPdfText(content: Buffer): Promise<string> {
  const reply = await askWorker('pdf', content);
  if (reply.error !== undefined || !reply.pages) throw new Error(reply.error ?? 'no pages');
  const pages = reply.pages.map(layOutPdfLines);
  const visibleChars = pages.reduce((n, page) => n + page.replace(/\s/g, '').length, 0);
  return visibleChars < MIN_TEXT_CHARS_PER_PAGE * Math.max(pages.length, 1) ? '' : withoutPageFurniture(pages).join('\n\n').trim();
}

const PAGE_NUMBER = /^\s*(?:(?:page|p\.|página|seite|pahina|halaman)\s*)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*(?:of|\/|de|von|ng|dari)\s*\d{1,3})?\s*$/i;

/** Pages without page numbers and without the running header or footer repeated on every page. */
export function withoutPageFurniture(pages: string[]): string[] {
  const lines = pages.map((p) => p.split('\n'));
  const edge = (ls: string[], fromEnd: boolean) => ls.filter((l) => l.trim()).at(fromEnd ? -1 : 0)?.trim();
  const repeated = (fromEnd: boolean) => {
    if (lines.length < 2) return undefined;
    const first = edge(lines[0]!, fromEnd);
    return first && lines.every((ls) => edge(ls, fromEnd) === first) ? first : undefined;
  };
  const header = repeated(false);
  const footer = repeated(true);
  return lines.map((ls) => {
    const kept = [...ls];
    const trim = (fromEnd: boolean) => {
      const index = fromEnd ? kept.findLastIndex((l) => l.trim()) : kept.findIndex((l) => l.trim());
      if (index < 0) return;
      const line = kept[index]!.trim();
      if (PAGE_NUMBER.test(line) || line === (fromEnd ? footer : header)) kept.splice(index, 1);
    };
    trim(true);
    trim(true);
    trim(false);
    return kept.join('\n').trim();
  });
}

/** Joins text items into lines; a gap between lines well above the line height marks a paragraph. */
function layOutPdfLines(items: PdfTextItem[]): string {
  const lines: { text: string; y: number; height: number }[] = [];
  let current = '';
  let y: number | undefined;
  let height = 0;
  for (const item of items) {
    if (y === undefined && item.str.trim()) {
      y = item.y;
      height = item.height;
    }
    current += item.str;
    if (item.hasEOL) {
      lines.push({ text: current, y: y ?? 0, height });
      current = '';
      y = undefined;
    }
  }
  if (current.trim()) lines.push({ text: current, y: y ?? 0, height });
  const out: string[] = [];
  let previous: { y: number; height: number } | undefined;
  for (const line of lines) {
    if (!line.text.trim()) {
      continue;
    }
    if (previous) {
      const gap = previous.y - line.y;
      const lineHeight = Math.max(previous.height, line.height, 1);
      // Lines of a paragraph are about 1.2 line heights apart; a blank line or a new column is more.
      if (gap > lineHeight * 1.75 || gap < 0) out.push('');
    }
    out.push(line.text.replace(/[ \t]+/g, ' ').trim());
    previous = line;
  }
  return out.join('\n');
}

/** Plain text of a DOCX: paragraphs separated by blank lines, list items kept as "• " lines. */
export async function readDocxText(content: Buffer): Promise<string> {
  const reply = await askWorker('docx', content);
  if (reply.error !== undefined || reply.html === undefined) throw new Error(reply.error ?? 'no text');
  return reply.html
    .replace(/<li[^>]*>/gi, '\n• ')
    .replace(/<\/li>/gi, '\n')
    .replace(/<\/(p|h[1-6]|ul|ol|table|tr)>/gi, '\n\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n• \n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
