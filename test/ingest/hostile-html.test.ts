// What ingest makes of an email whose HTML is built to exhaust the sanitiser: 200,000 nested
// elements kept the parser worker busy for its whole two-minute limit (so 30 such emails
// stalled ingestion for an hour). Now it is drafted from its text at once, and HTML past the
// size limit is stored cut, saying so.
import { describe, expect, it } from 'vitest';
import { MAX_HTML_CHARS } from '../../src/html/bound-html.ts';
import { prepareMessage } from '../../src/ingest/prepare-message.ts';

const CONTEXT = { organisations: [] };

function htmlEmail(html: string): Buffer {
  return Buffer.from(
    `Message-ID: <nested@example.org>\r\nFrom: Teachers Union <office@teachers.example.org>\r\nTo: submissions@example.com\r\n` +
      `Date: Tue, 01 Mar 2022 09:00:00 +0000\r\nSubject: Schools, not bombs\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`,
  );
}

const STATEMENT = '<p>The Teachers Union calls for money for schools, not bombs. We ask every member to join the march on Saturday.</p>';

describe('hostile HTML at ingest', () => {
  it('drafts an email of 200,000 nested elements from its text, well within the worker limit', async () => {
    const start = performance.now();
    const prepared = await prepareMessage(htmlEmail(`${STATEMENT}${'<div>'.repeat(200_000)}Released by the Teachers Union${'</div>'.repeat(200_000)}`), CONTEXT);
    expect(performance.now() - start).toBeLessThan(30_000);
    expect(prepared.kind).toBe('drafted');
    if (prepared.kind !== 'drafted') return;
    expect(prepared.draft.bodyText).toContain('The Teachers Union calls for money for schools, not bombs.');
    expect(prepared.fields.htmlBody!.length).toBeLessThan(5_000);
  }, 60_000);

  it('stores HTML past the size limit cut, with a note saying so', async () => {
    const prepared = await prepareMessage(htmlEmail(`${STATEMENT}${'<p>More and more of the same long statement.</p>'.repeat(50_000)}`), CONTEXT);
    expect(prepared.kind).not.toBe('failed');
    if (prepared.kind === 'failed') return;
    expect(prepared.fields.htmlBody!.startsWith(STATEMENT)).toBe(true);
    expect(prepared.fields.htmlBody).toMatch(/The email's HTML is longer than 2,000,000 characters; the rest is not shown here\. The original file has all of it\.\]<\/em><\/p>$/);
    expect(prepared.fields.htmlBody!.length).toBeLessThan(MAX_HTML_CHARS + 1_000);
  }, 60_000);
});
