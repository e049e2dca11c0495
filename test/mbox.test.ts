import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMboxFormat, fileLooksLikeMbox, looksLikeMbox, MboxSplitter, readMboxFile, splitMbox } from '../src/ingest/sources/mbox.ts';

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

describe('mbox dialects and streaming', () => {
  const envelope = 'From sender@example.org Mon Mar  1 10:00:00 2022\n';
  const body = (text: string) => `Subject: s\n\n${text}\n`;

  it('mboxo keeps ">From " lines as written (they were unescaped in every file, corrupting mboxo)', () => {
    const mbox = Buffer.from(`${envelope}${body('>From a quoted line\n>>From a quoted quote')}`);
    expect(splitMbox(mbox, 'mboxo')[0]!.toString()).toBe('Subject: s\n\n>From a quoted line\n>>From a quoted quote\n');
    expect(splitMbox(mbox, 'mboxrd')[0]!.toString()).toBe('Subject: s\n\nFrom a quoted line\n>From a quoted quote\n');
  });

  it('gives the same messages whatever the chunk size, a message and a From line split across reads included', () => {
    const messages = Array.from({ length: 20 }, (_, n) => body(`Message ${n}\n\n>From the desk ${n}\nFrom inside a paragraph ${n}\n${'x'.repeat(n * 37)}`));
    const mbox = Buffer.from(messages.map((m) => envelope + m).join('\n'));
    const whole = splitMbox(mbox, 'mboxrd').map((m) => m.toString());
    expect(whole).toHaveLength(20);
    expect(whole[3]).toBe(body(`Message 3\n\nFrom the desk 3\nFrom inside a paragraph 3\n${'x'.repeat(111)}`));
    for (const size of [1, 2, 3, 5, 7, 64, 1000]) {
      const splitter = new MboxSplitter('mboxrd');
      const out: string[] = [];
      for (let at = 0; at < mbox.length; at += size) out.push(...splitter.push(mbox.subarray(at, at + size)).map(String));
      out.push(...splitter.end().map(String));
      expect(out, `chunks of ${size} bytes`).toEqual(whole);
    }
  });

  it('takes a "From " line after a blank line in a body as the next message only when unescaped', () => {
    const mbox = Buffer.from(`${envelope}${body('Para one\n\n>From a line the writer escaped')}\n${envelope}${body('two')}`);
    expect(splitMbox(mbox, 'mboxrd').map(String)).toEqual([body('Para one\n\nFrom a line the writer escaped'), body('two')]);
  });

  it('streams a file and tells mboxrd from mboxo by its ">>From " lines', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sd-mbox-'));
    try {
      const rd = path.join(dir, 'rd.mbox');
      const o = path.join(dir, 'o.mbox');
      const plain = path.join(dir, 'plain.mbox');
      await writeFile(rd, `${envelope}${body('>>From a quoted From line, escaped again')}`);
      await writeFile(o, `${envelope}${body('>From a line')}`);
      await writeFile(plain, `${envelope}${body('nothing escaped')}`);
      expect((await detectMboxFormat(rd)).format).toBe('mboxrd');
      expect((await detectMboxFormat(o)).format).toBe('mboxo');
      expect((await detectMboxFormat(plain)).format).toBe('mboxrd');
      const read: string[] = [];
      for await (const m of readMboxFile(rd, 'mboxrd')) read.push(m.toString());
      expect(read).toEqual([body('>From a quoted From line, escaped again')]);
      expect(await fileLooksLikeMbox(rd)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
