// The part types classification reads (ParsedEmail.partTypes) come from a scan of the raw bytes,
// not from the parser: every line that starts "Content-Type:", in any case, nested parts and
// forwarded messages too; a "Content-Type:" inside a line is text, not a part.
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/ingest/parse-message.ts';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));

describe('the part types of a message', () => {
  it('lists every Content-Type at the start of a line, once, in lower case, with CRLF or LF lines', async () => {
    const lines = [
      'From: press@union.example.org',
      'Subject: Statement',
      'CONTENT-TYPE: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'content-type:   Multipart/Alternative; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Our statement. The header line Content-Type: image/png inside a sentence is no part.',
      '--inner',
      'Content-type:text/html',
      '',
      '<p>Our statement.</p>',
      '--inner--',
      '--outer',
      'Content-Type: message/rfc822',
      '',
      'Subject: forwarded',
      'Content-Type: Application/PDF',
      '',
      'x',
      '--outer--',
      'Content-Type: text/plain',
    ];
    const expected = ['multipart/mixed', 'multipart/alternative', 'text/plain', 'text/html', 'message/rfc822', 'application/pdf'];
    expect((await parseMessage(crlf(lines))).partTypes).toEqual(expected);
    expect((await parseMessage(Buffer.from(lines.join('\n')))).partTypes).toEqual(expected);
  });

  it('finds a Content-Type on the first line and on the last line without an ending', async () => {
    const first = await parseMessage(Buffer.from('Content-Type: text/html\r\n\r\n<p>Hello</p>\r\n'));
    expect(first.partTypes).toEqual(['text/html']);
    const last = await parseMessage(Buffer.from('Subject: x\r\n\r\nbody\r\nContent-Type: text/calendar'));
    expect(last.partTypes).toEqual(['text/calendar']);
  });
});
