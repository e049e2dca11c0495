import { describe, expect, it } from 'vitest';
import { looksLikeMbox, splitMbox } from '../src/ingest/sources/mbox.ts';

describe('splitMbox', () => {
  const mbox = Buffer.from(
    [
      'From sender@example.org Mon Mar  1 10:00:00 2022',
      'Subject: one',
      '',
      'First body',
      '>From the archive, a quoted line',
      '',
      'From other@example.org Tue Mar  2 10:00:00 2022',
      'Subject: two',
      '',
      'Second body with From in the middle of a line',
      'From here on, not a separator: no blank line before it',
      '',
    ].join('\n'),
  );

  it('splits at From lines after a blank line, drops the envelope line and unescapes >From', () => {
    const messages = splitMbox(mbox).map((m) => m.toString('latin1'));
    expect(messages).toHaveLength(2);
    expect(messages[0]).toBe('Subject: one\n\nFirst body\nFrom the archive, a quoted line\n');
    expect(messages[1]).toContain('From here on, not a separator');
  });

  it('keeps 8-bit bytes and CRLF line endings exactly', () => {
    const raw = Buffer.concat([Buffer.from('From a@example.org Mon Mar  1 10:00:00 2022\r\nSubject: x\r\n\r\n'), Buffer.from([0xe9, 0xff]), Buffer.from('\r\n')]);
    const [message] = splitMbox(raw);
    expect(message!.equals(Buffer.concat([Buffer.from('Subject: x\r\n\r\n'), Buffer.from([0xe9, 0xff]), Buffer.from('\r\n')]))).toBe(true);
  });

  it('recognises an mbox by its first line', () => {
    expect(looksLikeMbox(mbox)).toBe(true);
    expect(looksLikeMbox(Buffer.from('Subject: x\n\nbody'))).toBe(false);
  });
});
