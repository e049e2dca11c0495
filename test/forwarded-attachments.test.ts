// Regression (issue 16): a statement forwarded as an attachment (message/rfc822) could not be
// checked against its source: the original-email panel showed only the cover note, and neither
// the page nor the API listed the attached message. Now every forwarded message, nested ones
// too, is an attachment (.eml) and opens in the same sandboxed frame as the email.
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRawMessages } from '../src/ingest/ingest-raw.ts';
import { ORIGINAL_FRAME_CSP } from '../src/http/routes/web/messages.ts';
import { buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { testLogger } from './support/logger.ts';
import { signInWeb, type WebSession } from './browser/support/web-session.ts';

const wrap = (subject: string, from: string, cover: string, inner: string, boundary: string) =>
  [
    `From: ${from}`,
    'To: submissions@example.com',
    `Subject: ${subject}`,
    `Message-ID: <${boundary}@example.org>`,
    'Date: Fri, 04 Mar 2022 10:00:00 +0000',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    cover,
    `--${boundary}`,
    'Content-Type: message/rfc822',
    'Content-Disposition: attachment; filename="forwarded.eml"',
    '',
    inner,
    `--${boundary}--`,
    '',
  ].join('\r\n');

describe('forwarded messages as attachments', () => {
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

  async function draftOf(raw: Buffer) {
    const [ingested] = await ingestRawMessages({ db: t.db, logger: testLogger }, [{ raw, source: 'import' }]);
    expect(ingested!.outcome.status).toBe('drafted');
    const id = (ingested!.outcome as { statementId: string }).statementId;
    const res = await app.inject({ url: `/api/statements/${id}`, headers: editor.headers });
    return { id, statement: (res.json() as { message: { attachments: { id: string; filename: string; contentType: string }[] } }).message };
  }

  it('regression: lists the attached message of the example forward, and shows it in the sandboxed frame', async () => {
    const { id, statement } = await draftOf(await readFile(new URL('../examples/inbox/rfc822-forward.eml', import.meta.url)));
    expect(statement.attachments).toEqual([expect.objectContaining({ filename: 'Medicines must not be a privilege.eml', contentType: 'message/rfc822' })]);
    const page = await web.get(`/editor/statements/${id}`);
    const attachmentId = statement.attachments[0]!.id;
    expect(page.body).toContain(`href="/editor/attachments/${attachmentId}/original" target="original-`);
    const frame = await web.get(`/editor/attachments/${attachmentId}/original`);
    expect(frame.status).toBe(200);
    expect(frame.headers['content-security-policy']).toBe(ORIGINAL_FRAME_CSP);
    expect(frame.body).toContain('Subject: Medicines must not be a privilege');
    expect(frame.body).toContain('media@pha.example.org');
    // The .eml itself downloads byte for byte, never rendered in our origin.
    const download = await app.inject({ url: `/editor/attachments/${attachmentId}`, headers: { cookie: web.cookie } });
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.body).toContain('Message-ID: <pha-inner-0005@mail.example.org>');
  });

  it('lists nested forwards too, each viewable', async () => {
    const statementEmail = [
      'From: Tenants Union <info@tenants.example.org>',
      'Subject: Rent freeze now',
      'Message-ID: <nested-inner@example.org>',
      'Date: Wed, 02 Mar 2022 08:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The Tenants Union calls for a rent freeze across the country, starting this winter, for every tenant.',
    ].join('\r\n');
    const middle = wrap('Fwd: Rent freeze now', 'Ana <ana@example.net>', 'See below.', statementEmail, 'middle-b');
    const outer = wrap('Fwd: Fwd: Rent freeze now', 'Bo <bo@example.net>', 'Passing this on.', middle, 'outer-b');
    const { statement } = await draftOf(Buffer.from(outer));
    expect(statement.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['Fwd Rent freeze now.eml', 'message/rfc822'],
      ['Rent freeze now.eml', 'message/rfc822'],
    ]);
    const inner = await web.get(`/editor/attachments/${statement.attachments[1]!.id}/original`);
    expect(inner.body).toContain('calls for a rent freeze');
  });
});
