// Transport limits on a real listening server: a body sent too slowly is cut off with 408, and
// one address cannot hold more than MAX_CONNECTIONS_PER_IP connections open.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PUBLIC_BASE_URL, buildTestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const REQUEST_TIMEOUT_MS = 1_000;

/** Opens a socket and resolves once it is connected. */
function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the socket (or `withinMs` passes: null). */
function readUntilClosed(socket: net.Socket, withinMs: number): Promise<{ text: string; afterMs: number } | null> {
  const started = Date.now();
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(null), withinMs);
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ text, afterMs: Date.now() - started });
    });
  });
}

describe('transport limits', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db, {
      config: {
        publicBaseUrl: TEST_PUBLIC_BASE_URL,
        sessionTtlMs: 3_600_000,
        http: { requestTimeoutMs: REQUEST_TIMEOUT_MS, headersTimeoutMs: REQUEST_TIMEOUT_MS, connectionTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnectionsPerIp: 3, requestsPerMinutePerIp: 0 },
      },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  // Regression: 800 connections each sending 999,990 of 1,000,000 bytes held ~1 MB each for minutes.
  it('cuts off a body that does not arrive within REQUEST_TIMEOUT_MS with 408', async () => {
    const socket = await connect(port);
    const closed = readUntilClosed(socket, 10_000);
    socket.write('POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"email":"');
    const result = await closed;
    expect(result, 'the server kept the slow connection open').not.toBeNull();
    expect(result!.text).toMatch(/^HTTP\/1\.1 408/);
    expect(result!.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 3_000);
  });

  it('closes a connection beyond MAX_CONNECTIONS_PER_IP at once, and takes new ones when others close', async () => {
    const held = await Promise.all([connect(port), connect(port), connect(port)]);
    const extra = await connect(port);
    const refused = await readUntilClosed(extra, 3_000);
    expect(refused, 'the fourth connection stayed open').not.toBeNull();
    expect(refused!.text).toBe('');
    held[0]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    for (const socket of held) socket.destroy();
  });

  it('answers a client past RATE_LIMIT_PER_MINUTE with 429 problem+json and Retry-After; health probes are never limited', async () => {
    const limited = await buildTestApp(t.db, {
      config: {
        publicBaseUrl: TEST_PUBLIC_BASE_URL,
        sessionTtlMs: 3_600_000,
        http: { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, connectionTimeoutMs: 60_000, keepAliveTimeoutMs: 72_000, maxConnectionsPerIp: 0, requestsPerMinutePerIp: 5 },
      },
    });
    try {
      const from = (ip: string) => ({ method: 'GET' as const, url: '/feed.json', remoteAddress: ip });
      for (let i = 0; i < 5; i++) expect((await limited.inject(from('203.0.113.7'))).statusCode).toBe(200);
      const refused = await limited.inject(from('203.0.113.7'));
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.json().detail).toMatch(/More than 5 requests a minute came from your address\. Wait .* and try again\./);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Another address is counted apart, and load balancers' probes are never refused.
      expect((await limited.inject(from('198.51.100.2'))).statusCode).toBe(200);
      for (let i = 0; i < 10; i++) expect((await limited.inject({ method: 'GET', url: '/health', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
