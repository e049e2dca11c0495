// Teaching the organisation registry over HTTP: GET/POST /api/statements/:id/sender-organisation
// for scripts, and the statement page's one-click form (no JavaScript, CSRF-protected).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { signInWeb, type WebSession } from './browser/support/web-session.ts';
import { ingestDraft, registryMail } from './fixtures/registry-emails.ts';

describe('teaching the registry over HTTP', { timeout: 60_000 }, () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    editor = await createTestEditor(t.db);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const ingest = (raw: Buffer) => ingestDraft(t.db, raw);
  const patch = (id: string, payload: object) => app.inject({ method: 'PATCH', url: `/api/statements/${id}`, headers: { ...editor.headers, 'if-match': '*' }, payload });
  const teach = (id: string, payload: object | undefined, ifMatch: string | null = '*') =>
    app.inject({ method: 'POST', url: `/api/statements/${id}/sender-organisation`, headers: { ...editor.headers, ...(ifMatch ? { 'if-match': ifMatch } : {}) }, ...(payload ? { payload } : {}) });

  it('says what the registry knows and would learn, and teaches it with If-Match', async () => {
    const id = await ingest(registryMail({ from: 'press@quayside-union.example', topic: 0 }));
    const next = await ingest(registryMail({ from: 'press@quayside-union.example', topic: 1 }));
    expect((await patch(id, { organisationName: 'Quayside Union', organisationShort: 'QU' })).statusCode).toBe(200);

    const view = await app.inject({ method: 'GET', url: `/api/statements/${id}/sender-organisation`, headers: editor.headers });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      sender: 'press@quayside-union.example',
      known: null,
      organisationSetByEditor: true,
      offer: { organisationId: null, organisationName: 'Quayside Union', organisationShort: 'QU', remember: 'domain', address: 'press@quayside-union.example', domain: 'quayside-union.example' },
    });
    const version = view.json().statementVersion as number;
    expect(view.headers.etag).toBe(`"${version}"`);

    expect((await teach(id, { remember: 'address' }, null)).statusCode).toBe(428);
    const stale = await teach(id, { remember: 'address' }, `"${version - 1}"`);
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);

    const taught = await teach(id, undefined, `"${version}"`);
    expect(taught.statusCode).toBe(200);
    expect(taught.json()).toMatchObject({
      created: true,
      remembered: { kind: 'domain', value: 'quayside-union.example' },
      organisation: { name: 'Quayside Union', shortName: 'QU', senderDomains: ['quayside-union.example'] },
      draftsUpdated: [next],
    });
    expect(taught.headers.etag).toBe(`"${taught.json().statementVersion}"`);
    const audit = await app.inject({ method: 'GET', url: `/api/statements/${next}/audit`, headers: editor.headers });
    expect(audit.json().items[0]).toMatchObject({ action: 'statement.edit' });

    // Nothing left to teach: 409 with the reason.
    const again = await teach(id, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/already gives press@quayside-union\.example the organisation Quayside Union/);
  });

  it('answers bad input with a problem that says what to do', async () => {
    const id = await ingest(registryMail({ from: 'quay.pickets@outlook.com', topic: 2 }));
    const bad = await teach(id, { remember: 'everything' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await teach(id, { remember: 'address', extra: 1 })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/statements/not-a-uuid/sender-organisation', headers: editor.headers })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/statements/00000000-0000-4000-8000-000000000000/sender-organisation', headers: editor.headers })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/api/statements/${id}/sender-organisation`, headers: { 'if-match': '*' }, payload: {} })).statusCode).toBe(401);

    // No organisation yet: nothing to teach.
    await patch(id, { organisationName: null });
    const none = await teach(id, {});
    expect(none.statusCode).toBe(409);
    expect(none.json().detail).toMatch(/set it first/);

    await patch(id, { organisationName: 'Quay Pickets' });
    const domain = await teach(id, { remember: 'domain' });
    expect(domain.statusCode).toBe(400);
    expect(domain.json().detail).toMatch(/outlook\.com is a mail service that many people share.*Remember the address instead/);
    expect(await t.db.organisation.count({ where: { name: 'Quay Pickets' } })).toBe(0);
    const address = await teach(id, {});
    expect(address.json()).toMatchObject({ remembered: { kind: 'address', value: 'quay.pickets@outlook.com' }, organisation: { senderDomains: [] } });
  });

  describe('the statement page', () => {
    let web: WebSession;
    beforeAll(async () => {
      web = await signInWeb(app, editor.email, editor.password);
    });

    it('offers the action only once an editor set the organisation, and takes it in one form post', async () => {
      const id = await ingest(registryMail({ from: 'office@ferry-crews.example', topic: 3 }));
      const before = await web.get(`/editor/statements/${id}`);
      expect(before.body).not.toContain('Remember this sender');
      expect(before.body).toContain('The organisation registry does not know office@ferry-crews.example');

      const statement = await t.db.statement.findUniqueOrThrow({ where: { id } });
      const saved = await web.post(`/editor/statements/${id}`, { version: String(statement.version), title: statement.title, organisationName: 'Ferry Crews Collective', organisationShort: 'FCC', statementDate: '', language: statement.language ?? '', bodyText: statement.bodyText, signatories: '', topicId: '' });
      expect(saved.status).toBe(303);
      const page = await web.get(`/editor/statements/${id}`);
      expect(page.body).toContain('Remember this sender for Ferry Crews Collective?');
      expect(page.body).toContain('Remember all mail from @ferry-crews.example as Ferry Crews Collective (FCC)');
      const formVersion = /action="[^"]*\/sender-organisation">[^]*?name="version" value="(\d+)"/.exec(page.body)?.[1];
      expect(formVersion).toBe(String((await t.db.statement.findUniqueOrThrow({ where: { id } })).version));

      // Without the CSRF token nothing happens.
      const forged = await web.post(`/editor/statements/${id}/sender-organisation`, { version: formVersion!, remember: 'domain' }, { withCsrf: false });
      expect(forged.status).toBe(403);
      expect(await t.db.organisation.count({ where: { name: 'Ferry Crews Collective' } })).toBe(0);

      const done = await web.post(`/editor/statements/${id}/sender-organisation`, { version: formVersion!, remember: 'domain' });
      expect(done.status).toBe(303);
      expect(done.location).toBe(`/editor/statements/${id}?done=sender_remembered`);
      const after = await web.get(done.location!);
      expect(after.body).toContain('The registry now knows this sender');
      expect(after.body).not.toContain('Remember this sender');
      expect(after.body).toMatch(/The organisation registry gives mail from <strong>ferry-crews\.example<\/strong> the organisation <a href="\/editor\/organisations\/[0-9a-f-]+">Ferry Crews Collective<\/a> \(FCC\)/);
    });

    it('shows what went wrong on the page when the action cannot be done', async () => {
      const id = await ingest(registryMail({ from: 'ferry.pickets@yahoo.com', topic: 4 }));
      await patch(id, { organisationName: 'Ferry Pickets' });
      const { version } = await t.db.statement.findUniqueOrThrow({ where: { id } });
      const refused = await web.post(`/editor/statements/${id}/sender-organisation`, { version: String(version), remember: 'domain' });
      expect(refused.status).toBe(400);
      expect(refused.body).toContain('The registry was not changed: yahoo.com is a mail service that many people share');
      const stale = await web.post(`/editor/statements/${id}/sender-organisation`, { version: String(version - 1), remember: 'address' });
      expect(stale.status).toBe(409);
      expect(stale.body).toContain('Someone changed this statement');
      const broken = await web.post(`/editor/statements/${id}/sender-organisation`, { version: 'x' });
      expect(broken.status).toBe(400);
    });
  });
});
