// Regression: Prisma's interactive transactions (and the implicit one of a write with `include`)
// send independent queries at once on one connection, and node-postgres printed "Calling
// client.query() when the client is already executing a query is deprecated" (pg 9 will refuse).
// The warning is printed once per process, so a fresh process runs the writes and we read its stderr.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/db.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const SCRIPT = `
import { createDb } from './src/db/client.ts';
const db = createDb(process.env.TEST_URL);
await db.editor.create({ data: { email: 'pg-warning@example.org', passwordHash: 'x', role: 'editor' }, include: { sessions: true, tokens: true, revisions: true } });
await db.$transaction(async (tx) => {
  await Promise.all([tx.editor.count(), tx.statement.count(), tx.topic.findMany({ include: { statements: true } })]);
});
await db.$disconnect();
console.log('ok');
`;

describe('node-postgres under Prisma', { timeout: 60_000 }, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('regression: no "client is already executing a query" deprecation from concurrent queries in a transaction', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TEST_URL: t.url },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: 'ok' });
    expect(stderr).not.toContain('already executing a query');
  });
});
