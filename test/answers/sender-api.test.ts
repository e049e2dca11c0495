// The sender's side of a statement over the API, as the statement page offers it: corrections with
// their word-level diff (applied under If-Match: 428 without, 412 stale, 409 when already decided),
// dismissed, audited; the queue API marks statements with a pending correction; the
// acknowledgement state (sent, held back and why, none); the note on the status page.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStatement } from '../moderation/fixtures.ts';
import { buildTestApp, createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestSmtpServer } from '../support/smtp.ts';
import { ingest, sender, startAnsweringLongAgo, statementMail } from './support.ts';

const BODY = (extra: string) =>
  `Statement of the Harbour Pilots Association\n\nThe Harbour Pilots Association supports the port strike for safe working conditions and a living wage. We call on the port authority to negotiate in good faith${extra}.\n\nSolidarity with the strikers.\n\nJo Lee, Secretary\n`;

describe('the sender’s side over the API', () => {
  let t: TestDatabase;
  let smtp: TestSmtpServer;
  let app: FastifyInstance;
  let editor: TestEditor;
  beforeAll(async () => {
    t = await createTestDatabase();
    smtp = await TestSmtpServer.start();
    app = await buildTestApp(t.db);
    editor = await createTestEditor(t.db, 'editor');
    await startAnsweringLongAgo(t.db);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
    await t?.drop();
  });

  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, options: { payload?: object; headers?: Record<string, string> } = {}) =>
    app.inject({ method, url, headers: { ...editor.headers, ...options.headers }, ...(options.payload ? { payload: options.payload } : {}) });

  /** A statement from `from` and a "corrected version" of it (same sender, same title): the correction's id. */
  async function withCorrection(from: string, subject: string) {
    const statementId = (await ingest(t.db, statementMail({ from, subject, body: BODY('') })))!;
    expect(await ingest(t.db, statementMail({ from, subject: `Corrected version: ${subject}`, body: BODY(' and to reinstate the dismissed pilots') }))).toBeNull();
    const correction = await t.db.statementCorrection.findFirstOrThrow({ where: { statementId } });
    return { statementId, correctionId: correction.id };
  }

  const queueItem = async (id: string) => {
    const res = await api('GET', '/api/statements?status=draft&limit=100');
    expect(res.statusCode).toBe(200);
    return (res.json().items as { id: string; pendingCorrection: boolean }[]).find((s) => s.id === id)!;
  };

  it('lists a pending correction with its word-level diff, marks it in the queue, and applies it under If-Match (428, 412, then 200; 409 the second time)', async () => {
    const { statementId, correctionId } = await withCorrection('press@pilots.example.org', 'Statement on the pilots’ strike');
    const other = (await ingest(t.db, statementMail({ from: 'press@pilots-two.example.org' })))!;
    expect((await queueItem(statementId)).pendingCorrection).toBe(true);
    expect((await queueItem(other)).pendingCorrection).toBe(false);

    const list = await api('GET', `/api/statements/${statementId}/corrections`);
    expect(list.statusCode).toBe(200);
    expect(list.headers.etag).toBe('"1"');
    const [item] = list.json().items;
    expect(item).toMatchObject({ id: correctionId, status: 'pending', matchedBy: 'same_sender', decidedAt: null, message: { from: 'press@pilots.example.org' } });
    expect(item.diff.filter((p: { change: string }) => p.change === 'added').map((p: { text: string }) => p.text).join('')).toContain('reinstate the dismissed pilots');
    expect(list.json().statementVersion).toBe(1);

    const url = `/api/statements/${statementId}/corrections/${correctionId}/apply`;
    expect((await api('POST', url)).statusCode).toBe(428);
    // Someone edits the statement meanwhile: the version the editor looked at is stale.
    const edit = await api('PATCH', `/api/statements/${statementId}`, { headers: { 'if-match': '"1"' }, payload: { title: 'Statement on the pilots’ strike (edited)' } });
    expect(edit.statusCode).toBe(200);
    const stale = await api('POST', url, { headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/problem\+json/);
    expect((await t.db.statementCorrection.findUniqueOrThrow({ where: { id: correctionId } })).status).toBe('pending');
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statementId } })).bodyText).not.toContain('reinstate');

    const applied = await api('POST', url, { headers: { 'if-match': '"2"' } });
    expect(applied.statusCode).toBe(200);
    expect(applied.headers.etag).toBe('"3"');
    expect(applied.json()).toMatchObject({ id: statementId, version: 3 });
    expect(applied.json().bodyText).toContain('reinstate the dismissed pilots');
    const audit = await t.db.auditEntry.findMany({ where: { action: 'statement.correction_apply', targetId: statementId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: editor.id, details: expect.objectContaining({ correctionId, version: 3 }) });

    const again = await api('POST', url, { headers: { 'if-match': '"3"' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/already applied/);
    expect((await queueItem(statementId)).pendingCorrection).toBe(false);
    const decided = (await api('GET', `/api/statements/${statementId}/corrections?status=applied`)).json().items;
    expect(decided).toEqual([expect.objectContaining({ id: correctionId, status: 'applied', decidedBy: editor.email })]);
    expect((await api('GET', `/api/statements/${statementId}/corrections?status=pending`)).json().items).toEqual([]);
  });

  it('applies with If-Match: * whatever the current version is', async () => {
    const { statementId, correctionId } = await withCorrection('press@star.example.org', 'Statement on the ferry crews');
    const applied = await api('POST', `/api/statements/${statementId}/corrections/${correctionId}/apply`, { headers: { 'if-match': '*' } });
    expect(applied.statusCode).toBe(200);
    expect(applied.json().version).toBe(2);
  });

  it('dismisses a correction (audited, the statement unchanged; 409 the second time) and answers 404 for a correction of another statement or an unknown one', async () => {
    const { statementId, correctionId } = await withCorrection('press@tugs.example.org', 'Statement on the tug crews’ strike');
    const elsewhere = await createTestStatement(t.db);
    const base = `/api/statements/${statementId}/corrections`;
    const unknownId = '00000000-0000-4000-8000-000000000001';
    for (const url of [`/api/statements/${elsewhere.id}/corrections/${correctionId}/dismiss`, `${base}/${unknownId}/dismiss`, `/api/statements/${unknownId}/corrections/${correctionId}/apply`]) {
      const res = await api('POST', url, { headers: { 'if-match': '*' } });
      expect(res.statusCode, url).toBe(404);
    }
    for (const url of [`/api/statements/${unknownId}/corrections`, `/api/statements/${unknownId}/acknowledgement`]) expect((await api('GET', url)).statusCode, url).toBe(404);
    expect((await api('POST', `${base}/not-a-uuid/dismiss`)).statusCode).toBe(400);

    const dismissed = await api('POST', `${base}/${correctionId}/dismiss`);
    expect(dismissed.statusCode).toBe(200);
    expect(dismissed.json()).toMatchObject({ id: correctionId, status: 'dismissed', decidedBy: editor.email });
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statementId } })).version).toBe(1);
    expect(await t.db.auditEntry.count({ where: { action: 'statement.correction_dismiss', targetId: statementId, actorId: editor.id } })).toBe(1);
    expect((await api('POST', `${base}/${correctionId}/dismiss`)).statusCode).toBe(409);
    expect((await api('POST', `${base}/${correctionId}/apply`, { headers: { 'if-match': '*' } })).statusCode).toBe(409);
  });

  it('says when the sender was acknowledged, or why not', async () => {
    const acked = (await ingest(t.db, statementMail({ from: 'press@acked.example.org' })))!;
    const before = (await api('GET', `/api/statements/${acked}/acknowledgement`)).json();
    expect(before).toMatchObject({ state: 'pending', acknowledgedAt: null, to: 'press@acked.example.org', statusPage: { exists: true, note: null } });
    expect(before.queuedAt).toEqual(expect.any(String));
    await sender(t.db, smtp).sendDue();
    const sent = await api('GET', `/api/statements/${acked}/acknowledgement`);
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ state: 'sent', to: 'press@acked.example.org', reason: null });
    expect(Date.parse(sent.json().acknowledgedAt)).toBeGreaterThan(0);
    // The status-page token never leaves the server, not even to editors.
    const token = /\/submissions\/([A-Za-z0-9_-]{43})/.exec(smtp.received.at(-1)!.parsed.text!)![1]!;
    expect(sent.body).not.toContain(token);

    const quiet = (await ingest(t.db, statementMail({ from: 'noreply@acked.example.org' })))!;
    expect((await api('GET', `/api/statements/${quiet}/acknowledgement`)).json()).toMatchObject({
      state: 'suppressed',
      acknowledgedAt: null,
      reason: 'sent from an address no person reads (noreply@…)',
      statusPage: { exists: false },
    });
    const byHand = await createTestStatement(t.db);
    expect((await api('GET', `/api/statements/${byHand.id}/acknowledgement`)).json()).toMatchObject({ state: 'none', reason: expect.stringMatching(/not configured/), statusPage: { exists: false } });
  });

  it('sets and clears the note for the sender (audited); 409 without a status page, 404 for an unknown statement, 400 when too long', async () => {
    const statementId = (await ingest(t.db, statementMail({ from: 'press@noted.example.org' })))!;
    await sender(t.db, smtp).sendDue();
    const token = /\/submissions\/([A-Za-z0-9_-]{43})/.exec(smtp.received.at(-1)!.parsed.text!)![1]!;
    await api('POST', `/api/statements/${statementId}/reject`, { headers: { 'if-match': '*' }, payload: { reason: 'internal: not our topic' } });

    const put = await api('PUT', `/api/statements/${statementId}/sender-note`, { payload: { note: '  Thank you; this is outside what we publish.  ' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ note: 'Thank you; this is outside what we publish.' });
    expect((await app.inject(`/submissions/${token}`)).body).toContain('Thank you; this is outside what we publish.');
    expect((await api('GET', `/api/statements/${statementId}/acknowledgement`)).json().statusPage).toMatchObject({ exists: true, note: 'Thank you; this is outside what we publish.' });

    const cleared = await api('DELETE', `/api/statements/${statementId}/sender-note`);
    expect(cleared.statusCode).toBe(204);
    expect((await app.inject(`/submissions/${token}`)).body).not.toContain('outside what we publish');
    expect((await api('GET', `/api/statements/${statementId}/acknowledgement`)).json().statusPage.note).toBeNull();
    const audit = await t.db.auditEntry.findMany({ where: { action: 'statement.sender_note', targetId: statementId }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.actorId, (a.details as { note: string | null }).note])).toEqual([
      [editor.id, 'Thank you; this is outside what we publish.'],
      [editor.id, null],
    ]);

    const byHand = await createTestStatement(t.db);
    const none = await api('PUT', `/api/statements/${byHand.id}/sender-note`, { payload: { note: 'Hello' } });
    expect(none.statusCode).toBe(409);
    expect(none.json().detail).toMatch(/no status page/);
    expect((await api('PUT', '/api/statements/00000000-0000-4000-8000-000000000002/sender-note', { payload: { note: 'Hello' } })).statusCode).toBe(404);
    expect((await api('DELETE', '/api/statements/00000000-0000-4000-8000-000000000002/sender-note')).statusCode).toBe(404);
    const long = await api('PUT', `/api/statements/${statementId}/sender-note`, { payload: { note: 'x'.repeat(2001) } });
    expect(long.statusCode).toBe(400);
  });

  it('answers 401 on every sender route without credentials', async () => {
    const statement = await createTestStatement(t.db);
    const id = statement.id;
    const cid = '00000000-0000-4000-8000-000000000003';
    for (const [method, url] of [
      ['GET', `/api/statements/${id}/acknowledgement`],
      ['PUT', `/api/statements/${id}/sender-note`],
      ['DELETE', `/api/statements/${id}/sender-note`],
      ['GET', `/api/statements/${id}/corrections`],
      ['POST', `/api/statements/${id}/corrections/${cid}/apply`],
      ['POST', `/api/statements/${id}/corrections/${cid}/dismiss`],
    ] as const) {
      const res = await app.inject({ method, url, ...(method === 'PUT' ? { payload: { note: 'x' } } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});
