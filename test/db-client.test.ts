// createDb's pool outside Prisma (poolOf): an idle connection the server ends is dropped and the
// next query gets a new one, and closeDb closes every connection, also when Prisma never ran a
// query (its $disconnect alone left them open).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, createDb, poolOf } from '../src/db/client.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';

describe('database client', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.drop());

  const backends = async () => {
    const rows = await t.db.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'db-client-test'`;
    return rows.map((r) => r.pid);
  };

  it('survives the server ending an idle connection, and answers the next query on a new one', async () => {
    const db = createDb(`${t.url}?application_name=db-client-test`);
    try {
      await poolOf(db).query('SELECT 1');
      const [pid] = await backends();
      expect(pid).toBeTypeOf('number');
      await t.db.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
      for (let i = 0; i < 50 && poolOf(db).totalCount > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      // The pool heard of it (an 'error' nobody listened to would have ended this process).
      expect(poolOf(db).totalCount).toBe(0);
      const { rows } = await poolOf(db).query<{ n: number }>('SELECT 2 AS n');
      expect(rows[0]!.n).toBe(2);
    } finally {
      await closeDb(db);
    }
  });

  it('closes every connection of a client Prisma never used', async () => {
    const db = createDb(`${t.url}?application_name=db-client-test`);
    await Promise.all([poolOf(db).query('SELECT pg_sleep(0.05)'), poolOf(db).query('SELECT pg_sleep(0.05)')]);
    expect(await backends()).toHaveLength(2);
    await closeDb(db);
    for (let i = 0; i < 50 && (await backends()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await backends()).toEqual([]);
    // Twice is harmless (a service may close on a second signal).
    await closeDb(db);
  });
});
