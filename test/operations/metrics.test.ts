// GET /metrics for the operator's Prometheus, and request ids for following one request in logs.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRawMessages } from '../../src/ingest/ingest-raw.ts';
import type { SourceStatus } from '../../src/ingest/sources/source.ts';
import { buildTestApp, TEST_PUBLIC_BASE_URL } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/logger.ts';
import { createStatement } from '../support/statements.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample line, e.g. sample(body, 'statement_desk_statements{status="draft"') */
function sample(body: string, prefix: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let withoutMetrics: FastifyInstance;
  const source: SourceStatus = {
    name: 'imap:desk@example.org/INBOX',
    kind: 'imap',
    connected: true,
    lastFetchAt: '2026-12-01T10:00:00.000Z',
    lastError: null,
    lastErrorAt: null,
  };
  beforeAll(async () => {
    t = await createTestDatabase();
    withoutMetrics = await buildTestApp(t.db);
    app = await buildTestApp(t.db, {
      config: { publicBaseUrl: TEST_PUBLIC_BASE_URL, sessionTtlMs: 3_600_000, metricsToken: TOKEN },
      sourceStatuses: () => [source],
    });
  });
  afterAll(async () => {
    await app.close();
    await withoutMetrics.close();
    await t.drop();
  });

  it('is absent without METRICS_TOKEN, and refuses a scraper without the token', async () => {
    expect((await withoutMetrics.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    const anonymous = await app.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/problem\+json/);
    expect(anonymous.json().detail).toMatch(/METRICS_TOKEN/);
    const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.statusCode).toBe(401);
  });

  it('reports ingest outcomes, backlog, statements by status, sources and HTTP latency', async () => {
    await createStatement(t.db, { status: 'published' });
    await createStatement(t.db, { status: 'draft' });
    await createStatement(t.db, { status: 'draft' });
    const statement = Buffer.from(
      'From: Press <press@union.example>\r\nTo: desk@example.org\r\nSubject: Statement on the strike\r\nMessage-ID: <m1@union.example>\r\n' +
        'Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nThe union stands with the dockworkers on strike today and calls for solidarity.\r\n\r\nCentral Committee\r\n',
    );
    const [ingested] = await ingestRawMessages({ db: t.db, logger: testLogger }, [{ raw: statement, source: 'drop' }]);
    await app.inject({ method: 'GET', url: '/feed.json' });

    const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = response.body;
    const outcome = ingested!.outcome.status;
    expect(sample(body, `statement_desk_messages{source="drop",status="${outcome}"`)).toBe(1);
    expect(sample(body, `statement_desk_messages_processed_total{outcome="${outcome}"`)).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'statement_desk_backlog_messages')).toBe(0);
    expect(sample(body, 'statement_desk_statements{status="published"')).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'statement_desk_statements{status="draft"')).toBeGreaterThanOrEqual(2);
    expect(sample(body, `statement_desk_source_connected{source="${source.name}",kind="imap"`)).toBe(1);
    expect(sample(body, `statement_desk_source_last_fetch_timestamp_seconds{source="${source.name}",kind="imap"`)).toBe(Date.parse(source.lastFetchAt!) / 1000);
    expect(sample(body, 'statement_desk_database_up')).toBe(1);
    // No SMTP configured in this test: nothing waits in the outbox.
    expect(sample(body, 'statement_desk_outbox_pending')).toBe(0);
    // Latency by route pattern: one series for /feed.json, none per URL.
    expect(body).toMatch(/statement_desk_http_request_duration_seconds_count\{[^}]*route="\/feed\.json",method="GET",status="200"/);
    expect(body).toContain('statement_desk_pipeline_chunk_duration_seconds_count');
  });

  it('gives every response a request id, keeping a well-formed one from the proxy', async () => {
    const kept = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'lb-7f3a-0001' } });
    expect(kept.headers['x-request-id']).toBe('lb-7f3a-0001');
    const fresh = await app.inject({ method: 'GET', url: '/health' });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'a b\u00e9<script>' } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
