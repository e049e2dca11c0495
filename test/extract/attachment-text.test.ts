import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addAttachmentText, documentKind, readDocxText, readPdfText } from '../../src/extract/attachment-text.ts';
import type { ParsedAttachment } from '../../src/extract/parsed-email.ts';
import { makeDocx, makePdf } from '../fixtures/mime-builders.ts';
import { makeEmail } from './email-builder.ts';

function attachment(filename: string, contentType: string, content: Buffer): ParsedAttachment {
  return { filename, contentType, size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content, contentId: undefined, inline: false };
}

describe('attachment text', () => {
  it('reads the text of a PDF, with a blank line between paragraphs', async () => {
    const text = await readPdfText(makePdf(['GREEN LABOUR FRONT', '', 'Stop the evictions now', 'March 4, 2022', '', 'The Front condemns the evictions.']));
    expect(text).toBe('GREEN LABOUR FRONT\n\nStop the evictions now\nMarch 4, 2022\n\nThe Front condemns the evictions.');
  });

  it('reads the paragraphs of a DOCX', async () => {
    expect(await readDocxText(makeDocx(['Title line', 'First paragraph.', 'Second paragraph.']))).toBe('Title line\n\nFirst paragraph.\n\nSecond paragraph.');
  });

  it.each([
    ['a.pdf', 'application/pdf', 'pdf'],
    ['a.PDF', 'application/octet-stream', 'pdf'],
    ['a.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
    ['a.docx', 'application/octet-stream', 'docx'],
    ['a.png', 'image/png', undefined],
    ['a.doc', 'application/msword', undefined],
  ])('knows %s (%s) as %s', (filename, contentType, kind) => {
    expect(documentKind({ filename, contentType })).toBe(kind);
  });

  it('fills text, flags a scanned PDF and a broken file, and reads forwarded messages too, without throwing', async () => {
    const inner = makeEmail({ attachments: [attachment('inner.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', makeDocx(['Inner statement.']))] });
    const email = makeEmail({
      attachments: [
        attachment('statement.pdf', 'application/pdf', makePdf(['Our statement text on one line.'])),
        attachment('scan.pdf', 'application/pdf', makePdf([])),
        attachment('broken.pdf', 'application/pdf', Buffer.from('%PDF-1.4 this is not a pdf')),
        attachment('logo.png', 'image/png', Buffer.alloc(8)),
      ],
      attachedMessages: [inner],
    });
    await addAttachmentText(email);
    const [pdf, scan, broken, logo] = email.attachments;
    expect(pdf!.text).toBe('Our statement text on one line.');
    expect(scan!.text).toBeUndefined();
    expect(scan!.textError).toMatch(/no text layer/);
    expect(broken!.textError).toMatch(/could not be read/);
    expect(logo!.text ?? logo!.textError).toBeUndefined();
    expect(inner.attachments[0]!.text).toBe('Inner statement.');
  });
});

describe('withoutPageFurniture', () => {
  it('drops page numbers and a running header repeated on every page', async () => {
    const { withoutPageFurniture } = await import('../../src/extract/attachment-text.ts');
    expect(withoutPageFurniture(['Party statement\nFirst page text.\n1', 'Party statement\nSecond page text.\nPage 2 of 2'])).toEqual(['First page text.', 'Second page text.']);
    expect(withoutPageFurniture(['Only page.\n- 1 -'])).toEqual(['Only page.']);
    expect(withoutPageFurniture(['A page that ends with a year\n2022 was hard.'])).toEqual(['A page that ends with a year\n2022 was hard.']);
  });
});
