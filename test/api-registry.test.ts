// Topics, organisations and editors over HTTP: what a script managing the site relies on.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestEditor, TEST_PUBLIC_BASE_URL, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { createTestStatement } from './moderation/fixtures.ts';

describe('topics, organisations and editors API', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;
  let admin: TestEditor;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    editor = await createTestEditor(t.db);
    admin = await createTestEditor(t.db, 'admin');
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('builds a topic page: create, add statements, order them, close it', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/topics', headers: editor.headers, payload: { title: 'Asian socialists condemn the war', introduction: 'Statements from across Asia.' } });
    expect(created.statusCode).toBe(201);
    const topic = created.json();
    expect(topic).toMatchObject({ slug: 'asian-socialists-condemn-the-war', open: true, publicUrl: `${TEST_PUBLIC_BASE_URL}/topics/asian-socialists-condemn-the-war` });
    expect(created.headers.etag).toBe('"1"');

    const first = await createTestStatement(t.db);
    const second = await createTestStatement(t.db);
    for (const s of [first, second]) {
      const res = await app.inject({ method: 'PATCH', url: `/api/statements/${s.id}`, headers: { ...editor.headers, 'if-match': '"1"' }, payload: { topicId: topic.id } });
      expect(res.json().topic).toMatchObject({ id: topic.id });
    }
    const order = await app.inject({ method: 'PUT', url: `/api/topics/${topic.id}/order`, headers: { ...editor.headers, 'if-match': '"1"' }, payload: { statementIds: [second.id, first.id] } });
    expect(order.statusCode).toBe(200);
    expect(order.json().statements.map((s: { id: string }) => s.id)).toEqual([second.id, first.id]);
    expect(order.headers.etag).toBe('"2"');

    const stale = await app.inject({ method: 'PATCH', url: `/api/topics/${topic.id}`, headers: { ...editor.headers, 'if-match': '"1"' }, payload: { open: false } });
    expect(stale.statusCode).toBe(412);
    const closed = await app.inject({ method: 'PATCH', url: `/api/topics/${topic.id}`, headers: { ...editor.headers, 'if-match': '"2"' }, payload: { open: false } });
    expect(closed.json()).toMatchObject({ open: false, version: 3 });

    const list = await app.inject({ method: 'GET', url: '/api/topics', headers: editor.headers });
    expect(list.json().items.find((i: { id: string }) => i.id === topic.id)).toMatchObject({ statementCount: 2, publishedCount: 0 });
    const taken = await app.inject({ method: 'POST', url: '/api/topics', headers: editor.headers, payload: { title: 'Other', slug: topic.slug } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().detail).toMatch(/Choose another slug/);
  });

  it('lets admins register an organisation, which then names drafts from its domain', async () => {
    const message = await t.db.message.create({ data: { dedupKey: 'api-org', source: 'import', sha256: 'a', size: 1, raw: Buffer.from('a'), fromAddress: 'info@labour-party.example' } });
    const draft = await createTestStatement(t.db, { messageId: message.id });
    const res = await app.inject({ method: 'POST', url: '/api/organisations', headers: admin.headers, payload: { name: 'Labour Party', shortName: 'LP', senderDomains: ['labour-party.example'] } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Labour Party', draftsUpdated: [draft.id], statementCount: 1 });
    const detail = await app.inject({ method: 'GET', url: `/api/statements/${draft.id}`, headers: editor.headers });
    expect(detail.json()).toMatchObject({ organisation: { id: res.json().id, name: 'Labour Party', shortName: 'LP' }, version: 2 });
    const bad = await app.inject({ method: 'POST', url: '/api/organisations', headers: admin.headers, payload: { name: 'Bad', senderDomains: ['not a domain'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/senderDomains/);
    const read = await app.inject({ method: 'GET', url: '/api/organisations', headers: editor.headers });
    expect(read.json().items.map((o: { name: string }) => o.name)).toContain('Labour Party');
  });

  it('lets admins promote an editor, who then reaches admin routes', async () => {
    const before = await app.inject({ method: 'GET', url: '/api/audit', headers: editor.headers });
    expect(before.statusCode).toBe(403);
    const promoted = await app.inject({ method: 'PATCH', url: `/api/editors/${editor.id}`, headers: admin.headers, payload: { role: 'admin' } });
    expect(promoted.json().role).toBe('admin');
    const after = await app.inject({ method: 'GET', url: '/api/audit?action=editor.role', headers: editor.headers });
    expect(after.statusCode).toBe(200);
    expect(after.json().items[0]).toMatchObject({ action: 'editor.role', targetId: editor.id, actor: { label: admin.email } });
  });
});
