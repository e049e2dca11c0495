// The editors' web pages through app.inject (no browser): sign-in and the session gate, CSRF on
// forms, the original email's frame headers, edit conflicts that keep the editor's text, and the
// workflow buttons. test/browser/ drives the same pages in Chromium.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processMessage } from '../src/ingest/pipeline.ts';
import { storeRawMessage } from '../src/ingest/store-raw.ts';
import { buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { testLogger } from './support/logger.ts';
import { createStatement, createTopic } from './support/statements.ts';
import { hostileEmail } from './browser/support/hostile-email.ts';
import { postSignInForm, signInWeb, type WebSession } from './browser/support/web-session.ts';
import { formValuesAtVersion, mergeAfterConflict, type StatementFormValues } from '../src/moderation/statement-form.ts';

describe('merging a stale edit (pure)', () => {
  const base: StatementFormValues = { title: 'T', organisationName: 'Org', organisationShort: '', statementDate: '2026-02-24', language: 'en', bodyText: 'Body.', signatories: '', topicId: '' };

  it('rebuilds the form of an older version by undoing later revisions', () => {
    const latest = { ...base, title: 'T2', signatories: 'Ana, chair' };
    const revisions = [{ version: 3, changes: { title: { from: 'T', to: 'T2' }, signatories: { from: [], to: [{ name: 'Ana', role: 'chair' }] } } }];
    expect(formValuesAtVersion(latest, revisions, 2)).toEqual(base);
    expect(formValuesAtVersion(latest, revisions, 3)).toEqual(latest);
  });

  it('keeps their changes and mine, and names the fields we both changed', () => {
    const latest = { ...base, title: 'Their title', language: 'fr' };
    const mine = { ...base, bodyText: 'My body.', language: 'es' };
    const merge = mergeAfterConflict(base, latest, mine);
    expect(merge.values).toEqual({ ...base, title: 'Their title', bodyText: 'My body.', language: 'es' });
    expect(merge.theirs).toEqual(['title']);
    expect(merge.mine).toEqual(['bodyText']);
    expect(merge.both).toEqual(['language']);
  });
});

describe("editors' web pages", () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;
  let web: WebSession;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    editor = await createTestEditor(t.db);
    web = await signInWeb(app, editor.email, editor.password);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('sends a browser without a session to the sign-in page, and back after signing in', async () => {
    const res = await app.inject({ method: 'GET', url: '/editor/topics' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/editor/sign-in?next=%2Feditor%2Ftopics');
    const form = await app.inject({ method: 'GET', url: res.headers.location as string });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="next" value="/editor/topics"');
    const signIn = await postSignInForm(app, { email: editor.email, password: editor.password, next: '/editor/topics' });
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe('/editor/topics');
    const cookie = signIn.cookies.find((c) => c.name === 'sd_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
  });

  it('says what is wrong on a bad password, keeps the address, and never redirects off-site', async () => {
    const res = await postSignInForm(app, { email: editor.email, password: 'wrong password', next: 'https://evil.example.net/' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('The email address or the password is wrong');
    expect(res.body).toContain(`value="${editor.email}"`);
    expect(res.body).toContain('name="next" value="/editor"');
  });

  it('refuses a sign-in form posted from another site (login CSRF): it lacks the form’s cookie', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/editor/sign-in',
      payload: new URLSearchParams({ email: editor.email, password: editor.password, _signin: 'forged' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.cookies.find((c) => c.name === 'sd_session')).toBeUndefined();
    expect(res.body).toContain('came from another site');
    expect(res.cookies.find((c) => c.name === 'sd_signin')?.sameSite).toBe('Strict');
  });

  it('refuses a form sent without the CSRF token, with a page that says to reload', async () => {
    const statement = await createStatement(t.db, { status: 'draft', title: 'CSRF target' });
    const res = await web.post(`/editor/statements/${statement.id}/transition`, { action: 'approve', version: '1' }, { withCsrf: false });
    expect(res.status).toBe(403);
    expect(res.body).toContain('Reload the page');
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).status).toBe('draft');
  });

  it('lists drafts with counts and flags, and filters by search, topic and language', async () => {
    const topic = await createTopic(t.db, { title: 'Flood relief' });
    await createStatement(t.db, { status: 'draft', title: 'Dockers call for a general strike', language: 'en', topicId: topic.id, createdAt: new Date('2026-03-02T10:00:00Z') });
    await createStatement(t.db, { status: 'draft', title: 'Appel à la grève des dockers', language: 'fr', createdAt: new Date('2026-03-03T10:00:00Z') });
    const unsure = await createStatement(t.db, { status: 'draft', title: 'Unsure extraction', message: { fromAddress: 'someone@gmail.example' }, createdAt: new Date('2026-03-04T10:00:00Z') });
    await t.db.statement.update({ where: { id: unsure.id }, data: { extraction: { fields: { title: { source: 'subject', confidence: 0.4 }, date: { source: 'date-header', confidence: 0.3 } }, warnings: ['The PDF has no text layer'] } } });

    const all = await web.get('/editor?status=draft');
    expect(all.status).toBe(200);
    expect(all.body.indexOf('Unsure extraction')).toBeLessThan(all.body.indexOf('Appel à la grève'));
    expect(all.body).toContain('Check: title, date');
    expect(all.body).toContain('Sender not verified');
    expect(all.body).toContain('The PDF has no text layer');
    expect(all.body).toMatch(/Drafts <span class="count">\d+<\/span>/);

    const search = await web.get('/editor?status=draft&q=dockers');
    expect(search.body).toContain('Dockers call for a general strike');
    expect(search.body).toContain('Appel à la grève des dockers');
    expect(search.body).not.toContain('Unsure extraction');
    const french = await web.get('/editor?status=draft&q=dockers&language=fr');
    expect(french.body).not.toContain('Dockers call for a general strike');
    expect(french.body).toContain('Appel à la grève des dockers');
    const byTopic = await web.get(`/editor?status=draft&topic=${topic.id}`);
    expect(byTopic.body).toContain('Dockers call for a general strike');
    expect(byTopic.body).not.toContain('Appel à la grève des dockers');
  });

  it('serves the original email for a sandboxed frame under a CSP that lets nothing run or load', async () => {
    const { id } = await storeRawMessage(t.db, { raw: hostileEmail('<hostile-inject@example.org>'), source: 'import' });
    await processMessage({ db: t.db, logger: testLogger }, id);
    const frame = await web.get(`/editor/messages/${id}/original`);
    expect(frame.status).toBe(200);
    expect(frame.headers['content-security-policy']).toContain("default-src 'none'");
    expect(frame.headers['content-security-policy']).toContain("img-src data:");
    expect(frame.headers['content-security-policy']).not.toContain('script-src');
    expect(frame.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(frame.body).toContain('We, the undersigned, stand with the workers.');
    expect(frame.body).not.toMatch(/<script|onerror|onload|javascript:|<iframe|<svg|<object|<form/i);

    expect(frame.body).not.toContain('<img');
    const withImages = await web.get(`/editor/messages/${id}/original?images=remote`);
    expect(withImages.headers['content-security-policy']).toContain('img-src data: https: http:');
    expect(withImages.headers['content-security-policy']).toContain("default-src 'none'");
    expect(withImages.body).toContain('<img src="https://tracker.example.net/pixel.gif" alt="pixel" referrerpolicy="no-referrer"');
    expect(withImages.body).not.toMatch(/<script|onerror|onload|javascript:/i);

    const statement = await t.db.statement.findFirstOrThrow({ where: { messageId: id } });
    const page = await web.get(`/editor/statements/${statement.id}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(new RegExp(`<iframe src="/editor/messages/${id}/original" name="original-${id}" sandbox title=`));
    expect(page.body).not.toMatch(/allow-scripts|allow-same-origin/);
    // Our one script file is the only <script> on the page; nothing of the email's survives.
    expect(page.body).not.toMatch(/<script(?! src="\/editor\/assets\/editor\.js" defer><\/script>)|onerror=|javascript:/i);
    // The frame is sanitised in the editors' parser worker, which this first request starts: slow on a busy machine.
  }, 60_000);

  it('shows a stale save as a conflict that keeps the editor’s text, and saving again then works', async () => {
    const statement = await createStatement(t.db, { status: 'draft', title: 'Original title', bodyText: 'First paragraph.' });
    const form = { version: String(statement.version), title: 'Original title', organisationName: 'Workers Front', organisationShort: 'WF', statementDate: '2026-02-24', language: 'en', topicId: '', signatories: '' };
    const first = await web.post(`/editor/statements/${statement.id}`, { ...form, title: 'Title by the first editor', bodyText: 'First paragraph.' });
    expect(first.status).toBe(303);
    const second = await web.post(`/editor/statements/${statement.id}`, { ...form, bodyText: 'My careful rewrite of the text.' });
    expect(second.status).toBe(409);
    expect(second.body).toContain('Someone else saved this statement while you were editing it');
    expect(second.body).toContain('My careful rewrite of the text.');
    expect(second.body).toContain('value="Title by the first editor"');
    expect(second.body).toContain('Their changes are now in the form too: <strong>Title</strong>');
    expect(second.body).toContain(`name="version" value="${statement.version + 1}"`);
    const saved = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
    expect(saved.bodyText).toBe('First paragraph.');

    const retry = await web.post(`/editor/statements/${statement.id}`, { ...form, version: String(statement.version + 1), title: 'Title by the first editor', bodyText: 'My careful rewrite of the text.' });
    expect(retry.status).toBe(303);
    const after = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
    expect(after.bodyText).toBe('My careful rewrite of the text.');
    expect(after.title).toBe('Title by the first editor');
    const page = await web.get(`/editor/statements/${statement.id}`);
    expect(page.body).toContain('Edited (version 3)');
    expect(page.body).toMatch(/<del><span class="label">was<\/span> First paragraph.<\/del><ins><span class="label">now<\/span> My careful rewrite of the text.<\/ins>/);
  });

  it('links a statement to the registry when a known organisation is picked, and unlinks it for another name', async () => {
    const org = await t.db.organisation.create({ data: { name: 'Korean Confederation of Trade Unions', shortName: 'KCTU', country: 'Korea' } });
    const statement = await createStatement(t.db, { status: 'draft', title: 'Registry pick', organisationName: 'kctu press', organisationShort: null });
    const form = { version: '1', title: 'Registry pick', organisationShort: '', statementDate: '2026-02-24', language: 'en', topicId: '', signatories: '', bodyText: statement.bodyText };
    expect((await web.post(`/editor/statements/${statement.id}`, { ...form, organisationName: 'korean confederation of trade unions' })).status).toBe(303);
    let row = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
    expect([row.organisationId, row.organisationName, row.organisationShort]).toEqual([org.id, 'Korean Confederation of Trade Unions', 'KCTU']);
    expect((await web.post(`/editor/statements/${statement.id}`, { ...form, version: String(row.version), organisationShort: 'KCTU', organisationName: 'Some other union' })).status).toBe(303);
    row = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
    expect([row.organisationId, row.organisationName]).toEqual([null, 'Some other union']);
  });

  it('asks for a reason before rejecting, then rejects, and a rejected statement can be reopened', async () => {
    const statement = await createStatement(t.db, { status: 'draft', title: 'To reject' });
    const noReason = await web.post(`/editor/statements/${statement.id}/transition`, { action: 'reject', version: '1', reasonText: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('needs a reason');
    const rejected = await web.post(`/editor/statements/${statement.id}/transition`, { action: 'reject', version: '1', reasonText: 'Not from the organisation' });
    expect(rejected.status).toBe(303);
    expect(rejected.location).toBe(`/editor/statements/${statement.id}?done=rejected`);
    const page = await web.get(rejected.location!);
    expect(page.body).toContain('The statement is rejected.');
    expect(page.body).toContain('Reason: Not from the organisation');
    const reopened = await web.post(`/editor/statements/${statement.id}/transition`, { action: 'reopen', version: '2' });
    expect(reopened.status).toBe(303);
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).status).toBe('draft');
  });

  it('regression: the "To check before approving" box stayed on approved and published statements', async () => {
    const extraction = { fields: { title: { source: 'subject', confidence: 0.4 } }, warnings: ['no text layer (scanned?)'] };
    const shown: Record<string, boolean> = {};
    for (const status of ['draft', 'approved', 'published'] as const) {
      const statement = await createStatement(t.db, { status, title: `Checks ${status}` });
      await t.db.statement.update({ where: { id: statement.id }, data: { extraction } });
      const page = await web.get(`/editor/statements/${statement.id}`);
      shown[status] = page.body.includes('To check before approving');
      if (status === 'draft') expect(page.body).toContain('<li>No text layer (scanned?)</li>');
    }
    expect(shown).toEqual({ draft: true, approved: false, published: false });
  });

  it('says clearly when a button was pressed on an out-of-date page', async () => {
    const statement = await createStatement(t.db, { status: 'draft', title: 'Approved twice' });
    expect((await web.post(`/editor/statements/${statement.id}/transition`, { action: 'approve', version: '1' })).status).toBe(303);
    const again = await web.post(`/editor/statements/${statement.id}/transition`, { action: 'approve', version: '1' });
    expect(again.status).toBe(409);
    expect(again.body).toContain('This statement is approved, so it cannot be approved now');
  });

  it('lists attachments with their extracted text, and downloads them as files, never as pages', async () => {
    const pdf = Buffer.from('%PDF-1.4 fake statement');
    const statement = await createStatement(t.db, {
      status: 'draft',
      title: 'With a PDF',
      message: { attachments: [{ filename: 'statement "final".pdf', contentType: 'application/pdf', content: pdf }, { filename: 'evil.html', contentType: 'text/html', content: Buffer.from('<script>alert(1)</script>') }] },
    });
    const [pdfAttachment, htmlAttachment] = statement.message!.attachments.sort((a, b) => a.filename!.localeCompare(b.filename!)).reverse();
    await t.db.attachment.update({ where: { id: pdfAttachment!.id }, data: { extractedText: 'Text of the PDF statement.' } });
    const page = await web.get(`/editor/statements/${statement.id}`);
    expect(page.body).toContain('Text extracted from statement &quot;final&quot;.pdf');
    expect(page.body).toContain('Text of the PDF statement.');
    expect(page.body).toContain(`href="/api/messages/${statement.messageId}/raw"`);
    const download = await app.inject({ method: 'GET', url: `/editor/attachments/${pdfAttachment!.id}`, headers: { cookie: web.cookie } });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="statement _final_.pdf"/);
    // Typed as what its bytes are, never as the sender declared.
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    const html = await app.inject({ method: 'GET', url: `/editor/attachments/${htmlAttachment!.id}`, headers: { cookie: web.cookie } });
    expect(html.headers['content-type']).toBe('application/octet-stream');
    expect(html.headers['content-disposition']).toMatch(/^attachment;/);
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.headers['x-content-type-options']).toBe('nosniff');
  });

  it('names statuses in words on every page, never by the database’s state names', async () => {
    const topic = await createTopic(t.db, { title: 'Harbour strike' });
    const published = await createStatement(t.db, { status: 'published', title: 'The union’s first word', topicId: topic.id, organisationName: null });
    const draft = await createStatement(t.db, { status: 'draft', title: 'The union’s second word', topicId: topic.id, message: {} });
    await t.db.statement.update({ where: { id: draft.id }, data: { likelyDuplicateOfId: published.id } });

    const page = await web.get(`/editor/statements/${draft.id}`);
    expect(page.body).toContain('<span class="status status-draft">Draft</span>');
    expect(page.body).toMatch(/looks like a duplicate of <a [^>]+>The union’s first word<\/a> \(published\)/);
    expect(page.body).toContain('(organisation unknown, published)');

    const topicPage = await web.get(`/editor/topics/${topic.id}`);
    expect(topicPage.body).toContain('<span class="status status-published">Published</span>');
    expect(topicPage.body).toContain('<span class="status status-draft">Draft</span>');

    const email = await web.get(`/editor/messages/${draft.messageId}`);
    expect(email.body).toContain('<span>Email: Made into a draft</span>');
    expect(email.body).toMatch(/The union’s second word<\/a> \(draft\)/);

    const queue = await web.get('/editor?status=draft');
    expect(queue.body).not.toContain('language unknown');
  });

  it('marks a statement as a duplicate of another, and unpublishes a published one with a reason', async () => {
    const original = await createStatement(t.db, { status: 'published', title: 'The first copy' });
    const copy = await createStatement(t.db, { status: 'draft', title: 'The second copy' });
    await t.db.statement.update({ where: { id: copy.id }, data: { likelyDuplicateOfId: original.id } });
    const page = await web.get(`/editor/statements/${copy.id}`);
    expect(page.body).toContain('This looks like a duplicate of');
    expect(page.body).toContain(`<option value="${original.id}" selected>`);
    const marked = await web.post(`/editor/statements/${copy.id}/transition`, { action: 'mark_duplicate', version: '1', duplicateOfId: original.id });
    expect(marked.status).toBe(303);
    const after = await web.get(`/editor/statements/${copy.id}`);
    expect(after.body).toContain('Marked as duplicate');
    expect(after.body).toContain(`href="/editor/statements/${original.id}">the other statement</a>`);

    const noReason = await web.post(`/editor/statements/${original.id}/transition`, { action: 'unpublish', version: '1', reasonText: ' ' });
    expect(noReason.status).toBe(400);
    const unpublished = await web.post(`/editor/statements/${original.id}/transition`, { action: 'unpublish', version: '1', reasonText: 'The organisation asked us to' });
    expect(unpublished.status).toBe(303);
    const row = await t.db.statement.findUniqueOrThrow({ where: { id: original.id } });
    expect(row.status).toBe('unpublished');
    expect(row.unpublishReason).toBe('The organisation asked us to');
  });

  it('keeps the text of a form sent after the session ended, instead of losing it', async () => {
    const statement = await createStatement(t.db, { status: 'draft', title: 'Long edit' });
    const res = await app.inject({
      method: 'POST',
      url: `/editor/statements/${statement.id}`,
      payload: new URLSearchParams({ _csrf: 'stale', version: '1', title: 'Long edit', bodyText: 'Twenty minutes of careful work.' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'sd_session=expired-or-revoked' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Your session has ended, so nothing was saved');
    expect(res.body).toContain('Twenty minutes of careful work.');
    expect(res.body).not.toContain('stale');
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).version).toBe(1);
  });

  it('signs out: the session stops working server-side', async () => {
    const other = await signInWeb(app, editor.email, editor.password);
    const out = await other.post('/editor/sign-out', {});
    expect(out.status).toBe(303);
    expect(out.location).toBe('/editor/sign-in?done=signed_out');
    const after = await other.get('/editor');
    expect(after.status).toBe(303);
  });
});
