// Regression: every request logged two info lines ("incoming request", "request completed"), a
// dozen on a terminal, so the demo's banner scrolled away at the first page view. Now: one line
// at info with method, route, status, time and request id; the detail (URL, headers) at debug.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { buildTestApp } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe('request logging', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('regression: one info line per request, with method, route, status, time and request id', async () => {
    const { lines, stream } = capture();
    const app = await buildTestApp(t.db, { logger: createLogger('info', stream) });
    await app.inject('/health');
    await app.inject('/statements/no-such-statement?secret=1');
    await app.close();
    const requestLines = lines.filter((l) => 'reqId' in l);
    expect(requestLines).toHaveLength(2);
    expect(requestLines[0]).toMatchObject({ level: 30, method: 'GET', route: '/health', status: 200, msg: expect.stringMatching(/^GET \/health 200 [\d.]+ ms$/) });
    expect(requestLines[1]).toMatchObject({ route: '/statements/:slug', status: 404 });
    expect(typeof requestLines[0]!.ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret=1');
  });

  it('adds the URL and headers at debug level', async () => {
    const { lines, stream } = capture();
    const app = await buildTestApp(t.db, { logger: createLogger('debug', stream) });
    await app.inject({ url: '/health', headers: { authorization: 'Bearer sdt_secret' } });
    await app.close();
    const line = lines.find((l) => l.route === '/health');
    expect(line).toMatchObject({ level: 20, req: { url: '/health' } });
    expect(JSON.stringify(lines)).not.toContain('sdt_secret');
  });
});
