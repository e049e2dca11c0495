// An email the pipeline set aside (a statement the receiving server marked as spam, a short text
// judged a follow-up) made into a draft by an editor: through the API and through the editors' pages.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRawMessages } from '../src/ingest/ingest-raw.ts';
import { buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { testLogger } from './support/logger.ts';
import { signInWeb, type WebSession } from './browser/support/web-session.ts';

/**
 * A party's statement from its press list that the receiving server marked as spam: the spam
 * verdict sets it aside (list mail alone no longer does, issue 11).
 */
function listStatement(id: string): Buffer {
  return Buffer.from(
    `Message-ID: <${id}@lists.example.org>\r\nFrom: Workers Party <press@workers-party.example.org>\r\nTo: press-list@lists.example.org\r\n` +
      `List-Id: Workers Party press releases <press.lists.example.org>\r\nList-Unsubscribe: <mailto:leave@lists.example.org>\r\nX-Spam-Flag: YES\r\n` +
      `Date: Wed, 02 Mar 2022 08:00:00 +0000\r\nSubject: Statement: No to the war, yes to peace talks\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
      `No to the war, yes to peace talks\r\n\r\nThe Workers Party condemns the invasion and calls for an immediate ceasefire, the withdrawal\r\n` +
      `of all troops and negotiations under the United Nations. We stand with the workers on both sides of the front.\r\n\r\n` +
      `Released by the Central Committee of the Workers Party\r\n`,
  );
}

function followUp(id: string): Buffer {
  return Buffer.from(
    `Message-ID: <${id}@example.org>\r\nFrom: Teachers Union <office@teachers.example.org>\r\nTo: submissions@example.com\r\n` +
      `Date: Wed, 02 Mar 2022 09:00:00 +0000\r\nSubject: Did you receive our statement?\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
      `Dear editors, did you receive our statement? Kind regards, the Teachers Union\r\n`,
  );
}

describe('making a draft of an email the pipeline set aside', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;
  let web: WebSession;
  const ingest = async (raw: Buffer) => {
    const [result] = await ingestRawMessages({ db: t.db, logger: testLogger }, [{ raw, source: 'import' }]);
    return result!;
  };

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

  it('makes a draft through the API, marks the email drafted and records who did it', async () => {
    const { stored, outcome } = await ingest(listStatement('api'));
    expect(outcome).toEqual({ status: 'ignored', reason: 'spam (X-Spam-Flag: YES)' });

    const res = await app.inject({ method: 'POST', url: `/api/messages/${stored.id}/draft`, headers: editor.headers });
    expect(res.statusCode).toBe(201);
    const statement = res.json();
    expect(res.headers.location).toBe(`/api/statements/${statement.id}`);
    expect(res.headers.etag).toBeDefined();
    expect(statement).toMatchObject({ status: 'draft', title: 'No to the war, yes to peace talks' });
    expect(statement.bodyText).toMatch(/^The Workers Party condemns the invasion/);
    expect(statement.extraction.warnings).toContain(`made a draft by ${editor.email} from an email the pipeline had set aside (spam (X-Spam-Flag: YES))`);

    const message = await t.db.message.findUniqueOrThrow({ where: { id: stored.id } });
    expect(message).toMatchObject({ status: 'drafted', statusReason: null, notStatement: false });
    const audit = await app.inject({ method: 'GET', url: `/api/statements/${statement.id}/audit`, headers: editor.headers });
    expect(audit.json().items).toEqual([
      expect.objectContaining({ action: 'statement.draft_from_email', actor: expect.objectContaining({ label: editor.email }) }),
    ]);

    // Once is enough: the email is drafted now.
    const again = await app.inject({ method: 'POST', url: `/api/messages/${stored.id}/draft`, headers: editor.headers });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().detail).toBe('Only an email the pipeline set aside (ignored) can be made a draft; this one is drafted. Open the statement made from it instead.');
    // The first draft starts the editors' parser worker (and ingest starts its own): slow on a busy machine.
  }, 60_000);

  it('answers 401 without credentials and 404 for an unknown email, and changes nothing', async () => {
    const { stored } = await ingest(listStatement('refused'));
    expect((await app.inject({ method: 'POST', url: `/api/messages/${stored.id}/draft` })).statusCode).toBe(401);
    const missing = await app.inject({ method: 'POST', url: '/api/messages/00000000-0000-4000-8000-000000000000/draft', headers: editor.headers });
    expect(missing.statusCode).toBe(404);
    expect((await t.db.message.findUniqueOrThrow({ where: { id: stored.id } })).status).toBe('ignored');
  });

  it('offers the button on the email page, lists list mail on request, and lands on the new draft', async () => {
    const { stored, outcome } = await ingest(followUp('web'));
    expect(outcome.status).toBe('ignored');
    const { stored: list } = await ingest(listStatement('web'));

    const tab = await web.get('/editor?status=not-statement');
    expect(tab.body).toContain(`/editor/messages/${stored.id}`);
    expect(tab.body).not.toContain(`/editor/messages/${list.id}`);
    const all = await web.get('/editor?status=not-statement&setAside=all');
    expect(all.body).toContain(`/editor/messages/${list.id}`);
    expect(all.body).toContain('Why: spam (X-Spam-Flag: YES)');

    const page = await web.get(`/editor/messages/${stored.id}`);
    expect(page.body).toContain(`action="/editor/messages/${stored.id}/draft"`);
    expect(page.body).toContain('Make a draft of it');

    // Without the CSRF token nothing happens.
    expect((await web.post(`/editor/messages/${stored.id}/draft`, {}, { withCsrf: false })).status).toBe(403);
    expect((await t.db.message.findUniqueOrThrow({ where: { id: stored.id } })).status).toBe('ignored');

    const res = await web.post(`/editor/messages/${stored.id}/draft`, {});
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/editor\/statements\/[0-9a-f-]{36}\?done=drafted_from_email$/);
    const draftPage = await web.get(res.location!);
    expect(draftPage.body).toContain('A draft is made from the email.');
    expect(draftPage.body).toContain('Made a draft from an email the pipeline had set aside');

    // The email page no longer offers it, and a second form sent says why.
    expect((await web.get(`/editor/messages/${stored.id}`)).body).not.toContain('Make a draft of it');
    const twice = await web.post(`/editor/messages/${stored.id}/draft`, {});
    expect(twice.status).toBe(409);
    expect(twice.body).toContain('this one is drafted');
  });
});
