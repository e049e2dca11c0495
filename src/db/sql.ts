// Hand-written SQL for the reads that must stay bounded (the queue, its counts): a tiny builder
// for numbered parameters and WHERE conditions, and a query that stops when its client goes away.
import pg from 'pg';

export class SqlBuilder {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  /** The placeholder ($n) for a new parameter. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(condition: string): void {
    this.conditions.push(condition);
  }

  whereClause(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/**
 * Runs a query on a pooled connection; when `signal` aborts before it ends (the HTTP client went
 * away), PostgreSQL is asked to cancel it, so an abandoned search stops using a connection and a
 * core at once instead of at its statement timeout. The connection is released only after the
 * cancel request is answered, so it can never cancel another request's query.
 */
export async function queryCancellable<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  values: unknown[],
  signal?: AbortSignal,
  /** Planner settings (SET LOCAL) for this query alone, e.g. "enable_seqscan = off". */
  settings: readonly string[] = [],
): Promise<pg.QueryResult<R>> {
  if (!signal && !settings.length) return pool.query<R>(text, values);
  signal?.throwIfAborted();
  const client = await pool.connect();
  let cancelling: Promise<void> | undefined;
  const onAbort = () => {
    cancelling ??= cancelBackend(pool, (client as pg.PoolClient & { processID: number }).processID);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let broken: unknown;
  try {
    if (!settings.length) return await client.query<R>(text, values);
    await client.query('BEGIN');
    for (const setting of settings) await client.query(`SET LOCAL ${setting}`);
    const result = await client.query<R>(text, values);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (settings.length) await client.query('ROLLBACK').catch((e: unknown) => (broken = e));
    // Cancelled because the client went away: say that, not "statement timeout".
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await cancelling?.catch(() => undefined);
    client.release(broken instanceof Error ? broken : undefined);
  }
}

/** Cancels what the backend `pid` runs, over a connection of its own (the pool may be full). */
async function cancelBackend(pool: pg.Pool, pid: number): Promise<void> {
  const client = new pg.Client(pool.options);
  await client.connect();
  try {
    await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await client.end();
  }
}

/** SQLSTATE 57014: a statement stopped by statement_timeout or a cancel request. */
export const QUERY_CANCELED = '57014';

/**
 * True when `error` (from node-postgres, or from Prisma wrapping it) is a query PostgreSQL
 * stopped because it ran past statement_timeout or was cancelled.
 */
export function isQueryCanceled(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const candidate = e as { code?: unknown; message?: unknown; meta?: Record<string, unknown>; cause?: unknown };
    if (candidate.code === QUERY_CANCELED) return true;
    if (typeof candidate.message === 'string' && /canceling statement due to (statement timeout|user request)/i.test(candidate.message)) return true;
    const meta = candidate.meta;
    if (meta && (meta.code === QUERY_CANCELED || JSON.stringify(meta).includes(QUERY_CANCELED))) return true;
    e = candidate.cause;
  }
  return false;
}
