import { describe, expect, it } from 'vitest';
import { contentDisposition } from '../../src/http/content-disposition.ts';

describe('contentDisposition', () => {
  it.each([
    ['statement.pdf', 'attachment; filename="statement.pdf"; filename*=UTF-8\'\'statement.pdf'],
    ['Déclaration "finale".pdf', 'attachment; filename="D_claration _finale_.pdf"; filename*=UTF-8\'\'D%C3%A9claration%20_finale_.pdf'],
    // A header injection attempt stays inside the value.
    ['a\r\nSet-Cookie: x=1', 'attachment; filename="a__Set-Cookie: x=1"; filename*=UTF-8\'\'a__Set-Cookie%3A%20x%3D1'],
    ['../../etc/passwd', 'attachment; filename=".._.._etc_passwd"; filename*=UTF-8\'\'.._.._etc_passwd'],
    [null, 'attachment; filename="fallback.eml"; filename*=UTF-8\'\'fallback.eml'],
    ['   ', 'attachment; filename="fallback.eml"; filename*=UTF-8\'\'fallback.eml'],
    // Bidirectional controls are dropped: "\u202Egpj.exe" would read as "exe.jpg".
    ['photo\u202Egpj.exe', 'attachment; filename="photogpj.exe"; filename*=UTF-8\'\'photogpj.exe'],
    ['\u2067a\u2069\u200E.pdf', 'attachment; filename="a.pdf"; filename*=UTF-8\'\'a.pdf'],
  ])('names %j safely, always as a download', (name, header) => {
    expect(contentDisposition(name, 'fallback.eml')).toBe(header);
  });

  it('caps a 3,000-character name at 100 characters, keeping its extension (it made a 21 KB header)', () => {
    const header = contentDisposition(`${'é'.repeat(3000)}.docx`, 'fallback');
    expect(header.length).toBeLessThan(1000);
    expect(header).toContain(`filename="${'_'.repeat(94)}_.docx"`);
  });
});
