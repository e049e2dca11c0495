// Runs the pipeline's CPU stages (prepare-message.ts: parse, classify, extract) in a worker
// thread of a piscina pool, so that:
// - while the worker parses one message, this thread writes the outcomes of the ones before it
//   (the pipeline is as fast as its slower half, not the sum of both: `npm run bench -- ingest`);
// - a huge or hostile email never stalls the HTTP API or the IMAP connection;
// - a message that hangs the parser, or kills it, is marked `failed` with a reason, and the pool
//   starts a new worker for the next one. Each worker runs one task at a time (each task carries
//   an AbortSignal, which piscina never runs two of on one worker), so a worker that dies took
//   exactly its own task with it: no guessing which message killed it.
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
}

/** Why a task did not come back. */
type Stopped = { timedOut: true } | { timedOut: false; why: string };

export class Preparer {
  private readonly workerUrl: URL;
  private readonly timeoutMs: number;
  private readonly resourceLimits: typeof PARSER_WORKER_LIMITS;
  private logger: Logger | undefined;
  private pool: Piscina | undefined;
  private starting: Promise<Piscina> | undefined;
  /** Pools given up on: a worker failed outside any task (it could not load). */
  private readonly broken = new WeakSet<Piscina>();
  /** Starts the time limit of a task sent and not answered yet, by task id. */
  private readonly onStarted = new Map<number, () => void>();
  private nextId = 1;
  /** A number per extraction context, so that a worker is sent each context once. */
  private readonly contextKeys = new WeakMap<ExtractContext, number>();
  private nextContextKey = 1;
  /** The context last sent with a task: the worker has it unless it was replaced since. */
  private contextSent: number | undefined;

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

  /**
   * What the pipeline makes of one raw message: a failure of the message (it hung or stopped the
   * worker, or could not be read) is a `failed` result. Rejects only with PreparerUnavailableError.
   */
  async prepare(raw: Buffer, context: ExtractContext, options: { asStatement?: boolean } = {}): Promise<PreparedMessage> {
    let contextKey = this.contextKeys.get(context);
    if (contextKey === undefined) this.contextKeys.set(context, (contextKey = this.nextContextKey++));
    // At most twice: a worker that does not hold the context answers needsContext, and is sent it.
    for (let withContext = this.contextSent !== contextKey; ; withContext = true) {
      this.contextSent = contextKey;
      // A copy of just this message's bytes, moved to the worker: cloning a view would copy the
      // whole memory under it (one message of an mbox is a view of the whole file).
      const bytes = new Uint8Array(raw);
      const request = { task: 'prepare', raw: bytes, contextKey, ...(withContext ? { context } : {}), ...(options.asStatement ? { asStatement: true } : {}) } as const;
      const reply = await this.run(request, [bytes.buffer as ArrayBuffer]);
      if ('timedOut' in reply) {
        if (reply.timedOut) return failed(`reading it took longer than ${this.seconds()} s; the email is kept raw`);
        return failed(`the parser stopped while reading it (${reply.why})`);
      }
      if (reply.kind === 'needsContext' && !withContext) continue;
      if (reply.kind !== 'prepared') return failed(`the parser worker gave an unexpected answer (${reply.kind})`);
      const result = reply.result;
      // Structured cloning turns a Buffer into a plain Uint8Array; node-postgres writes Buffers.
      if (result.kind !== 'failed') for (const a of result.attachments) a.content = Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength);
      return result;
    }
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
    const pool = await this.start();
    const id = this.nextId++;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    this.onStarted.set(id, () => {
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
      if (timedOut) return { timedOut: true };
      const why = stoppedBecause(error, this.resourceLimits.maxOldGenerationSizeMb);
      this.logger?.warn({ err: error, task: request.task }, 'the parser worker stopped; a new one takes the next task');
      return { timedOut: false, why };
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
        if (message.taskStarted !== undefined) return this.onStarted.get(message.taskStarted)?.();
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
