// Decompression bombs in documents (src/extract/document-bounds.mjs, attachment-text.ts): a
// small PDF inflating to gigabytes, several in one email, a DOCX zip bomb and a DOCX of two
// million paragraphs each held gigabytes and tens of seconds. Each must now be refused with a
// reason while the other documents of the email are still read. The bombs are written in
// memory here (test/fixtures/bombs.ts): a few hundred kilobytes each.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addAttachmentText, MAX_DOCUMENT_INFLATED_BYTES, readDocxText, readPdfText } from '../../src/extract/attachment-text.ts';
import type { ParsedAttachment } from '../../src/extract/parsed-email.ts';
import { deflatedRepeats, docxOfParagraphs, docxZipBomb, pdfBomb, pdfWithStream } from '../fixtures/bombs.ts';
import { makeDocx, makePdf } from '../fixtures/mime-builders.ts';
import { makeEmail } from './email-builder.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const OVER_BUDGET_MB = MAX_DOCUMENT_INFLATED_BYTES / 1024 / 1024 + 50;

function attachment(filename: string, contentType: string, content: Buffer): ParsedAttachment {
  return { filename, contentType, size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content, contentId: undefined, inline: false };
}

describe('document bombs', () => {
  it('refuses a PDF whose stream inflates past the budget, before pdfjs holds it', async () => {
    const bomb = await pdfBomb(OVER_BUDGET_MB);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(readPdfText(bomb)).rejects.toThrow(/the PDF's streams inflate to more than 100 MB/);
  }, 60_000);

  it('refuses a PDF that hides its bomb behind a second Flate filter', async () => {
    const inner = await deflatedRepeats(OVER_BUDGET_MB);
    const { deflateSync } = await import('node:zlib');
    await expect(readPdfText(pdfWithStream(deflateSync(inner), '[/FlateDecode /FlateDecode]'))).rejects.toThrow(/inflate to more than/);
  }, 60_000);

  it('still reads a PDF whose compressed stream is within the budget', async () => {
    const content = Buffer.from('BT /F1 11 Tf 56 800 Td (A compressed statement line that is long enough.) Tj ET');
    const { deflateSync } = await import('node:zlib');
    expect(await readPdfText(pdfWithStream(deflateSync(content), '/FlateDecode'))).toBe('A compressed statement line that is long enough.');
  });

  it('refuses a DOCX zip bomb that declares its size, and one that lies about it', async () => {
    await expect(readDocxText(await docxZipBomb(OVER_BUDGET_MB))).rejects.toThrow(/declares 150 MB/);
    await expect(readDocxText(await docxZipBomb(OVER_BUDGET_MB, 1))).rejects.toThrow(/the DOCX's parts inflate to more than 100 MB/);
  }, 60_000);

  it('refuses a DOCX of two million paragraphs without building it', async () => {
    const docx = await docxOfParagraphs(2_000_000);
    expect(docx.length).toBeLessThan(1024 * 1024);
    await expect(readDocxText(docx)).rejects.toThrow(/more than 50,000 paragraphs/);
  }, 60_000);

  it('stops reading a long PDF at the text budget', async () => {
    const lines = Array.from({ length: 500 }, (_, n) => `Line ${n} of a very long statement, with enough words in it.`);
    const text = await readPdfText(makePdf(lines), { maxTextChars: 1_000 });
    expect(text.length).toBeLessThanOrEqual(1_000 + 100);
    expect(text).toMatch(/^Line 0 of a very long statement/);
    expect(text).not.toContain('Line 400');
  });

  it('reads the good documents of an email that also carries six PDF bombs and a DOCX bomb', async () => {
    const bomb = await pdfBomb(OVER_BUDGET_MB);
    const email = makeEmail({
      attachments: [
        ...Array.from({ length: 6 }, (_, n) => attachment(`bomb-${n}.pdf`, 'application/pdf', bomb)),
        attachment('zip-bomb.docx', DOCX, await docxZipBomb(OVER_BUDGET_MB, 1)),
        attachment('statement.pdf', 'application/pdf', makePdf(['Our statement text on one line.'])),
        attachment('statement.docx', DOCX, makeDocx(['The DOCX statement.'])),
      ],
    });
    await addAttachmentText(email);
    const bombs = email.attachments.slice(0, 7);
    for (const b of bombs) expect(b.textError).toMatch(/could not be read: the (PDF's streams|DOCX's parts) inflate to more than 100 MB/);
    expect(email.attachments[7]!.text).toBe('Our statement text on one line.');
    expect(email.attachments[8]!.text).toBe('The DOCX statement.');
  }, 120_000);

  it('reads the next document of an email after one timed out (it failed as "the document reader stopped")', async () => {
    // 1 ms is far less than reading 50 pages takes, even on a worker already started by the tests
    // before (a one-page PDF on a warm worker beat 5 ms): the first read times out for sure and its
    // worker is stopped; the exit of that worker must not fail the next read.
    const long = makePdf(Array.from({ length: 50 }, (_, page) => `Page ${page} of a statement that will time out. `.repeat(40)));
    await expect(readPdfText(long, { timeoutMs: 1 })).rejects.toThrow(/took longer than/);
    expect(await readDocxText(makeDocx(['Read after the timeout.']))).toBe('Read after the timeout.');
    expect(await readPdfText(makePdf(['And a PDF after that, on the same new worker.']))).toBe('And a PDF after that, on the same new worker.');
  }, 60_000);

  it('leaves documents unread once the email has used up its document time', async () => {
    const email = makeEmail({ attachments: [attachment('late.pdf', 'application/pdf', makePdf(['Never read.']))] });
    await addAttachmentText(email, { deadline: Date.now(), inflatedBytes: 1e9, textChars: 1e6 });
    expect(email.attachments[0]!.textError).toMatch(/not read: the documents before it in this email used up/);
  });
});
