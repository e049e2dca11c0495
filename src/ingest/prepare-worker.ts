// The preparer's worker thread (preparer.ts; started by prepare-worker-start.mjs): parses and
// extracts messages one at a time, in the order they arrive, and says when it takes one up: the
// message a worker dies or hangs on is the one it last started. Protocol:
//   -> { id, raw: Uint8Array, context?: ExtractContext }   (context: only when it changed)
//   <- { ready: true }                                      (once, when the modules are loaded)
//   <- { id, started: true }                                (when it takes up a message)
//   <- { id, result: PreparedMessage }
import type { MessagePort } from 'node:worker_threads';
import type { ExtractContext } from '../extract/index.ts';
import type { PreparedMessage } from './prepare-message.ts';

export interface PrepareRequest {
  id: number;
  raw: Uint8Array;
  context?: ExtractContext;
}

export type PrepareReply = { ready: true } | { id: number; started: true } | { id: number; result: PreparedMessage };

/** Answers prepare requests on `port` with `prepare` (prepareMessage; tests give a faulty one). */
export function servePreparer(port: MessagePort, prepare: (raw: Buffer, context: ExtractContext) => Promise<PreparedMessage>): void {
  let context: ExtractContext = { organisations: [] };
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: PrepareRequest) => {
    // The context a message was sent with, even if a later message brings a newer one.
    const own = (context = request.context ?? context);
    queue = queue.then(async () => {
      const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
      port.postMessage({ id: request.id, started: true } satisfies PrepareReply);
      const result = await prepare(raw, own);
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
