// The text kept with a message for the editors' message view and the correction check of an
// ignored message: the plain part when there is one, else the visible text of the HTML.
import { describe, expect, it } from 'vitest';
import { prepareMessage } from '../../src/ingest/prepare-message.ts';

const CONTEXT = { organisations: [] };

function email(contentType: string, body: string): Buffer {
  return Buffer.from(
    ['From: Dockers Union <press@dockers.example.net>', 'Subject: Ports stay public', 'Date: Mon, 07 Mar 2022 10:00:00 +0000', `Content-Type: ${contentType}`, '', body].join('\r\n'),
  );
}

describe('the stored text of a message', () => {
  it('is the visible text of the HTML when the email has no plain part, without tags, scripts or styles', async () => {
    const html =
      '<html><head><style>p { color: red }</style><script>alert(1)</script></head><body>' +
      '<h1>Ports stay public</h1><p>The Dockers Union rejects the sale of the port authority.</p>' +
      '<p>Signed, the&nbsp;Executive&nbsp;Board</p></body></html>';
    const prepared = await prepareMessage(email('text/html; charset=utf-8', html), CONTEXT);
    expect(prepared.kind).not.toBe('failed');
    if (prepared.kind === 'failed') return;
    const text = prepared.fields.textBody!;
    expect(text).toContain('Ports stay public');
    expect(text).toContain('The Dockers Union rejects the sale of the port authority.');
    expect(text).toContain('Signed, the Executive Board');
    expect(text).not.toMatch(/<|alert\(1\)|color: red/);
  });

  it('is the plain part as sent when there is one', async () => {
    const body = 'The Dockers Union rejects the sale of the port authority.\r\n\r\nExecutive Board';
    const prepared = await prepareMessage(email('text/plain; charset=utf-8', body), CONTEXT);
    if (prepared.kind === 'failed') throw new Error(prepared.error);
    expect(prepared.fields.textBody).toBe('The Dockers Union rejects the sale of the port authority.\n\nExecutive Board');
  });
});
