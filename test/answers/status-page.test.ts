// The sender's status page and what editors see of the sender's side: the page says where the
// submission stands and nothing else of the statement or the editors; unknown or malformed tokens
// get the same 404; tokens are 256-bit random and stored only hashed. Editors see "acknowledged
// at", leave a note for the sender, and admins reword the mail.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashStatusToken, newStatusToken } from '../../src/answers/submissions.ts';
import { editStatement } from '../../src/moderation/edit-statement.ts';
import { transitionStatement } from '../../src/moderation/transitions.ts';
import { signInWeb } from '../browser/support/web-session.ts';
import { buildTestApp, createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestSmtpServer } from '../support/smtp.ts';
import { ingest, sender, startAnsweringLongAgo, statementMail } from './support.ts';

describe('the sender’s status page', () => {
  let t: TestDatabase;
  let smtp: TestSmtpServer;
  let app: FastifyInstance;
  let admin: TestEditor;
  beforeAll(async () => {
    t = await createTestDatabase();
    smtp = await TestSmtpServer.start();
    app = await buildTestApp(t.db);
    admin = await createTestEditor(t.db, 'admin');
    await startAnsweringLongAgo(t.db);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
    await t?.drop();
  });
  beforeEach(() => void (smtp.received.length = 0));

  /** Ingests a statement, delivers its acknowledgement, and returns the token from the mail. */
  async function submitted(from: string, body?: string) {
    const statementId = (await ingest(t.db, statementMail({ from, ...(body ? { body } : {}) })))!;
    await sender(t.db, smtp).sendDue();
    const token = /\/submissions\/([A-Za-z0-9_-]{43})/.exec(smtp.received.at(-1)!.parsed.text!)![1]!;
    return { statementId, token };
  }

  it('walks through received, being reviewed, published (with the link), and not published (with the editors’ note)', async () => {
    const { statementId, token } = await submitted('walk@unions.example.org');
    const page = () => app.inject(`/submissions/${token}`);
    expect((await page()).body).toContain('Your statement: Received');
    const res = await page();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(res.headers['referrer-policy']).toBe('no-referrer');

    await editStatement(t.db, { id: statementId, expectedVersion: 1, changes: { title: 'A title only editors know yet' }, actor: 'cli', now: new Date() });
    expect((await page()).body).toContain('Your statement: Being reviewed');
    const published = await transitionStatement(t.db, { id: statementId, action: 'publish', actor: 'cli', now: new Date() });
    const slug = (await t.db.statement.findUniqueOrThrow({ where: { id: statementId } })).slug;
    expect((await page()).body).toContain(`href="https://statements.example.org/statements/${slug}"`);

    const web = await signInWeb(app, admin.email, admin.password);
    const note = await web.post(`/editor/statements/${statementId}/sender-note`, { note: 'We published a shorter version; thank you.' });
    expect(note.status).toBe(303);
    await transitionStatement(t.db, { id: statementId, action: 'unpublish', expectedVersion: published.version, reason: 'internal: legal review pending', actor: 'cli', now: new Date() });
    const declined = (await page()).body;
    expect(declined).toContain('Your statement: Not published');
    expect(declined).toContain('We published a shorter version; thank you.');
    // Nothing else of the statement or the editors: not the title, the reason, the text, an address.
    for (const secret of ['A title only editors know yet', 'legal review', 'dock workers', 'walk@unions', admin.email, 'cli']) expect(declined).not.toContain(secret);
    expect(await t.db.auditEntry.count({ where: { action: 'statement.sender_note', targetId: statementId } })).toBe(1);
  });

  it('answers 404 alike for unknown, malformed and another statement’s hash', async () => {
    const { statementId } = await submitted('other@unions.example.org');
    const stored = await t.db.submission.findUniqueOrThrow({ where: { statementId } });
    for (const token of [newStatusToken(), 'short', stored.tokenHash, `${newStatusToken()}x`]) {
      const res = await app.inject(`/submissions/${encodeURIComponent(token)}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('There is no submission at this address');
    }
  });

  it('makes 256-bit tokens and keeps only their sha256', async () => {
    const tokens = new Set(Array.from({ length: 1000 }, newStatusToken));
    expect(tokens.size).toBe(1000);
    const { statementId, token } = await submitted('hashed@unions.example.org');
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const row = await t.db.submission.findUniqueOrThrow({ where: { statementId } });
    expect(row.tokenHash).toBe(hashStatusToken(token));
    const everything = JSON.stringify(await t.db.$queryRawUnsafe(`SELECT (SELECT json_agg(o) FROM outbox o)::text AS o, (SELECT json_agg(s) FROM submissions s)::text AS s`));
    expect(everything).not.toContain(token);
  });

  it('shows editors when the sender was acknowledged, or why not', async () => {
    const { statementId } = await submitted('shown@unions.example.org');
    const web = await signInWeb(app, admin.email, admin.password);
    expect((await web.get(`/editor/statements/${statementId}`)).body).toMatch(/Acknowledged at <strong>[^<]+<\/strong> to shown@unions\.example\.org/);
    const quiet = (await ingest(t.db, statementMail({ from: 'noreply@unions.example.org' })))!;
    expect((await web.get(`/editor/statements/${quiet}`)).body).toContain('Not acknowledged: sent from an address no person reads (noreply@…).');
  });

  it('lets admins reword the acknowledgement, keeping the status link', async () => {
    const editor = await createTestEditor(t.db, 'editor');
    const put = (headers: Record<string, string>, bodyText: string) =>
      app.inject({ method: 'PUT', url: '/api/mail-templates/acknowledgement/en', headers, payload: { bodyText } });
    expect((await put(editor.headers, 'Thanks! {statusUrl}')).statusCode).toBe(403);
    const missing = await put(admin.headers, 'Thanks for {title}.');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toMatch(/must keep \{statusUrl\}/);
    const ok = await put(admin.headers, 'Dear comrades,\n\nwe have “{title}”. Follow it: {statusUrl}');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ overridden: true, updatedBy: admin.email });

    await submitted('reworded@unions.example.org');
    expect(smtp.received.at(-1)!.parsed.text).toMatch(/^Dear comrades,\n\nwe have “.+”\. Follow it: https:\/\/statements\.example\.org\/submissions\//);
    expect((await app.inject({ method: 'DELETE', url: '/api/mail-templates/acknowledgement/en', headers: admin.headers })).statusCode).toBe(204);
    await submitted('default@unions.example.org');
    expect(smtp.received.at(-1)!.parsed.text).toContain('Thank you: your statement has arrived');
  });
});
