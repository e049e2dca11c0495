// An attachment's SHA-256 (shown to editors, kept with its bytes) is mailparser's own checksum of
// the decoded content, asked for as SHA-256 rather than computed a second time.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/ingest/parse-message.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('attachment hashes', () => {
  it('are the SHA-256 of the decoded bytes, for base64, quoted-printable and empty parts', async () => {
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));
    const text = Buffer.from('Résolution adoptée à l’unanimité.\n'.repeat(40));
    const raw = Buffer.from(
      [
        'From: press@union.example.org',
        'Subject: Statement with attachments',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'See attached.',
        '--b',
        'Content-Type: application/pdf; name="statement.pdf"',
        'Content-Disposition: attachment; filename="statement.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        binary.toString('base64').replace(/.{76}/g, '$&\r\n'),
        '--b',
        'Content-Type: text/plain; charset=utf-8; name="resolution.txt"',
        'Content-Disposition: attachment; filename="resolution.txt"',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        text.toString('latin1').replace(/[^\x20-\x7e\n]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/\n/g, '\r\n'),
        '--b',
        'Content-Type: application/octet-stream; name="empty.bin"',
        'Content-Disposition: attachment; filename="empty.bin"',
        '',
        '',
        '--b--',
        '',
      ].join('\r\n'),
    );
    const email = await parseMessage(raw);
    const byName = new Map(email.attachments.map((a) => [a.filename, a]));
    expect(byName.get('statement.pdf')!.content.equals(binary)).toBe(true);
    for (const name of ['statement.pdf', 'resolution.txt', 'empty.bin']) {
      const attachment = byName.get(name)!;
      expect(attachment.sha256, name).toBe(sha256(attachment.content));
      expect(attachment.size, name).toBe(attachment.content.length);
    }
    expect(byName.get('resolution.txt')!.content.toString('utf8')).toContain('Résolution adoptée');
  });
});
