// Public "original files" are what their bytes are (issue 10, item 10). Regressions: an .html
// sent as application/pdf was listed as "(PDF)" and served with that type; a right-to-left
// override made "…exe" show as "….pdf"; a 3,000-character name made a 21 KB header.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createStatement, type TestStatement } from '../support/statements.ts';
import { makeDocx, makePdf, makeZip } from '../fixtures/mime-builders.ts';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');

describe('public original files', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let statement: TestStatement;
  const idOf = (filename: string) => statement.message!.attachments.find((a) => a.filename === filename)!.id;
  const fileUrl = (filename: string) => `/statements/${statement.slug}/attachments/${idOf(filename)}`;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    statement = await createStatement(t.db, {
      title: 'Originals',
      publishedAt: new Date('2026-03-02T10:00:00Z'),
      bodyHtml: '<p>Text.</p>',
      message: {
        fromAddress: 'x@example.org',
        attachments: [
          { filename: 'statement.pdf', contentType: 'application/pdf', content: makePdf(['A real statement']) },
          { filename: 'invoice\u202Efdp.exe', contentType: 'application/pdf', content: makePdf(['Bidi']) },
          { filename: `${'long'.repeat(750)}.pdf`, contentType: 'application/pdf', content: makePdf(['Long name']) },
          { filename: 'word.docx', contentType: 'application/octet-stream', content: makeDocx(['A real Word document']) },
          {
            filename: 'text.odt',
            contentType: 'application/vnd.oasis.opendocument.text',
            content: makeZip([{ name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text') }, { name: 'content.xml', data: Buffer.from('<office:document-content/>') }]),
          },
          // Not what they claim:
          { filename: 'fake.pdf', contentType: 'application/pdf', content: HTML },
          { filename: 'page.html', contentType: 'application/pdf', content: HTML },
          { filename: 'not-word.docx', contentType: DOCX_TYPE, content: makeZip([{ name: 'index.html', data: HTML }]) },
          { filename: 'pdf-as-word.docx', contentType: DOCX_TYPE, content: makePdf(['Mislabelled']) },
        ],
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('lists only the files whose bytes are the document they claim, under cleaned names with the verified extension', async () => {
    const page = await app.inject({ method: 'GET', url: `/statements/${statement.slug}` });
    expect(page.statusCode).toBe(200);
    const listed = [...page.body.matchAll(/<a href="[^"]*\/attachments\/[^"]*" download>([^<]*)<\/a> <span class="file-info">\(([^,]*),/g)].map((m) => [m[1], m[2]]);
    expect(listed).toEqual([
      ['statement.pdf', 'PDF'],
      ['invoicefdp.exe.pdf', 'PDF'],
      [`${'long'.repeat(23)}lon….pdf`, 'PDF'],
      ['word.docx', 'Word document'],
      ['text.odt', 'OpenDocument text'],
    ]);
    expect(page.body).not.toMatch(/fake\.pdf|page\.html|not-word|pdf-as-word|\u202E/);

    const feed = await app.inject({ method: 'GET', url: '/feed.json' });
    const titles = (feed.json().items[0].attachments as { title: string }[]).map((a) => a.title);
    expect(titles).toEqual(listed.map(([name]) => name));
  });

  it('serves a verified file with its verified type, nosniff, as a download under a short clean name', async () => {
    const pdf = await app.inject({ method: 'GET', url: fileUrl('invoice\u202Efdp.exe') });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="invoicefdp.exe.pdf"; filename*=UTF-8''invoicefdp.exe.pdf`);

    const long = await app.inject({ method: 'GET', url: fileUrl(`${'long'.repeat(750)}.pdf`) });
    expect(long.statusCode).toBe(200);
    expect(String(long.headers['content-disposition']).length).toBeLessThan(400);

    const docx = await app.inject({ method: 'GET', url: fileUrl('word.docx') });
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toBe(DOCX_TYPE);
  });

  it('answers 404 for a file whose bytes are not what it claims', async () => {
    for (const name of ['fake.pdf', 'page.html', 'not-word.docx', 'pdf-as-word.docx']) {
      const res = await app.inject({ method: 'GET', url: fileUrl(name) });
      expect(res.statusCode, name).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).not.toContain('<script>');
    }
  });
});
