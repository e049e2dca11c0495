// Prometheus metrics (prom-client), one registry per process. Two kinds:
// - counters and histograms this process observes as work happens (HTTP requests, pipeline
//   outcomes and time, parser-worker restarts): each instance reports its own, and Prometheus
//   sums them across instances;
// - gauges read from the database when scraped (messages by source and status, backlog,
//   statements by status, mails waiting in the outbox): the same for every instance, cached briefly so that a
//   scrape every few seconds costs at most one set of index-only counts per cache period.
import client from 'prom-client';
import type { Db } from '../db/client.ts';
import { poolOf } from '../db/client.ts';

/** How long database-derived gauges are reused between scrapes. */
export const DATABASE_GAUGES_MAX_AGE_MS = 15_000;

const registry = new client.Registry();
registry.setDefaultLabels({ service: 'statement-desk' });
client.collectDefaultMetrics({ register: registry, prefix: 'statement_desk_process_' });

export const httpRequestDuration = new client.Histogram({
  name: 'statement_desk_http_request_duration_seconds',
  help: 'HTTP request duration by route pattern, method and status code.',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const messagesProcessed = new client.Counter({
  name: 'statement_desk_messages_processed_total',
  help: 'Messages this process ran through the pipeline, by outcome (drafted, ignored, failed).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

const pipelineChunkDuration = new client.Histogram({
  name: 'statement_desk_pipeline_chunk_duration_seconds',
  help: 'Time from reading a chunk of stored messages to its outcomes being committed.',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [registry],
});

const parserWorkerRestarts = new client.Counter({
  name: 'statement_desk_parser_worker_restarts_total',
  help: 'Parser worker threads replaced because they crashed or overran a message time limit.',
  registers: [registry],
});

/** Counts one message's outcome (skipped messages were another worker's, and are not counted). */
export function recordMessageOutcome(outcome: 'drafted' | 'ignored' | 'failed'): void {
  messagesProcessed.inc({ outcome });
}

export function recordPipelineChunk(seconds: number): void {
  pipelineChunkDuration.observe(seconds);
}

export function recordParserWorkerRestart(): void {
  parserWorkerRestarts.inc();
}

/** What the gauges read of an ingest source's status (SourceStatus, src/ingest/sources/source.ts, fits it). */
export interface SourceReading {
  name: string;
  kind: string;
  connected: boolean;
  lastFetchAt: string | null;
}

export interface MetricsSources {
  db: Db;
  sourceStatuses: () => SourceReading[];
  now?: () => Date;
}

interface DatabaseCounts {
  messages: { source: string; status: string; count: number }[];
  statements: { status: string; count: number }[];
  outbox: number;
}

/**
 * Binds the scrape-time gauges to this process's database and ingest sources. Called once by
 * buildApp; calling it again (tests build many apps) rebinds them.
 */
export function bindMetricSources(sources: MetricsSources): void {
  bound = sources;
  cached = undefined;
}

let bound: MetricsSources | undefined;
let cached: { at: number; counts: Promise<DatabaseCounts> } | undefined;

async function readDatabaseCounts(db: Db): Promise<DatabaseCounts> {
  const pool = poolOf(db);
  // Both counts are index-only scans (messages_source_status_idx, statements_status_idx).
  const [messages, statements, outbox] = await Promise.all([
    pool.query<{ source: string; status: string; count: string }>(
      'SELECT source, status::text AS status, count(*) AS count FROM messages GROUP BY source, status',
    ),
    pool.query<{ status: string; count: string }>('SELECT status::text AS status, count(*) AS count FROM statements GROUP BY status'),
    // Mails waiting to go out (not sent, failed for good or held back by loop safety); outbox(status, ...) serves it.
    pool.query<{ count: string }>(`SELECT count(*) AS count FROM outbox WHERE status = 'pending'`).then((r) => Number(r.rows[0]?.count ?? 0)),
  ]);
  return {
    messages: messages.rows.map((r) => ({ source: r.source, status: r.status, count: Number(r.count) })),
    statements: statements.rows.map((r) => ({ status: r.status, count: Number(r.count) })),
    outbox,
  };
}

function databaseCounts(): Promise<DatabaseCounts> | undefined {
  if (!bound) return undefined;
  const now = Date.now();
  if (!cached || now - cached.at > DATABASE_GAUGES_MAX_AGE_MS) {
    const counts = readDatabaseCounts(bound.db);
    cached = { at: now, counts };
    // A failed read is not cached: the next scrape tries again.
    counts.catch(() => {
      if (cached?.counts === counts) cached = undefined;
    });
  }
  return cached.counts;
}

new client.Gauge({
  name: 'statement_desk_messages',
  help: 'Stored messages by source (imap, drop, mbox, import) and pipeline status.',
  labelNames: ['source', 'status'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    const counts = await databaseCounts()?.catch(() => undefined);
    for (const row of counts?.messages ?? []) this.set({ source: row.source, status: row.status }, row.count);
  },
});

new client.Gauge({
  name: 'statement_desk_backlog_messages',
  help: 'Messages stored but not yet run through the pipeline (status received).',
  registers: [registry],
  async collect() {
    const counts = await databaseCounts()?.catch(() => undefined);
    if (!counts) return;
    this.set(counts.messages.filter((r) => r.status === 'received').reduce((sum, r) => sum + r.count, 0));
  },
});

new client.Gauge({
  name: 'statement_desk_statements',
  help: 'Statements by editorial status.',
  labelNames: ['status'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    const counts = await databaseCounts()?.catch(() => undefined);
    for (const row of counts?.statements ?? []) this.set({ status: row.status }, row.count);
  },
});

new client.Gauge({
  name: 'statement_desk_outbox_pending',
  help: 'Mails to senders in the outbox waiting to be delivered (status pending).',
  registers: [registry],
  async collect() {
    const counts = await databaseCounts()?.catch(() => undefined);
    if (counts) this.set(counts.outbox);
  },
});

new client.Gauge({
  name: 'statement_desk_database_up',
  help: '1 when the last scrape could read the database, else 0.',
  registers: [registry],
  async collect() {
    const counts = databaseCounts();
    if (!counts) return;
    this.set(await counts.then(() => 1, () => 0));
  },
});

new client.Gauge({
  name: 'statement_desk_source_connected',
  help: '1 while an ingest source is connected (IMAP) or watching (drop folder).',
  labelNames: ['source', 'kind'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const s of bound?.sourceStatuses() ?? []) this.set({ source: s.name, kind: s.kind }, s.connected ? 1 : 0);
  },
});

new client.Gauge({
  name: 'statement_desk_source_last_fetch_timestamp_seconds',
  help: 'Unix time of the last successful fetch of each ingest source (absent before the first).',
  labelNames: ['source', 'kind'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const s of bound?.sourceStatuses() ?? []) {
      if (s.lastFetchAt) this.set({ source: s.name, kind: s.kind }, Date.parse(s.lastFetchAt) / 1000);
    }
  },
});

/** The Prometheus text exposition of every metric. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
