// The editor's whole job over HTTP, as the curl walk-through of docs/api.md does it: find a draft by
// searching, edit it with If-Match, approve, publish, see the audit trail. Plus the guards:
// 428 without If-Match, 412 on a stale version (nothing changed), 409 naming the current state,
// one winner of two concurrent approvals, unknown fields rejected, admin-only routes.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processMessage } from '../src/ingest/pipeline.ts';
import { storeRawMessage } from '../src/ingest/store-raw.ts';
import { buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { testLogger } from './support/logger.ts';
import { createTestStatement } from './moderation/fixtures.ts';

function email(id: string, subject: string, body: string): Buffer {
  return Buffer.from(
    [
      `Message-ID: <${id}@example.org>`,
      'From: Workers Front <press@workers-front.example.org>',
      'To: submissions@example.com',
      'Date: Tue, 01 Mar 2022 10:00:00 +0000',
      `Subject: ${subject}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n'),
  );
}

describe('moderation workflow over HTTP', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;
  let admin: TestEditor;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    editor = await createTestEditor(t.db);
    admin = await createTestEditor(t.db, 'admin');
    const mails = [
      email('wf-1', 'Statement: Dockworkers against the war', 'The dockworkers of Mariupol refuse to load weapons. We call for solidarity.'),
      email('wf-2', 'Statement on climate strikes', 'Teachers join the climate strike on Friday.'),
    ];
    for (const raw of mails) {
      const { id } = await storeRawMessage(t.db, { raw, source: 'import' });
      await processMessage({ db: t.db, logger: testLogger }, id);
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const get = (url: string, who: TestEditor = editor) => app.inject({ method: 'GET', url, headers: who.headers });

  it('takes a draft from search to published, with revisions and an audit trail', async () => {
    // Find it by searching a word prefix of its body.
    const search = await get('/api/statements?status=draft&q=dockwork');
    expect(search.statusCode).toBe(200);
    expect(search.json().items).toHaveLength(1);
    expect(search.json().counts).toMatchObject({ draft: 1, published: 0 });
    const id = search.json().items[0].id as string;

    const detail = await get(`/api/statements/${id}`);
    expect(detail.headers.etag).toBe('"1"');
    expect(detail.json().allowedActions).toEqual(['approve', 'publish', 'reject', 'mark_duplicate']);

    const edit = await app.inject({
      method: 'PATCH',
      url: `/api/statements/${id}`,
      headers: { ...editor.headers, 'if-match': detail.headers.etag as string },
      payload: { title: 'Dockworkers of Mariupol refuse to load weapons', statementDate: '2022-03-01', language: 'en' },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.headers.etag).toBe('"2"');
    expect(edit.json().revisions[0]).toMatchObject({ version: 2, editor: { email: editor.email }, changes: { title: { to: 'Dockworkers of Mariupol refuse to load weapons' } } });

    const approve = await app.inject({ method: 'POST', url: `/api/statements/${id}/approve`, headers: { ...editor.headers, 'if-match': '"2"' } });
    expect(approve.statusCode).toBe(200);
    expect(approve.json()).toMatchObject({ status: 'approved', version: 3 });
    const publish = await app.inject({ method: 'POST', url: `/api/statements/${id}/publish`, headers: { ...editor.headers, 'if-match': approve.headers.etag as string } });
    expect(publish.statusCode).toBe(200);
    expect(publish.json()).toMatchObject({ status: 'published', version: 4 });
    expect(publish.json().publishedAt).not.toBeNull();

    const trail = await get(`/api/statements/${id}/audit`);
    expect(trail.json().items.map((e: { action: string }) => e.action)).toEqual(['statement.publish', 'statement.approve', 'statement.edit']);
    expect(trail.json().items[0].actor.label).toBe(editor.email);

    const audit = await get(`/api/audit?targetType=statement&targetId=${id}&action=statement.`, admin);
    expect(audit.statusCode).toBe(200);
    expect(audit.json().items).toHaveLength(3);

    const published = await get('/api/statements?status=published&q=mariupol');
    expect(published.json().items.map((s: { id: string }) => s.id)).toEqual([id]);
  });

  it('needs If-Match to change a statement (428), refuses a stale one (412) and changes nothing', async () => {
    const statement = await createTestStatement(t.db, { title: 'Untouched title' });
    const url = `/api/statements/${statement.id}`;
    const none = await app.inject({ method: 'PATCH', url, headers: editor.headers, payload: { title: 'New' } });
    expect(none.statusCode).toBe(428);
    expect(none.json().detail).toMatch(/If-Match/);
    await app.inject({ method: 'PATCH', url, headers: { ...editor.headers, 'if-match': '"1"' }, payload: { title: 'First editor' } });
    const stale = await app.inject({ method: 'PATCH', url, headers: { ...editor.headers, 'if-match': '"1"' }, payload: { title: 'Second editor' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(stale.json()).toMatchObject({ code: 'stale_version', currentVersion: 2 });
    const staleApprove = await app.inject({ method: 'POST', url: `${url}/approve`, headers: { ...editor.headers, 'if-match': '"1"' } });
    expect(staleApprove.statusCode).toBe(412);
    const after = await get(url);
    expect(after.json()).toMatchObject({ title: 'First editor', version: 2, status: 'draft' });
    expect(after.json().revisions).toHaveLength(1);
  });

  it('answers an illegal transition with 409 naming the current state', async () => {
    const statement = await createTestStatement(t.db, { status: 'rejected', rejectionReason: 'Spam' });
    const res = await app.inject({ method: 'POST', url: `/api/statements/${statement.id}/publish`, headers: { ...editor.headers, 'if-match': '*' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ currentStatus: 'rejected', allowedActions: ['reopen'] });
    expect(res.json().detail).toMatch(/This statement is rejected, so it cannot be published/);
  });

  it('lets exactly one of two simultaneous approvals win', async () => {
    const statement = await createTestStatement(t.db);
    const approve = () => app.inject({ method: 'POST', url: `/api/statements/${statement.id}/approve`, headers: { ...editor.headers, 'if-match': '"1"' } });
    const codes = (await Promise.all([approve(), approve()])).map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(200);
    expect([409, 412]).toContain(codes[1]);
    expect(await t.db.auditEntry.count({ where: { targetId: statement.id, action: 'statement.approve' } })).toBe(1);
  });

  it('rejects with a reason from the list, and needs a reason', async () => {
    const reason = await app.inject({ method: 'POST', url: '/api/rejection-reasons', headers: admin.headers, payload: { text: 'Not a statement' } });
    expect(reason.statusCode).toBe(201);
    const statement = await createTestStatement(t.db);
    const url = `/api/statements/${statement.id}/reject`;
    const without = await app.inject({ method: 'POST', url, headers: { ...editor.headers, 'if-match': '"1"' }, payload: {} });
    expect(without.statusCode).toBe(400);
    expect(without.json().detail).toMatch(/needs a reason/);
    const ok = await app.inject({ method: 'POST', url, headers: { ...editor.headers, 'if-match': '"1"' }, payload: { reasonId: reason.json().id } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'rejected', rejectionReason: 'Not a statement' });
  });

  it('marks a duplicate and links the original', async () => {
    const original = await createTestStatement(t.db, { title: 'The first copy' });
    const copy = await createTestStatement(t.db);
    const res = await app.inject({ method: 'POST', url: `/api/statements/${copy.id}/mark-duplicate`, headers: { ...editor.headers, 'if-match': '"1"' }, payload: { duplicateOfId: original.id } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', duplicateOf: { id: original.id, title: 'The first copy' }, rejectionReason: 'Duplicate of “The first copy”' });
  });

  it('rejects unknown fields instead of dropping them', async () => {
    const statement = await createTestStatement(t.db);
    const res = await app.inject({ method: 'PATCH', url: `/api/statements/${statement.id}`, headers: { ...editor.headers, 'if-match': '"1"' }, payload: { title: 'x', status: 'published' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/status/);
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).version).toBe(1);
  });

  it('filters the queue by topic, organisation, language and statement date', async () => {
    const topic = await app.inject({ method: 'POST', url: '/api/topics', headers: editor.headers, payload: { title: 'Filter topic' } });
    expect(topic.statusCode).toBe(201);
    const inTopic = await createTestStatement(t.db, { topicId: topic.json().id, language: 'fr', organisationName: 'Union Syndicale', statementDate: new Date('2023-05-01') });
    await createTestStatement(t.db, { language: 'de', organisationName: 'Andere', statementDate: new Date('2021-01-01') });
    const ids = async (query: string) => (await get(`/api/statements?${query}`)).json().items.map((s: { id: string }) => s.id);
    expect(await ids(`topic=${topic.json().slug}`)).toEqual([inTopic.id]);
    expect(await ids(`topic=${topic.json().id}`)).toEqual([inTopic.id]);
    expect(await ids('organisation=syndicale')).toEqual([inTopic.id]);
    expect(await ids('language=fr')).toEqual([inTopic.id]);
    expect(await ids('from=2023-05-01&to=2023-05-01')).toEqual([inTopic.id]);
    const bad = await get('/api/statements?from=2023-06-01&to=2023-05-01');
    expect(bad.statusCode).toBe(400);
    const weird = await get(`/api/statements?q=${encodeURIComponent("'&|!:*()")}`);
    expect(weird.statusCode).toBe(200);
    expect(weird.json().items).toEqual([]);
    // An empty search box is no search.
    expect((await get('/api/statements?q=')).json().counts).toEqual((await get('/api/statements')).json().counts);
  });

  it('offers attachments as downloads only', async () => {
    const message = await t.db.message.create({ data: { dedupKey: 'att-1', source: 'import', sha256: 'a', size: 1, raw: Buffer.from('x') } });
    const attachment = await t.db.attachment.create({
      data: { messageId: message.id, filename: 'déclaration "final".html', contentType: 'text/html', size: 20, sha256: 'b', content: Buffer.from('<script>alert(1)</script>') },
    });
    const statement = await createTestStatement(t.db, { messageId: message.id });
    const detail = await get(`/api/statements/${statement.id}`);
    const listed = detail.json().message.attachments[0];
    expect(listed.downloadUrl).toBe(`/api/attachments/${attachment.id}`);
    const res = await get(listed.downloadUrl);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="d_claration _final_.html"; filename\*=UTF-8''d%C3%A9claration%20_final_.html$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.body).toBe('<script>alert(1)</script>');
  });

  it('never serves an attachment with a type that runs: a declared application/javascript was usable as a same-origin script', async () => {
    const message = await t.db.message.create({ data: { dedupKey: 'att-2', source: 'import', sha256: 'c', size: 1, raw: Buffer.from('x') } });
    const attach = (filename: string, contentType: string, content: Buffer<ArrayBuffer>) =>
      t.db.attachment.create({ data: { messageId: message.id, filename, contentType, size: content.length, sha256: filename, content } });
    const script = await attach('app.js', 'application/javascript', Buffer.from('fetch("/api/editors")'));
    const module = await attach('app.mjs', 'text/javascript; charset=utf-8', Buffer.from('export {}'));
    const css = await attach('style.css', 'text/css', Buffer.from('body{}'));
    const pdf = await attach('statement.pdf', 'application/octet-stream', Buffer.from('%PDF-1.4 statement'));
    const fakePdf = await attach('fake.pdf', 'application/pdf', Buffer.from('alert(1)'));
    for (const [attachment, type] of [[script, 'application/octet-stream'], [module, 'application/octet-stream'], [css, 'application/octet-stream'], [pdf, 'application/pdf'], [fakePdf, 'application/octet-stream']] as const) {
      const res = await get(`/api/attachments/${attachment.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type'], attachment.filename!).toBe(type);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toMatch(/^attachment; /);
    }
  });

  it('keeps the audit log, editors and settings to administrators', async () => {
    for (const [method, url] of [['GET', '/api/audit'], ['GET', '/api/editors'], ['POST', '/api/rejection-reasons'], ['POST', '/api/organisations']] as const) {
      const res = await app.inject({ method, url, headers: editor.headers, payload: method === 'POST' ? { text: 'x', name: 'x' } : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().detail).toMatch(/administrator/);
    }
    const added = await app.inject({ method: 'POST', url: '/api/editors', headers: admin.headers, payload: { email: 'added@example.org', password: 'long-enough-password' } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).not.toHaveProperty('passwordHash');
    const deactivated = await app.inject({ method: 'PATCH', url: `/api/editors/${added.json().id}`, headers: admin.headers, payload: { active: false } });
    expect(deactivated.json().active).toBe(false);
    const page = await get('/api/audit?limit=2', admin);
    expect(page.json().items).toHaveLength(2);
    const next = await get(`/api/audit?limit=2&cursor=${page.json().nextCursor}`, admin);
    expect(Number(next.json().items[0].id)).toBeLessThan(Number(page.json().items[1].id));
    const byActor = await get(`/api/audit?actor=${encodeURIComponent(admin.email)}&action=editor.`, admin);
    expect(byActor.json().items.map((e: { action: string }) => e.action)).toEqual(['editor.deactivate', 'editor.create']);
  });
});
