// Runs the pipeline's CPU stages (prepare-message.ts: parse, classify, extract) in a worker
// thread, so that:
// - while the worker parses one message, this thread writes the outcomes of the ones before it
//   (the pipeline is as fast as its slower half, not the sum of both: `npm run bench -- ingest`);
// - a huge or hostile email never stalls the HTTP API or the IMAP connection;
// - a message that hangs the parser, or kills it, is marked `failed` with a reason, and the
//   worker is replaced for the next one.
// - editors' requests that read message content ("Make a draft of it", an email's frame, an
//   HTML body edit) get the same worker code and limits, in their own Preparer
//   (editorPreparer()), so that they neither stall the server nor wait behind an ingest backlog.
// The worker's heap is capped (resourceLimits): a message that needs more stops its worker alone.
// The worker loads our TypeScript through tsx (prepare-worker-start.mjs). Where no worker starts
// at all, messages are prepared in this thread, with a warning in the log: slower, never wrong.
import { recordParserWorkerRestart } from '../observability/metrics.ts';
import { Worker } from 'node:worker_threads';
import type { ExtractContext } from '../extract/index.ts';
import type { Logger } from '../logger.ts';
import { prepareMessage, type PreparedMessage } from './prepare-message.ts';
import { sanitizeForEditor, type PrepareReply, type PrepareRequest, type SanitizedHtml } from './prepare-worker.ts';

/** A message whose parsing takes longer than this is marked failed (the raw email is kept). */
export const PREPARE_TIMEOUT_MS = 120_000;
/**
 * The parser worker's heap: far above what a 50 MB email needs, far below the machine's memory.
 * The young generation is small: each message's garbage dies young, and a 64 MB one kept the
 * import's peak RSS about 70 MB higher for no speed (bench/scale.ts, 2,000 messages: 437-481 MB
 * with 64, 376 MB with 16). Large strings and buffers go to the large-object space either way.
 */
export const PARSER_WORKER_LIMITS = { maxOldGenerationSizeMb: 1536, maxYoungGenerationSizeMb: 16, stackSizeMb: 8 };

/** HTML the worker could not sanitise (it took too long or stopped the worker). */
export class SanitizeFailedError extends Error {}

export interface PreparerOptions {
  /** The worker's module; tests give one that misbehaves on purpose. */
  workerUrl?: URL;
  timeoutMs?: number;
  logger?: Logger;
  /** The worker's memory limits (tests give small ones). */
  resourceLimits?: typeof PARSER_WORKER_LIMITS;
}

/** What the worker is asked to do (PrepareRequest before it is sent). */
type Task =
  | { task: 'prepare'; raw: Buffer; context: ExtractContext; asStatement?: boolean; resolve: (result: PreparedMessage) => void }
  | { task: 'sanitize'; html: string; resolve: (result: SanitizedHtml) => void; reject: (error: Error) => void };

type Pending = Task & {
  /** Set when the worker starts on this task: its time limit counts from then. */
  timer?: NodeJS.Timeout;
};

export class Preparer {
  private readonly workerUrl: URL;
  private readonly timeoutMs: number;
  private readonly resourceLimits: typeof PARSER_WORKER_LIMITS;
  private logger: Logger | undefined;
  private worker: Worker | undefined;
  private starting: Promise<Worker | undefined> | undefined;
  /** Set for good when no worker could start: prepare in this thread. */
  private inThread = false;
  /** The context the current worker has; sent again only when it changes. */
  private contextSent: ExtractContext | undefined;
  /** Sent to the current worker and not answered yet, oldest first (the worker takes them in order). */
  private readonly pending = new Map<number, Pending>();
  /** The message the current worker is working on, if any. */
  private inProgress: number | undefined;
  private nextId = 1;

  constructor(options: PreparerOptions = {}) {
    this.workerUrl = options.workerUrl ?? new URL('./prepare-worker-start.mjs', import.meta.url);
    this.timeoutMs = options.timeoutMs ?? PREPARE_TIMEOUT_MS;
    this.resourceLimits = options.resourceLimits ?? PARSER_WORKER_LIMITS;
    this.logger = options.logger;
  }

  /** Where a worker that cannot start, or a message that stops one, is reported. */
  useLogger(logger: Logger): void {
    this.logger ??= logger;
  }

  /** What the pipeline makes of one raw message. Never throws. */
  prepare(raw: Buffer, context: ExtractContext, options: { asStatement?: boolean } = {}): Promise<PreparedMessage> {
    return new Promise<PreparedMessage>((resolve) => this.submit({ task: 'prepare', raw, context, asStatement: options.asStatement, resolve }));
  }

  /** Sanitised HTML and its text; rejects with SanitizeFailedError when the worker cannot. */
  sanitize(html: string): Promise<SanitizedHtml> {
    return new Promise<SanitizedHtml>((resolve, reject) => this.submit({ task: 'sanitize', html, resolve, reject }));
  }

  /** Runs `task`; whatever goes wrong settles it (a failed message, a rejected sanitise). */
  private submit(task: Task): void {
    this.run(task).catch((error: unknown) => {
      if (task.task === 'prepare') task.resolve(failed(error instanceof Error ? error.message : String(error)));
      else task.reject(error instanceof Error ? error : new Error(String(error)));
    });
  }

  private async run(task: Task): Promise<void> {
    const worker = this.inThread ? undefined : await this.start();
    if (worker) return this.send(worker, task);
    if (task.task === 'prepare') task.resolve(await prepareMessage(task.raw, task.context, { asStatement: task.asStatement }));
    else task.resolve(sanitizeForEditor(task.html));
  }

  /** Starts the worker now, so that the first task does not wait for it (resolves once it is ready). */
  async warm(): Promise<void> {
    if (!this.inThread) await this.start();
  }

  /** Stops the worker; call when nothing is pending. A later prepare starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.starting = undefined;
    await worker?.terminate();
  }

  private send(worker: Worker, entry: Task): void {
    const id = this.nextId++;
    this.pending.set(id, entry);
    worker.ref();
    if (entry.task === 'sanitize') return worker.postMessage({ id, task: 'sanitize', html: entry.html } satisfies PrepareRequest);
    // A copy of just this message's bytes, moved to the worker: cloning a view would copy the
    // whole memory under it (one message of an mbox is a view of the whole file).
    const request: PrepareRequest = { id, task: 'prepare', raw: new Uint8Array(entry.raw) };
    if (entry.asStatement) request.asStatement = true;
    if (entry.context !== this.contextSent) request.context = entry.context;
    this.contextSent = entry.context;
    worker.postMessage(request, [request.raw.buffer as ArrayBuffer]);
  }

  /** The worker took up a message: from now on it has timeoutMs (waiting in its queue does not count). */
  private started(worker: Worker, id: number): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.inProgress = id;
    entry.timer = setTimeout(() => {
      this.logger?.warn({ timeoutMs: this.timeoutMs, task: entry.task }, entry.task === 'prepare' ? 'a message took too long to parse; replacing the parser worker' : 'HTML took too long to sanitise; replacing the parser worker');
      this.replace(worker, `reading it took longer than ${Math.round(this.timeoutMs / 1000)} s; the email is kept raw`);
    }, this.timeoutMs);
  }

  private start(): Promise<Worker | undefined> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= new Promise<Worker | undefined>((resolve) => {
      let started = false;
      // No execArgv: the entry registers the TypeScript loader itself.
      const worker = new Worker(this.workerUrl, { execArgv: [], resourceLimits: this.resourceLimits });
      worker.unref();
      let failedToStart = false;
      // Called for the 'error' and again for the 'exit' of a worker that never became ready.
      const notStarted = (reason: string) => {
        if (failedToStart) return;
        failedToStart = true;
        this.inThread = true;
        this.starting = undefined;
        this.logger?.warn({ reason }, 'could not start the parser worker; parsing in the main thread instead');
        void worker.terminate();
        resolve(undefined);
      };
      worker.on('message', (reply: PrepareReply) => {
        if ('ready' in reply) {
          started = true;
          this.worker = worker;
          this.starting = undefined;
          this.contextSent = undefined;
          resolve(worker);
          return;
        }
        if ('started' in reply) return this.started(worker, reply.id);
        if ('sanitized' in reply) return this.settle(reply.id, reply.sanitized);
        const result = reply.result;
        // Structured cloning turns a Buffer into a plain Uint8Array; node-postgres writes Buffers.
        if (result.kind !== 'failed') for (const a of result.attachments) a.content = Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength);
        this.settle(reply.id, result);
      });
      worker.on('error', (error: Error & { code?: string }) => {
        if (!started) return notStarted(error.message);
        this.logger?.warn({ err: error }, 'the parser worker failed; a new one takes the next message');
        const why = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needed more than ${this.resourceLimits.maxOldGenerationSizeMb} MB of memory` : error.message.split('\n')[0];
        this.replace(worker, `the parser stopped while reading it (${why})`);
      });
      worker.on('exit', (code) => {
        if (!started) return notStarted(`it exited with code ${code} while starting`);
        this.replace(worker, `the parser stopped while reading it (exit code ${code})`);
      });
    });
    return this.starting;
  }

  /**
   * Retires a stuck or stopped worker: the message it was working on is failed with `reason`;
   * the ones queued behind it go to a new worker.
   */
  private replace(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    recordParserWorkerRestart();
    this.worker = undefined;
    this.contextSent = undefined;
    void worker.terminate();
    const queued = [...this.pending.entries()];
    // The worker takes messages in order: when its "started" did not arrive before it died, the
    // message it died on is still the oldest it had. Never sent again, so it cannot kill the next worker.
    const culprit = this.inProgress ?? queued[0]?.[0];
    this.inProgress = undefined;
    this.pending.clear();
    for (const [id, entry] of queued) {
      clearTimeout(entry.timer);
      if (id !== culprit) this.submit(entry);
      else if (entry.task === 'prepare') entry.resolve(failed(reason));
      else entry.reject(new SanitizeFailedError(reason.replace('reading it', 'cleaning the HTML').replace('; the email is kept raw', '')));
    }
  }

  private settle(id: number, result: PreparedMessage | SanitizedHtml): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (this.inProgress === id) this.inProgress = undefined;
    if (!this.pending.size) this.worker?.unref();
    (entry.resolve as (value: typeof result) => void)(result);
  }
}

function failed(reason: string): PreparedMessage {
  return { kind: 'failed', error: `could not parse the message: ${reason}` };
}

let shared: Preparer | undefined;

/** The process's preparer: one worker for every source and import. */
export function sharedPreparer(): Preparer {
  shared ??= new Preparer();
  return shared;
}

let editors: Preparer | undefined;

/**
 * The preparer for editors' requests: the same worker code and limits as ingest, in a worker of
 * its own, so that an editor neither waits behind an ingest backlog nor stalls the server.
 */
export function editorPreparer(logger?: Logger): Preparer {
  editors ??= new Preparer();
  if (logger) editors.useLogger(logger);
  return editors;
}
