// The one I/O step of extraction: the text of PDF and DOCX attachments, so that a statement sent
// only as a document can become the draft's body. It fills ParsedAttachment.text, or textError
// when the document has no text (a scanned PDF) or cannot be read. The original file is kept
// as it is; this never throws for a bad document. The documents are read in a worker thread
// (document-worker.mjs, in a piscina pool): fast to load, and a hostile file cannot block the
// event loop. Every
// document is bounded (compressed size, what it inflates to, pages, paragraphs, text, time, the
// worker's heap) and so is the sum over one email's documents (DocumentBudget).
import { Piscina } from 'piscina';
import type { ParsedAttachment, ParsedEmail } from './parsed-email.ts';

const PDF_TYPES = new Set(['application/pdf', 'application/x-pdf']);
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Bigger documents are left for the editor: a statement is a few pages. */
const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
const MAX_PDF_PAGES = 60;
/** A statement with a long list of signatories has a few thousand paragraphs. */
const MAX_DOCX_PARAGRAPHS = 50_000;
/** What one document's compressed parts (PDF streams, DOCX zip members) may inflate to. */
export const MAX_DOCUMENT_INFLATED_BYTES = 100 * 1024 * 1024;
/** What all documents of one email may inflate to together. */
const MAX_MESSAGE_INFLATED_BYTES = 200 * 1024 * 1024;
/** Text read from one email's documents, together (a long statement is 100,000 characters). */
export const MAX_DOCUMENT_TEXT_CHARS = 1_000_000;
/** A document taking longer than this is left for the editor (and its worker replaced). */
const DOCUMENT_TIMEOUT_MS = 30_000;
/** Time for all documents of one email: well inside the parser worker's limit for the whole message. */
const MESSAGE_DOCUMENTS_MS = 60_000;
/** With less time left than this, a document is not started. */
const MIN_DOCUMENT_MS = 2_000;
/** The document worker's heap: a bomb that gets past the checks stops this worker alone. */
const DOCUMENT_WORKER_LIMITS = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 };
/** A PDF page with fewer visible characters than this has no usable text layer. */
const MIN_TEXT_CHARS_PER_PAGE = 20;

export type DocumentKind = 'pdf' | 'docx';

export function documentKind(attachment: Pick<ParsedAttachment, 'contentType' | 'filename'>): DocumentKind | undefined {
  const name = attachment.filename?.toLowerCase() ?? '';
  if (PDF_TYPES.has(attachment.contentType) || (attachment.contentType === 'application/octet-stream' && name.endsWith('.pdf'))) return 'pdf';
  if (attachment.contentType === DOCX_TYPE || (attachment.contentType === 'application/octet-stream' && name.endsWith('.docx'))) return 'docx';
  return undefined;
}

/**
 * What reading the documents of one email may cost in all (its attached messages included):
 * six bombs in one email must not add up to more than one.
 */
export interface DocumentBudget {
  /** When reading stops: the documents not read by then are left for the editor. */
  deadline: number;
  /** Bytes their compressed parts may inflate to, together. */
  inflatedBytes: number;
  /** Characters of text they may give, together. */
  textChars: number;
}

export function newDocumentBudget(now = Date.now()): DocumentBudget {
  return { deadline: now + MESSAGE_DOCUMENTS_MS, inflatedBytes: MAX_MESSAGE_INFLATED_BYTES, textChars: MAX_DOCUMENT_TEXT_CHARS };
}

/** Fills `text` or `textError` on every PDF/DOCX attachment of the email and of its attached messages. */
export async function addAttachmentText(email: ParsedEmail, budget: DocumentBudget = newDocumentBudget()): Promise<void> {
  for (const attachment of email.attachments) {
    const kind = documentKind(attachment);
    if (!kind || attachment.text !== undefined || attachment.textError !== undefined) continue;
    if (attachment.size > MAX_DOCUMENT_BYTES) {
      attachment.textError = `the ${kind.toUpperCase()} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; its text was not read`;
      continue;
    }
    const timeLeft = budget.deadline - Date.now();
    if (timeLeft < MIN_DOCUMENT_MS || budget.inflatedBytes <= 0 || budget.textChars <= 0) {
      attachment.textError = `the ${kind.toUpperCase()} was not read: the documents before it in this email used up the time or size allowed for one email's documents`;
      continue;
    }
    try {
      const text = await readDocumentText(kind, attachment.content, budget);
      if (text.trim()) attachment.text = text;
      else attachment.textError = kind === 'pdf' ? 'the PDF has no text layer (scanned?)' : 'the DOCX has no text';
    } catch (error) {
      attachment.textError = `the ${kind.toUpperCase()} could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  for (const inner of email.attachedMessages) await addAttachmentText(inner, budget);
}

async function readDocumentText(kind: DocumentKind, content: Buffer, budget: DocumentBudget): Promise<string> {
  const limits = { maxTextChars: budget.textChars, maxInflatedBytes: budget.inflatedBytes, timeoutMs: Math.min(DOCUMENT_TIMEOUT_MS, budget.deadline - Date.now()),
    onInflated: (bytes: number) => void (budget.inflatedBytes -= bytes),
  };
  const text = kind === 'pdf' ? await readPdfText(content, limits) : await readDocxText(content, limits);
  budget.textChars -= text.length;
  return text;
}

interface PdfTextItem {
  str: string;
  hasEOL: boolean;
  y: number;
  height: number;
}

type WorkerReply = { pages?: PdfTextItem[][]; html?: string; inflatedBytes?: number; error?: string; tooLarge?: boolean };

export interface DocumentLimits {
  maxTextChars?: number;
  maxInflatedBytes?: number;
  timeoutMs?: number;
  /** Told what the document's compressed parts inflated to. */
  onInflated?: (bytes: number) => void;
}

/**
 * The document workers: a piscina pool of one thread, started on the first document and kept
 * while idle (unref'd, so it never keeps the process alive). Each document carries an
 * AbortSignal, so a worker reads one at a time and a worker that dies took only its own document
 * with it; the pool starts another for the next. No execArgv: the worker runs plain JavaScript
 * without the TypeScript loader. Its heap is capped: a document that needs more stops it alone.
 */
let documentPool: Piscina | undefined;

function documentWorkers(): Piscina {
  if (documentPool) return documentPool;
  const pool = new Piscina({
    filename: new URL('./document-worker.mjs', import.meta.url).href,
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: Infinity,
    concurrentTasksPerWorker: 1,
    execArgv: [],
    resourceLimits: DOCUMENT_WORKER_LIMITS,
    recordTiming: false,
  });
  // A worker that failed outside any document could not load: give the pool up, so that the
  // documents waiting fail now (not hang) and the next one starts a new pool.
  pool.on('error', () => {
    if (documentPool === pool) documentPool = undefined;
    void pool.destroy();
  });
  documentPool = pool;
  return pool;
}

async function askWorker(kind: DocumentKind, content: Buffer, limits: DocumentLimits = {}): Promise<WorkerReply> {
  const timeoutMs = Math.max(1, limits.timeoutMs ?? DOCUMENT_TIMEOUT_MS);
  // A copy the worker owns: the attachment's own bytes stay here.
  const data = new Uint8Array(content);
  const request = {
    kind,
    data,
    maxPages: MAX_PDF_PAGES,
    maxParagraphs: MAX_DOCX_PARAGRAPHS,
    maxTextChars: Math.min(limits.maxTextChars ?? MAX_DOCUMENT_TEXT_CHARS, MAX_DOCUMENT_TEXT_CHARS),
    maxInflatedBytes: Math.min(limits.maxInflatedBytes ?? MAX_DOCUMENT_INFLATED_BYTES, MAX_DOCUMENT_INFLATED_BYTES),
  };
  // A document that hangs the reader must not hang the next one: aborting it stops its worker.
  const signal = AbortSignal.timeout(timeoutMs);
  let reply: WorkerReply;
  try {
    reply = (await documentWorkers().run(request, { signal, transferList: [data.buffer as ArrayBuffer] })) as WorkerReply;
  } catch (error) {
    if (signal.aborted) throw new Error(`reading took longer than ${Math.round(timeoutMs / 1000)} s`);
    if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') throw new Error(`reading it needed more than ${DOCUMENT_WORKER_LIMITS.maxOldGenerationSizeMb} MB of memory`);
    const exit = /worker exited with code: (\d+)/.exec(error instanceof Error ? error.message : '');
    throw new Error(exit ? `the document reader stopped (exit code ${exit[1]})` : `the document reader stopped (${error instanceof Error ? error.message : String(error)})`);
  }
  limits.onInflated?.(reply.inflatedBytes ?? 0);
  return reply;
}

/** Plain text of a PDF, one line per text line, a blank line where the vertical gap says a new paragraph starts. */
export async function readPdfText(content: Buffer, limits: DocumentLimits = {}): Promise<string> {
  const reply = await askWorker('pdf', content, limits);
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
export async function readDocxText(content: Buffer, limits: DocumentLimits = {}): Promise<string> {
  const reply = await askWorker('docx', content, limits);
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
