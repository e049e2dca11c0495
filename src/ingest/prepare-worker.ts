// The task the preparer's worker threads run (preparer.ts, a piscina pool; the entry module is
// prepare-worker-start.mjs): parse and extract a batch of messages, one after the other, or
// sanitise HTML for an editors' request. One task per worker at a time. The worker says when it
// takes up each message of a batch, so that the preparer knows which message a hang or a crash
// happened in, and times each message alone. Every error inside a task is answered (a `failed`
// result, or a rejected sanitise); only what no task can catch (a crash, the heap limit, a hang)
// ends the worker, and the preparer fails that message alone and sends the rest again.
//
// A batch rather than a message per task: the pool gives a worker its next task only when this
// thread's answer has reached the main thread and the main thread has had a turn, which costs the
// worker an idle gap per task while the main thread writes to the database (about a fifth of the
// ingest time with one message per task: `npm run bench -- ingest`).
//
// The extraction context (known organisations, about 2 ms to clone at 500 of them) is sent only
// when it changes: a worker that does not hold the context a request names answers
// `needsContext`, and the preparer sends that request again with it.
import { parentPort } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { ExtractContext } from '../extract/types.ts';
import { htmlToText, sanitizeBounded } from '../html/sanitize.ts';
import type { PreparedMessage } from './prepare-message.ts';

export type PrepareRequest =
  | { id: number; task: 'prepare'; messages: { raw: Uint8Array; asStatement?: boolean }[]; contextKey: number; context?: ExtractContext }
  | { id: number; task: 'sanitize'; html: string };

/** Email or editor HTML made safe (sanitize.ts), with its visible text. */
export interface SanitizedHtml {
  html: string;
  text: string;
  /** Longer than the HTML size limit: only its beginning was kept. */
  truncated: boolean;
}

export type PrepareReply =
  | { kind: 'prepared'; results: PreparedMessage[] }
  | { kind: 'sanitized'; sanitized: SanitizedHtml }
  | { kind: 'sanitizeFailed'; error: string }
  | { kind: 'needsContext' };

/**
 * Posted to the pool (its 'message' event) when a worker takes a task up, and for a batch each
 * message of it (`index`): the time limit of that message starts then.
 */
export interface TaskStarted {
  taskStarted: number;
  index?: number;
}

/** Posted once by a worker whose modules loaded: the pool can take tasks. */
export interface WorkerLoaded {
  workerLoaded: true;
}

export type PrepareFunction = (raw: Buffer, context: ExtractContext, options: { asStatement?: boolean }) => Promise<PreparedMessage>;

/** What a sanitize task gives. Cheap once bounded, but never on a request thread. */
export function sanitizeForEditor(html: string): SanitizedHtml {
  const sanitized = sanitizeBounded(html);
  return { html: sanitized.html, text: htmlToText(sanitized.html), truncated: sanitized.truncated };
}

/**
 * The worker's task function, over `prepare` (prepareMessage) and `sanitize` (tests give faulty
 * ones). Says the worker is loaded when made: call it at the end of the entry module.
 */
export function preparerTask(prepare: PrepareFunction, sanitize: (html: string) => SanitizedHtml = sanitizeForEditor): (request: PrepareRequest) => Promise<unknown> {
  let held: { key: number; context: ExtractContext } | undefined;
  parentPort?.postMessage({ workerLoaded: true } satisfies WorkerLoaded);
  return async (request) => {
    if (request.task === 'prepare') {
      if (request.context) held = { key: request.contextKey, context: request.context };
      else if (held?.key !== request.contextKey) return { kind: 'needsContext' } satisfies PrepareReply;
    }
    if (request.task === 'sanitize') {
      parentPort?.postMessage({ taskStarted: request.id } satisfies TaskStarted);
      try {
        return { kind: 'sanitized', sanitized: sanitize(request.html) } satisfies PrepareReply;
      } catch (error) {
        return { kind: 'sanitizeFailed', error: firstLine(error) } satisfies PrepareReply;
      }
    }
    const results: PreparedMessage[] = [];
    for (const [index, message] of request.messages.entries()) {
      parentPort?.postMessage({ taskStarted: request.id, index } satisfies TaskStarted);
      const raw = Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength);
      try {
        results.push(await prepare(raw, held!.context, { asStatement: message.asStatement }));
      } catch (error) {
        results.push({ kind: 'failed', error: `could not parse the message: ${firstLine(error)}` });
      }
    }
    const reply = { kind: 'prepared', results } satisfies PrepareReply;
    const transfer = [...new Set(results.flatMap(transferable))];
    return transfer.length ? move({ [transferableSymbol]: transfer, [valueSymbol]: reply }) : reply;
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
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
