// Bad input that used to be a 500, each pinned by name: the answer is a 400 (or 414) in
// application/problem+json that says what was wrong, and nothing is written.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createTestStatement } from '../moderation/fixtures.ts';

const UUID = '00000000-0000-4000-8000-000000000000';
const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

describe('bad input is a 4xx problem, never a 500', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let admin: TestEditor;
  let topicSlug: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    admin = await createTestEditor(t.db, 'admin');
    topicSlug = (await app.inject({ method: 'POST', url: '/api/topics', headers: admin.headers, payload: { title: 'Cursor topic' } })).json().slug;
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status = 400) {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    return res.json() as { code: string; detail: string };
  }

  it('answers a public feed cursor that decodes to a negative year, or year 10000, with 400 (was a 500 with a stack trace)', async () => {
    for (const at of ['-000001-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z', '0000-06-01T00:00:00.000Z']) {
      const cursor = cursorOf(`${at}|${UUID}`);
      for (const url of ['/feed.json', '/feed.atom', `/topics/${topicSlug}/feed.json`, `/topics/${topicSlug}/feed.atom`]) {
        const problem = expectProblem(await app.inject({ url: `${url}?cursor=${cursor}` }));
        expect(problem.detail).toMatch(/cursor is not valid/);
      }
      expectProblem(await app.inject({ url: `/api/statements?cursor=${cursor}`, headers: admin.headers }));
    }
  });

  it('answers an audit cursor past the largest bigint with 400', async () => {
    const problem = expectProblem(await app.inject({ url: '/api/audit?cursor=9999999999999999999', headers: admin.headers }));
    expect(problem.detail).toMatch(/cursor is not valid/);
  });

  it('refuses a NUL character in a title with 400 naming the field, and writes nothing', async () => {
    const statement = await createTestStatement(t.db);
    const res = await app.inject({ method: 'PATCH', url: `/api/statements/${statement.id}`, headers: { ...admin.headers, 'if-match': '"1"' }, payload: { title: 'Solidarity\u0000' } });
    const problem = expectProblem(res);
    expect(problem.detail).toMatch(/body\.title contains a NUL character/);
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).version).toBe(1);
    const lone = await app.inject({ method: 'PATCH', url: `/api/statements/${statement.id}`, headers: { ...admin.headers, 'if-match': '"1"' }, payload: { signatories: [{ name: 'A \ud800 B' }] } });
    expect(expectProblem(lone).detail).toMatch(/body\.signatories\.0\.name/);
  });

  it('refuses a NUL in the unauthenticated sign-in email and in filters with 400', async () => {
    expectProblem(await app.inject({ method: 'POST', url: '/api/session', payload: { email: 'a\u0000@example.org', password: 'whatever it is' } }));
    expectProblem(await app.inject({ url: '/api/statements?organisation=a%00b', headers: admin.headers }));
    expectProblem(await app.inject({ url: '/api/audit?actor=a%00b', headers: admin.headers }));
    expectProblem(await app.inject({ url: '/topics/a%00b' }));
  });

  it('refuses year 0000 in statementDate and in the from/to filters', async () => {
    const statement = await createTestStatement(t.db);
    const res = await app.inject({ method: 'PATCH', url: `/api/statements/${statement.id}`, headers: { ...admin.headers, 'if-match': '*' }, payload: { statementDate: '0000-01-01' } });
    expect(expectProblem(res).detail).toMatch(/year from 0001 to 9999/);
    expectProblem(await app.inject({ url: '/api/statements?from=0000-01-01', headers: admin.headers }));
    expectProblem(await app.inject({ url: '/api/statements?to=10000-01-01', headers: admin.headers }));
  });

  it('matches an organisation filter ending in a backslash, or holding % and _, as text', async () => {
    const percent = await createTestStatement(t.db, { organisationName: 'Union 50% for all' });
    const other = await createTestStatement(t.db, { organisationName: 'Union 500 for all' });
    const slash = await createTestStatement(t.db, { organisationName: 'Back\\slash union' });
    const ids = async (organisation: string) => {
      const res = await app.inject({ url: `/api/statements?organisation=${encodeURIComponent(organisation)}`, headers: admin.headers });
      expect(res.statusCode).toBe(200);
      return res.json().items.map((s: { id: string }) => s.id);
    };
    expect(await ids('50%')).toEqual([percent.id]);
    expect(await ids('Union 50_')).toEqual([]); // as a wildcard, "_" matched both
    expect(await ids('Back\\')).toEqual([slash.id]);
    expect(await ids('500')).toEqual([other.id]);
  });

  it('answers a broken percent-encoding in the address and an over-long path part as problems', async () => {
    expect(expectProblem(await app.inject({ url: '/api/statements/%E0%A4%A' , headers: admin.headers })).code).toBe('bad_url');
    expect(expectProblem(await app.inject({ url: `/topics/${'x'.repeat(500)}` }), 414).code).toBe('uri_too_long');
  });
});
