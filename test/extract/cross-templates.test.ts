// Generalisation check: each statement of the shared fixtures, wrapped the ways other emails
// are built (cover note inline; Outlook, Apple Mail, Zimbra, German and Office 365 forwards;
// PDF; DOCX; HTML only; a disclaimer; hard wraps; a forwarded attachment; a signature without
// a separator; a quoted call for statements), must still give every field.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractMessage } from '../../src/extract/extract-message.ts';
import { emailText } from '../../src/extract/text.ts';
import type { ParsedEmail } from '../../src/extract/parsed-email.ts';
import { parseMessage } from '../../src/ingest/parse-message.ts';
import { scoreOutcome, type TruthLine } from '../../scripts/eval-score.ts';
import { makeDocx, makePdf, message } from '../fixtures/mime-builders.ts';
import { FIXTURES_DIR, hasShared, SHARED_MISSING_REASON } from '../support/shared.ts';
import { makeEmail } from './email-builder.ts';

/** Which fixture email holds each statement, and how to cut the statement out of its text. */
const SOURCES: [string, (text: string) => string][] = [
  ['01', (t) => t.split('\n-- \n')[0]!],
  ['04', (t) => t.split('\n-- \n')[0]!],
  ['07', (t) => t.slice(t.indexOf('Socialist Party of Malaysia (PSM): No'), t.indexOf('\n-- \n'))],
  ['11', (t) => t.split('\n--\n')[0]!],
  ['12', (t) => t.split('\n-- \n')[0]!],
];

function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((line) => (line.length <= width ? [line] : line.match(new RegExp(`.{1,${width}}(?:\\s|$)`, 'g'))!.map((l) => l.trimEnd())));
}

function attachment(filename: string, contentType: string, content: Buffer) {
  return { filename, contentType, size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content, contentId: undefined, inline: false };
}

async function templates(statement: string, organisation: string): Promise<[string, Partial<ParsedEmail>][]> {
  const date = new Date('2022-03-04T03:00:00Z');
  const from = { name: 'A Member', address: 'member@example.net' };
  const html = `<div dir="ltr">${statement.split('\n\n').map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '<br>')}</p>`).join('')}</div>`;
  const inner = await parseMessage(
    message([['From', 'The Org <press@org.example.org>'], ['To', 'member@example.net'], ['Date', 'Tue, 01 Mar 2022 10:00:00 +0800'], ['Subject', 'statement'], ['Message-ID', '<inner@example.org>']], 'text/plain; charset=utf-8', statement),
  );
  return [
    ['a cover note inline', { from, date, subject: 'Statement for your page', text: `Hello editors,\n\nPlease see the statement below. Thank you!\n\nWarm regards,\nA Member\n\n${statement}\n\n-- \nA Member\n+00 000 000` }],
    ['an Outlook forward', { from, date, subject: 'FW: statement', text: `Hi,\n\nFYI, forwarding this statement.\n\nBest,\nA\n\n________________________________\nFrom: The Org <press@org.example.org>\nSent: Tuesday, March 1, 2022 10:00 AM\nTo: A Member <member@example.net>\nSubject: statement\n\n${statement}` }],
    ['an Apple Mail forward without a note', { from, date, subject: 'Fwd: statement', text: `Begin forwarded message:\n\nFrom: The Org <press@org.example.org>\nSubject: statement\nDate: 1 March 2022 at 10:00:00 GMT+8\nTo: A Member <member@example.net>\n\n${statement}` }],
    ['a PDF', { from, date, subject: 'statement', text: 'Dear editors,\n\nOur statement is attached.\n\nRegards,\nA', attachments: [attachment('s.pdf', 'application/pdf', makePdf(wrap(statement, 90)))] }],
    ['a DOCX', { from, date, subject: 'statement', text: 'Hi,\n\nAttached please find our statement.\n\nThanks', attachments: [attachment('s.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', makeDocx(statement.split(/\n\n|\n(?=[•·*])/)))] }],
    ['HTML only', { from: { name: 'The Org', address: 'press@org.example.org' }, date, subject: 'statement', partTypes: ['text/html'], html }],
    ['a disclaimer', { from, date, subject: 'statement', text: `${statement}\n\nKind regards,\nA Member\nOffice Manager\n\nCONFIDENTIALITY NOTICE: This email is intended only for the named recipient and may contain privileged information. If you have received it in error, please notify the sender.` }],
    ['hard wraps', { from, date, subject: 'statement', text: wrap(statement, 72).join('\n') }],
    ['a forwarded attachment', { from, date, subject: 'Fwd: statement', text: 'See attached, thanks.\n\nA', attachedMessages: [inner] }],
    ['a letterhead above the statement', { from, date, subject: 'statement', text: `${organisation}\n\n${statement}` }],
    ['a letterhead in capitals', { from, date, subject: 'statement', text: `${organisation.toUpperCase()}\n\n${statement}` }],
    ['a PRESS RELEASE label', { from, date, subject: 'statement', text: `PRESS RELEASE\n\n${statement}` }],
    ['a FOR IMMEDIATE RELEASE line', { from, date, subject: 'statement', text: `FOR IMMEDIATE RELEASE\n${statement}` }],
    ['a Zimbra forward', { from, date, subject: 'Fwd: statement', text: `Forwarding for your page.\n\n----- Forwarded Message -----\nFrom: "The Org" <press@org.example.org>\nTo: "A Member" <member@example.net>\nSent: Tuesday, March 1, 2022 10:00:00 AM\nSubject: statement\n\n${statement}` }],
    ['a German forward', { from, date, subject: 'WG: statement', text: `Zur Info.\n\n---------- Weitergeleitete Nachricht ---------\nVon: The Org <press@org.example.org>\nDatum: Di., 1. März 2022 um 10:00 Uhr\nBetreff: statement\nAn: <member@example.net>\n\n${statement}` }],
    ['an Office 365 HTML forward', { from, date, subject: 'FW: statement', partTypes: ['text/html'], html: `<div><p>Hi, see below.</p><p>Thanks, A</p><hr><div id="divRplyFwdMsg"><b>From:</b> The Org &lt;press@org.example.org&gt;<br><b>Sent:</b> Tuesday, March 1, 2022 10:00 AM<br><b>To:</b> A Member<br><b>Subject:</b> statement</div><div>${html}</div></div>` }],
    ['a signature without a separator', { from, date, subject: 'statement', text: `${statement}\n\nThe Org\npress@org.example.org | https://org.example.org\n+00 000 0000` }],
    ['a quoted call for statements below', { from, date, subject: 'Re: call for statements', text: `${statement}\n\nOn Mon, 28 Feb 2022 at 09:00, Editors <submissions@example.com> wrote:\n> Dear friends, we are collecting statements.\n> Please send yours.` }],
  ];
}

describe.skipIf(!hasShared)(`the shared statements in other wrappings (${hasShared ? 'present' : SHARED_MISSING_REASON})`, () => {
  const truth: TruthLine[] = hasShared ? readFileSync(`${FIXTURES_DIR}truth.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TruthLine) : [];

  it.each(SOURCES)('statement of email %s: every field right in every wrapping', async (id, cut) => {
    const line = truth.find((t) => t.file.includes(`/${id}-`))!;
    const statement = cut(emailText(await parseMessage(readFileSync(`${FIXTURES_DIR}${line.file}`)))).trim();
    const failures: string[] = [];
    for (const [name, fields] of await templates(statement, (line.organisation ?? '').replace(/\s*\([^()]*\)\s*$/, ''))) {
      const result = await extractMessage(makeEmail(fields), { organisations: [] });
      const scores = scoreOutcome(line, { messageStatus: 'drafted', notStatement: false, drafts: result.kind === 'statement' ? [result.draft] : [] });
      const failed = Object.entries(scores).filter(([, ok]) => !ok).map(([field]) => field);
      if (failed.length) failures.push(`${name}: ${failed.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });
});
