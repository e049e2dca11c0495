// The editors' pages around statements, through app.inject: topics (create, add statements,
// order, close), organisations and editors (admins only), and the activity page's filters.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { createStatement } from './support/statements.ts';
import { signInWeb, type WebSession } from './browser/support/web-session.ts';

describe("editors' pages: topics, organisations, editors, activity", () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let admin: TestEditor;
  let editor: TestEditor;
  let asAdmin: WebSession;
  let asEditor: WebSession;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    [admin, editor] = await Promise.all([createTestEditor(t.db, 'admin'), createTestEditor(t.db, 'editor')]);
    [asAdmin, asEditor] = await Promise.all([signInWeb(app, admin.email, admin.password), signInWeb(app, editor.email, editor.password)]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('creates a topic, adds statements, reorders them and closes the topic', async () => {
    const created = await asEditor.post('/editor/topics', { title: 'Strike wave 2026', slug: '', introduction: 'Statements on the strikes.', open: 'on' });
    expect(created.status).toBe(303);
    const topicId = /\/editor\/topics\/([0-9a-f-]{36})/.exec(created.location!)![1]!;
    const topic = await t.db.topic.findUniqueOrThrow({ where: { id: topicId } });
    expect(topic.slug).toBe('strike-wave-2026');

    const first = await createStatement(t.db, { status: 'published', title: 'First in' });
    const second = await createStatement(t.db, { status: 'draft', title: 'Second in' });
    for (const s of [first, second]) expect((await asEditor.post(`/editor/topics/${topicId}/add`, { statementId: s.id })).status).toBe(303);
    let page = await asEditor.get(`/editor/topics/${topicId}`);
    expect(page.body.indexOf('First in')).toBeLessThan(page.body.indexOf('Second in'));
    expect(page.body).toContain('href="/topics/strike-wave-2026"');
    expect(page.body).toContain('href="/topics/strike-wave-2026/feed.json"');

    const version = (await t.db.topic.findUniqueOrThrow({ where: { id: topicId } })).version;
    const moved = await asEditor.post(`/editor/topics/${topicId}/move`, { statementId: second.id, direction: 'up', version: String(version) });
    expect(moved.status).toBe(303);
    page = await asEditor.get(`/editor/topics/${topicId}`);
    expect(page.body.indexOf('Second in')).toBeLessThan(page.body.indexOf('First in'));
    // A second click from the old page (stale version) changes nothing and says why.
    const stale = await asEditor.post(`/editor/topics/${topicId}/move`, { statementId: first.id, direction: 'up', version: String(version) });
    expect(stale.status).toBe(409);
    expect(stale.body).toContain('Someone else changed this topic a moment ago');

    const current = await t.db.topic.findUniqueOrThrow({ where: { id: topicId } });
    const closed = await asEditor.post(`/editor/topics/${topicId}`, { title: current.title, slug: current.slug, introduction: current.introduction, version: String(current.version) });
    expect(closed.status).toBe(303);
    expect((await t.db.topic.findUniqueOrThrow({ where: { id: topicId } })).open).toBe(false);

    const removed = await asEditor.post(`/editor/topics/${topicId}/remove`, { statementId: first.id });
    expect(removed.status).toBe(303);
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: first.id } })).topicId).toBeNull();

    // Regression: "remove" from a stale page of another topic cleared the topic of any statement.
    const elsewhere = await asEditor.post(`/editor/topics/${topicId}/remove`, { statementId: second.id });
    expect(elsewhere.status).toBe(303);
    const other = await asEditor.post('/editor/topics', { title: 'Another topic', slug: '', introduction: '' });
    const otherId = /\/editor\/topics\/([0-9a-f-]{36})/.exec(other.location!)![1]!;
    await asEditor.post(`/editor/topics/${otherId}/add`, { statementId: second.id });
    const stalePage = await asEditor.post(`/editor/topics/${topicId}/remove`, { statementId: second.id });
    expect(stalePage.status).toBe(409);
    expect(stalePage.body).toContain('no longer in this topic');
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: second.id } })).topicId).toBe(otherId);
  });

  it('says when a topic address is taken, and keeps what was typed', async () => {
    await asEditor.post('/editor/topics', { title: 'Taken', slug: 'taken-slug', introduction: '' });
    const again = await asEditor.post('/editor/topics', { title: 'Another', slug: 'taken-slug', introduction: 'My introduction.' });
    expect(again.status).toBe(409);
    expect(again.body).toContain('already uses the address /topics/taken-slug');
    expect(again.body).toContain('My introduction.');
  });

  it('lets admins manage organisations and shows them read-only to editors', async () => {
    const denied = await asEditor.post('/editor/organisations', { name: 'Sneaky Org' });
    expect(denied.status).toBe(403);
    expect(denied.body).toContain('Only administrators');
    const created = await asAdmin.post('/editor/organisations', { name: 'Korean Confederation of Trade Unions', shortName: 'KCTU', country: 'Korea', website: 'https://kctu.example.org', senderAddresses: 'press@kctu.example.org', senderDomains: 'kctu.example.org\n@Mail.KCTU.example.org' });
    expect(created.status).toBe(303);
    const org = await t.db.organisation.findFirstOrThrow({ where: { shortName: 'KCTU' } });
    expect(org.senderDomains).toEqual(['kctu.example.org', 'mail.kctu.example.org']);
    const list = await asEditor.get('/editor/organisations');
    expect(list.body).toContain('Korean Confederation of Trade Unions');
    const view = await asEditor.get(`/editor/organisations/${org.id}`);
    expect(view.body).toContain('Only administrators can change organisations.');
    expect(view.body).toContain('readonly');
    const bad = await asAdmin.post(`/editor/organisations/${org.id}`, { name: org.name, website: 'not a url', version: String(org.version) });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('https://');
  });

  it('lets only admins add editors and change roles; the last admin stays an admin', async () => {
    expect((await asEditor.get('/editor/editors')).status).toBe(403);
    const added = await asAdmin.post('/editor/editors', { email: 'new.editor@example.org', name: 'New Editor', password: 'long enough password', role: 'editor' });
    expect(added.status).toBe(303);
    const short = await asAdmin.post('/editor/editors', { email: 'other@example.org', name: '', password: 'short', role: 'editor' });
    expect(short.status).toBe(400);
    expect(short.body).toContain('value="other@example.org"');
    const demoteSelf = await asAdmin.post(`/editor/editors/${admin.id}`, { role: 'editor' });
    expect(demoteSelf.status).toBe(409);
    expect(demoteSelf.body).toContain('last active administrator');
    const reasons = await asAdmin.post('/editor/rejection-reasons', { text: 'Not a statement' });
    expect(reasons.status).toBe(303);
    expect((await asAdmin.get('/editor/editors')).body).toContain('Not a statement');
  });

  it('shows the activity, filtered by who and what', async () => {
    const all = await asEditor.get('/editor/activity');
    expect(all.status).toBe(200);
    expect(all.body).toContain('Created a topic');
    expect(all.body).toContain('Added an organisation');
    const topicsOnly = await asEditor.get('/editor/activity?action=topic.');
    expect(topicsOnly.body).toContain('Created a topic');
    expect(topicsOnly.body).not.toContain('Added an organisation');
    const byAdmin = await asEditor.get(`/editor/activity?actor=${encodeURIComponent(admin.email)}&action=topic.`);
    expect(byAdmin.body).toContain('Nothing recorded for these filters');
    // Sign-ins (with IP addresses) and account changes are for administrators, as in GET /api/audit.
    expect(all.body).not.toContain('<td>Signed in</td>');
    expect((await asEditor.get('/editor/activity?action=session.')).body).toContain('Nothing recorded for these filters');
    const asAdminAll = await asAdmin.get('/editor/activity');
    expect(asAdminAll.body).toContain('<td>Signed in</td>');
    expect(asAdminAll.body).toContain('Added an editor');
  });
});
