// Runs the pipeline's CPU stages (prepare-message.ts: parse, classify, extract) in a worker
// thread of a piscina pool, so that:
// - while the worker parses one message, this thread writes the outcomes of the ones before it
//   (the pipeline is as fast as its slower half, not the sum of both: `npm run bench -- ingest`);
// - a huge or hostile email never stalls the HTTP API or the IMAP connection;
// - a message that hangs the parser, or kills it, is marked `failed` with a reason, and the pool
//   starts a new worker for the next one.
// The messages given to prepare() in one turn of the event loop (the pipeline gives a chunk at
// once) go to the worker as one task, a batch, so that it never waits for this thread between
// them (prepare-worker.ts says why that matters). Each worker runs one task at a time (each task
// carries an AbortSignal, which piscina never runs two of on one worker), and says when it takes
// up each message of a batch: the time limit counts per message, and when the worker hangs or
// dies, the message it was reading is known. That message fails alone; the others are sent again.
// - editors' requests that read message content ("Make a draft of it", an email's frame, an
//   HTML body edit) get the same worker code and limits, in their own Preparer
//   (editorPreparer()), so that they neither stall the server nor wait behind an ingest backlog.
// The worker's heap is capped (resourceLimits): a message that needs more stops its worker alone.
// The time limit of a task counts from when a worker takes it up (the worker says so), not while
// it waits its turn. Message content is never parsed on this thread: when no worker can start,
// prepare() and sanitize() reject with PreparerUnavailableError, and the next call tries again.
import { Piscina } from 'piscina';
import { DomainError } from '../errors.ts';
import { recordParserWorkerRestart } from '../observability/metrics.ts';
import type { ExtractContext } from '../extract/types.ts';
import type { Logger } from '../logger.ts';
import type { PreparedMessage } from './prepare-message.ts';
import type { PrepareReply, PrepareRequest, SanitizedHtml, TaskStarted, WorkerLoaded } from './prepare-worker.ts';

/** A message whose parsing takes longer than this is marked failed (the raw email is kept). */
export const PREPARE_TIMEOUT_MS = 120_000;
/**
 * The parser worker's heap: far above what a 50 MB email needs, far below the machine's memory.
 * The young generation is small: each message's garbage dies young, and a 64 MB one kept the
 * import's peak RSS about 70 MB higher for no speed (bench/scale.ts, 2,000 messages: 437-481 MB
 * with 64, 376 MB with 16). Large strings and buffers go to the large-object space either way.
 */
export const PARSER_WORKER_LIMITS = { maxOldGenerationSizeMb: 1536, maxYoungGenerationSizeMb: 16, stackSizeMb: 8 };

/** HTML the worker could not sanitise (it took too long, stopped the worker, or the sanitiser threw). */
export class SanitizeFailedError extends Error {}

/**
 * No parser worker could start (a broken install, no memory for a thread): nothing was parsed.
 * Ingest leaves the message `received`; an editor's request is a 503.
 */
export class PreparerUnavailableError extends DomainError {
  constructor(reason: string) {
    super('parser_unavailable', 503, `The email could not be read now: ${reason}. Try again in a minute; the service log says why.`);
  }
}

export interface PreparerOptions {
  /** The worker's entry module; tests give one that misbehaves on purpose. */
  workerUrl?: URL;
  timeoutMs?: number;
  logger?: Logger;
  /** The worker's memory limits (tests give small ones). */
  resourceLimits?: typeof PARSER_WORKER_LIMITS;
  /** How long the worker may sit idle before it is stopped (PARSER_IDLE_STOP_MS). */
  idleStopMs?: number;
}

/**
 * A worker idle this long is stopped, and the next task starts a new one (about half a second).
 * A worker's heap grows to what its largest messages needed and V8 gives little of it back
 * while the worker lives: after a backlog, or one 40 MB email, the service would keep a hundred
 * or more megabytes it no longer uses. Long enough that a steady trickle of mail, and an editor
 * at work, keep their worker.
 */
export const PARSER_IDLE_STOP_MS = 5 * 60_000;

/** Why a task did not come back; `index`: the message of a batch the worker last said it took up. */
type Stopped = ({ timedOut: true } | { timedOut: false; why: string }) & { index?: number };

/** At most this many messages, and about this many bytes of them, go to the worker as one task. */
const BATCH_MESSAGES = 16;
const BATCH_BYTES = 4 * 1024 * 1024;

/** A message given to prepare(), waiting for the end of the turn to be sent in a batch. */
interface Waiting {
  raw: Buffer;
  context: ExtractContext;
  contextKey: number;
  asStatement: boolean;
  resolve: (result: PreparedMessage) => void;
  reject: (error: unknown) => void;
}

export class Preparer {
  private readonly workerUrl: URL;
  private readonly timeoutMs: number;
  private readonly resourceLimits: typeof PARSER_WORKER_LIMITS;
  private logger: Logger | undefined;
  private pool: Piscina | undefined;
  private starting: Promise<Piscina> | undefined;
  /** Pools given up on: a worker failed outside any task (it could not load). */
  private readonly broken = new WeakSet<Piscina>();
  /** Starts the time limit of a task (of the message `index` of a batch) sent and not answered yet, by task id. */
  private readonly onStarted = new Map<number, (index: number | undefined) => void>();
  /** Messages given to prepare() in this turn, not sent yet. */
  private waiting: Waiting[] = [];
  private nextId = 1;
  /** A number per extraction context, so that a worker is sent each context once. */
  private readonly contextKeys = new WeakMap<ExtractContext, number>();
  private nextContextKey = 1;
  /** The context last sent with a task: the worker has it unless it was replaced since. */
  private contextSent: number | undefined;
  private readonly idleStopMs: number;
  /** Tasks given to run() and not answered yet: the worker is idle at 0. */
  private running = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(options: PreparerOptions = {}) {
    this.workerUrl = options.workerUrl ?? new URL('./prepare-worker-start.mjs', import.meta.url);
    this.timeoutMs = options.timeoutMs ?? PREPARE_TIMEOUT_MS;
    this.resourceLimits = options.resourceLimits ?? PARSER_WORKER_LIMITS;
    this.idleStopMs = options.idleStopMs ?? PARSER_IDLE_STOP_MS;
    this.logger = options.logger;
  }

  /** Whether a worker is running (or starting) now: false before the first task and after an idle stop. */
  get hasWorker(): boolean {
    return Boolean(this.pool ?? this.starting);
  }

  /** Where a worker that cannot start, or a message that stops one, is reported. */
  useLogger(logger: Logger): void {
    this.logger ??= logger;
  }

  /**
   * What the pipeline makes of one raw message: a failure of the message (it hung or stopped the
   * worker, or could not be read) is a `failed` result. Rejects only with PreparerUnavailableError.
   */
  prepare(raw: Buffer, context: ExtractContext, options: { asStatement?: boolean } = {}): Promise<PreparedMessage> {
    let contextKey = this.contextKeys.get(context);
    if (contextKey === undefined) this.contextKeys.set(context, (contextKey = this.nextContextKey++));
    const key = contextKey;
    return new Promise((resolve, reject) => {
      this.waiting.push({ raw, context, contextKey: key, asStatement: Boolean(options.asStatement), resolve, reject });
      if (this.waiting.length === 1) queueMicrotask(() => this.sendWaiting());
    });
  }

  /** Sends the messages given in this turn, in batches. */
  private sendWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const batch of inBatches(waiting)) {
      this.prepareBatch(batch).then(
        (results) => results.forEach((result, i) => batch[i]!.resolve(result)),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      );
    }
  }

  /** The results of a batch, in order; rejects only with PreparerUnavailableError. */
  private async prepareBatch(batch: Waiting[]): Promise<PreparedMessage[]> {
    const { contextKey, context } = batch[0]!;
    // At most twice: a worker that does not hold the context answers needsContext, and is sent it.
    for (let withContext = this.contextSent !== contextKey; ; withContext = true) {
      this.contextSent = contextKey;
      // A copy of just each message's bytes, moved to the worker: cloning a view would copy the
      // whole memory under it (one message of an mbox is a view of the whole file).
      const messages = batch.map(({ raw, asStatement }) => ({ raw: new Uint8Array(raw), ...(asStatement ? { asStatement } : {}) }));
      const request = { task: 'prepare', messages, contextKey, ...(withContext ? { context } : {}) } as const;
      const reply = await this.run(request, messages.map((m) => m.raw.buffer as ArrayBuffer));
      if ('timedOut' in reply) return this.afterStopped(batch, reply);
      if (reply.kind === 'needsContext' && !withContext) continue;
      if (reply.kind !== 'prepared') return batch.map(() => failed(`the parser worker gave an unexpected answer (${reply.kind})`));
      // Structured cloning turns a Buffer into a plain Uint8Array; node-postgres writes Buffers.
      for (const result of reply.results) {
        if (result.kind !== 'failed') for (const a of result.attachments) a.content = Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength);
      }
      return reply.results;
    }
  }

  /**
   * A batch whose worker hung or stopped. The messages before the one it last took up were done
   * (their results went with the worker) and are sent again together. After a hang, the message
   * it was reading is the one at fault: it was taken up a whole time limit ago. After a crash, the
   * fault may be in a message taken up after it (the worker's word on that can go with it), so
   * those are sent again one at a time: the one at fault stops a worker alone, and fails.
   */
  private async afterStopped(batch: Waiting[], stopped: Stopped): Promise<PreparedMessage[]> {
    if (batch.length === 1) return [this.stoppedFailure(stopped)];
    const at = Math.min(stopped.index ?? 0, batch.length - 1);
    const again = async (part: Waiting[]) => (part.length ? this.prepareBatch(part) : []);
    const [before, rest] = await Promise.all([
      again(batch.slice(0, at)),
      stopped.timedOut
        ? again(batch.slice(at + 1)).then((after) => [this.stoppedFailure(stopped), ...after])
        : Promise.all(batch.slice(at).map((w) => this.prepareBatch([w]))).then((alone) => alone.flat()),
    ]);
    return [...before, ...rest];
  }

  private stoppedFailure(stopped: Stopped): PreparedMessage {
    return failed(stopped.timedOut ? `reading it took longer than ${this.seconds()} s; the email is kept raw` : `the parser stopped while reading it (${stopped.why})`);
  }

  /** Sanitised HTML and its text; rejects with SanitizeFailedError when the worker cannot. */
  async sanitize(html: string): Promise<SanitizedHtml> {
    const reply = await this.run({ task: 'sanitize', html });
    if ('timedOut' in reply) {
      throw new SanitizeFailedError(reply.timedOut ? `cleaning the HTML took longer than ${this.seconds()} s` : `the parser stopped while cleaning the HTML (${reply.why})`);
    }
    if (reply.kind === 'sanitized') return reply.sanitized;
    throw new SanitizeFailedError(reply.kind === 'sanitizeFailed' ? `the HTML could not be cleaned (${reply.error})` : `the parser worker gave an unexpected answer (${reply.kind})`);
  }

  /** Starts the worker now, so that the first task does not wait for it (resolves once it is ready). */
  async warm(): Promise<void> {
    await this.start().catch(() => undefined);
  }

  /** Stops the workers; tasks not answered yet fail. A later task starts a new pool. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const pool = this.pool;
    this.pool = undefined;
    this.starting = undefined;
    this.contextSent = undefined;
    await pool?.destroy();
  }

  private seconds(): number {
    return Math.round(this.timeoutMs / 1000);
  }

  /** Runs one task with its time limit; what stops the worker is a `Stopped`, never a throw. */
  private async run(request: DistributiveOmit<PrepareRequest, 'id'>, transferList?: ArrayBuffer[]): Promise<PrepareReply | Stopped> {
    // Counted before anything is awaited, so that an idle stop never takes the pool from under it.
    this.running++;
    clearTimeout(this.idleTimer);
    try {
      return await this.runOnPool(request, transferList);
    } finally {
      if (--this.running === 0) this.stopWhenIdle();
    }
  }

  /** Once no task has come for idleStopMs, stops the worker to give its memory back. */
  private stopWhenIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.running > 0 || !this.pool) return;
      this.logger?.info({ idleMs: this.idleStopMs }, 'parser worker idle: stopped to give its memory back; the next message starts a new one');
      void this.close();
    }, this.idleStopMs);
    // It never keeps the process alive.
    this.idleTimer.unref();
  }

  private async runOnPool(request: DistributiveOmit<PrepareRequest, 'id'>, transferList?: ArrayBuffer[]): Promise<PrepareReply | Stopped> {
    const pool = await this.start();
    const id = this.nextId++;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let index: number | undefined;
    this.onStarted.set(id, (started) => {
      index = started;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        this.logger?.warn(
          { timeoutMs: this.timeoutMs, task: request.task },
          request.task === 'prepare' ? 'a message took too long to parse; replacing the parser worker' : 'HTML took too long to sanitise; replacing the parser worker',
        );
        abort.abort();
      }, this.timeoutMs);
    });
    try {
      return (await pool.run({ ...request, id }, { signal: abort.signal, ...(transferList ? { transferList } : {}) })) as PrepareReply;
    } catch (error) {
      if (this.broken.has(pool)) throw new PreparerUnavailableError('the parser worker could not start');
      recordParserWorkerRestart();
      if (timedOut) return { timedOut: true, index };
      const why = stoppedBecause(error, this.resourceLimits.maxOldGenerationSizeMb);
      this.logger?.warn({ err: error, task: request.task }, 'the parser worker stopped; a new one takes the next task');
      return { timedOut: false, why, index };
    } finally {
      clearTimeout(timer);
      this.onStarted.delete(id);
    }
  }

  /** The pool, once its first worker has loaded its modules. */
  private start(): Promise<Piscina> {
    if (this.pool) return Promise.resolve(this.pool);
    this.starting ??= new Promise<Piscina>((resolve, reject) => {
      // One worker, kept while idle (unref'd: it never keeps the process alive) and replaced when
      // it dies. No execArgv: the entry registers the TypeScript loader itself.
      const pool = new Piscina({
        filename: this.workerUrl.href,
        minThreads: 1,
        maxThreads: 1,
        idleTimeout: Infinity,
        concurrentTasksPerWorker: 1,
        // Tasks are taken in the order they came (the pipeline writes chunks in order).
        stricterFIFO: true,
        execArgv: [],
        resourceLimits: this.resourceLimits,
        recordTiming: false,
      });
      let loaded = false;
      pool.on('message', (message: Partial<TaskStarted & WorkerLoaded>) => {
        if (message.taskStarted !== undefined) return this.onStarted.get(message.taskStarted)?.(message.index);
        if (message.workerLoaded && !loaded) {
          loaded = true;
          this.pool = pool;
          this.starting = undefined;
          resolve(pool);
        }
      });
      // Piscina reports here a worker that failed outside any task: one that could not load.
      pool.on('error', (error: Error) => {
        this.broken.add(pool);
        this.logger?.error({ err: error }, 'could not start the parser worker; messages stay unparsed until one starts');
        if (this.pool === pool) this.pool = undefined;
        if (!loaded) {
          this.starting = undefined;
          reject(new PreparerUnavailableError('the parser worker could not start'));
        }
        void pool.destroy();
      });
    });
    return this.starting;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Why a worker stopped, in words for the message's error. */
function stoppedBecause(error: unknown, heapMb: number): string {
  if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') return `it needed more than ${heapMb} MB of memory`;
  const message = firstLine(error);
  const exit = /worker exited with code: (\d+)/.exec(message);
  return exit ? `exit code ${exit[1]}` : message;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** Runs of messages with one context, of at most BATCH_MESSAGES and (but for a larger single message) BATCH_BYTES. */
function inBatches(waiting: Waiting[]): Waiting[][] {
  const batches: Waiting[][] = [];
  let bytes = 0;
  for (const w of waiting) {
    const last = batches[batches.length - 1];
    if (last && last[0]!.contextKey === w.contextKey && last.length < BATCH_MESSAGES && bytes + w.raw.length <= BATCH_BYTES) {
      last.push(w);
      bytes += w.raw.length;
    } else {
      batches.push([w]);
      bytes = w.raw.length;
    }
  }
  return batches;
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
