// The preparer's worker thread (preparer.ts; started by prepare-worker-start.mjs): parses and
// extracts messages, and sanitises HTML for editors' requests, one task at a time, in the order
// they arrive, and says when it takes one up: the task a worker dies or hangs on is the one it
// last started. Protocol:
//   -> { id, task: 'prepare', raw: Uint8Array, context?: ExtractContext, asStatement? }   (context: only when it changed)
//   -> { id, task: 'sanitize', html }
//   <- { ready: true }                                      (once, when the modules are loaded)
//   <- { id, started: true }                                (when it takes up a task)
//   <- { id, result: PreparedMessage } | { id, sanitized: SanitizedHtml }
import type { MessagePort } from 'node:worker_threads';
import type { ExtractContext } from '../extract/types.ts';
import { htmlToText, sanitizeBounded } from '../html/sanitize.ts';
import type { PreparedMessage } from './prepare-message.ts';

export type PrepareRequest =
  | { id: number; task: 'prepare'; raw: Uint8Array; context?: ExtractContext; asStatement?: boolean }
  | { id: number; task: 'sanitize'; html: string };

/** Email or editor HTML made safe (sanitize.ts), with its visible text. */
export interface SanitizedHtml {
  html: string;
  text: string;
  /** Longer than the HTML size limit: only its beginning was kept. */
  truncated: boolean;
}

export type PrepareReply =
  | { ready: true }
  | { id: number; started: true }
  | { id: number; result: PreparedMessage }
  | { id: number; sanitized: SanitizedHtml };

export type PrepareFunction = (raw: Buffer, context: ExtractContext, options: { asStatement?: boolean }) => Promise<PreparedMessage>;

/** What a sanitize task gives. Cheap once bounded, but never on a request thread. */
export function sanitizeForEditor(html: string): SanitizedHtml {
  const sanitized = sanitizeBounded(html);
  return { html: sanitized.html, text: htmlToText(sanitized.html), truncated: sanitized.truncated };
}

/** Answers requests on `port` with `prepare` (prepareMessage) and `sanitize` (tests give faulty ones). */
export function servePreparer(port: MessagePort, prepare: PrepareFunction, sanitize: (html: string) => SanitizedHtml = sanitizeForEditor): void {
  let context: ExtractContext = { organisations: [] };
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: PrepareRequest) => {
    // The context a message was sent with, even if a later message brings a newer one.
    const own = request.task === 'prepare' ? (context = request.context ?? context) : context;
    queue = queue.then(async () => {
      port.postMessage({ id: request.id, started: true } satisfies PrepareReply);
      if (request.task === 'sanitize') {
        port.postMessage({ id: request.id, sanitized: sanitize(request.html) } satisfies PrepareReply);
        return;
      }
      const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
      const result = await prepare(raw, own, { asStatement: request.asStatement });
      try {
        port.postMessage({ id: request.id, result } satisfies PrepareReply, transferable(result));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        port.postMessage({ id: request.id, result: { kind: 'failed', error: `could not extract a draft: ${reason}` } } satisfies PrepareReply);
      }
    });
  });
  port.postMessage({ ready: true } satisfies PrepareReply);
}

/**
 * Attachment contents that own their memory are moved to the main thread rather than copied.
 * Never a buffer from Node's shared pool (at most half of Buffer.poolSize): moving that would
 * take the memory from under every other small buffer of this thread.
 */
function transferable(result: PreparedMessage): ArrayBuffer[] {
  if (result.kind === 'failed') return [];
  const owned = new Set<ArrayBuffer>();
  for (const { content } of result.attachments) {
    const whole = content.byteOffset === 0 && content.byteLength === content.buffer.byteLength;
    if (whole && content.byteLength > Buffer.poolSize >>> 1 && content.buffer instanceof ArrayBuffer) owned.add(content.buffer);
  }
  return [...owned];
}
