// Whole-message extraction on submissions laid out in ways the fixtures do not show: a press
// release label and letterhead, a long cover note above a forward, a title ending with a full
// stop, a greeting straight before the text, an Outlook HTML-only message, co-signing
// organisations, a PDF with page numbers.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractMessage } from '../../src/extract/extract-message.ts';
import type { DraftFields } from '../../src/extract/types.ts';
import type { ParsedEmail } from '../../src/extract/parsed-email.ts';
import { makePdf } from '../fixtures/mime-builders.ts';
import { makeEmail } from './email-builder.ts';

const P1 =
  'The Awami Workers Party condemns the Russian invasion of Ukraine and demands the immediate withdrawal of all troops. War brings misery to working people on both sides of the border and profits only to arms dealers.';
const P2 =
  'We also oppose the expansion of NATO, which has fuelled this crisis for decades. We call on the government of Pakistan to stay neutral and to evacuate our students from Ukraine safely and at once.';
const BODY = `${P1}\n\n${P2}`;

async function draftOf(fields: Partial<ParsedEmail>): Promise<DraftFields> {
  const result = await extractMessage(makeEmail(fields), { organisations: [] });
  if (result.kind !== 'statement') throw new Error(result.reason);
  return result.draft;
}

describe('extraction of other layouts', () => {
  it('a press-release label, a letterhead, a numeric date and an "Issued by:" block with the organisation after the role (kept: roles as written)', async () => {
    const d = await draftOf({
      subject: 'AWP statement on Ukraine',
      text: `FOR IMMEDIATE RELEASE\n\nAwami Workers Party\n\nNo to imperialist war in Ukraine\n\nLahore, 27/02/2022\n\n${BODY}\n\nIssued by:\nFarooq Tariq\nGeneral Secretary, Awami Workers Party\n`,
    });
    expect(d).toMatchObject({ title: 'No to imperialist war in Ukraine', organisationName: 'Awami Workers Party', statementDate: '2022-02-27' });
    expect(d.signatories).toEqual([{ name: 'Farooq Tariq', role: 'General Secretary, Awami Workers Party' }]);
    expect(d.bodyText).toBe(BODY);
  });

  it('a long cover note above a forward gives way to the much longer forwarded statement', async () => {
    const note =
      'I hope you are well. I am writing from Karachi, where our branch has been organising solidarity meetings all week. We would be grateful if you could publish the statement below from our party, which was released yesterday after a long discussion in the central committee and has already been shared widely.';
    const d = await draftOf({
      subject: 'Fwd: AWP statement',
      from: { name: 'Sara Khan', address: 'sara@example.net' },
      text: `Dear editors,\n\n${note}\n\nBest wishes,\nSara\n\n---------- Forwarded message ---------\nFrom: Awami Workers Party <info@awp.example.org>\nDate: Sun, 27 Feb 2022 at 18:00\nSubject: No to imperialist war in Ukraine\nTo: <sara@example.net>\n\n\n${BODY}\n\n${BODY}\n`,
    });
    expect(d).toMatchObject({ title: 'No to imperialist war in Ukraine', statementDate: '2022-02-27', forwardedBy: 'Sara Khan <sara@example.net>', senderAddress: 'info@awp.example.org' });
    expect(d.provenance.date.source).toBe('forward-header');
    expect(d.bodyText.startsWith(P1)).toBe(true);
  });

  it('a title line ending with a full stop, when the subject says it, and a dashed signature line', async () => {
    const d = await draftOf({ subject: 'No to war in Ukraine.', text: `No to war in Ukraine.\n\n${BODY}\n\n— Farooq Tariq, General Secretary` });
    expect(d.title).toBe('No to war in Ukraine.');
    expect(d.bodyText).toBe(BODY);
    expect(d.signatories).toEqual([{ name: 'Farooq Tariq', role: 'General Secretary' }]);
  });

  it('a greeting straight before the statement, and a closing after it', async () => {
    const d = await draftOf({ subject: 'Statement', text: `Dear Editor,\n\n${BODY}\n\nIn solidarity,\nFarooq Tariq\nAwami Workers Party` });
    expect(d.bodyText).toBe(BODY);
    expect(d.signatories).toEqual([]);
  });

  it('the sender’s own name and organisation after the text are an email signature, not a sign-off', async () => {
    const d = await draftOf({ subject: 'Statement', from: { name: 'Sara Khan', address: 'sara@example.net' }, text: `${BODY}\n\nSara Khan\nAwami Workers Party (AWP)` });
    expect(d.bodyText).toBe(BODY);
    expect(d.signatories).toEqual([]);
  });

  it('Outlook HTML without a plain part', async () => {
    const d = await draftOf({
      subject: 'Statement',
      partTypes: ['text/html'],
      html: `<div class=WordSection1><p class=MsoNormal><b>AWAMI WORKERS PARTY</b></p><p class=MsoNormal><b>No to imperialist war in Ukraine<o:p></o:p></b></p><p class=MsoNormal>1 March 2022</p><p class=MsoNormal>${P1}</p><p class=MsoNormal>${P2}</p><p class=MsoNormal>Farooq Tariq<br>General Secretary</p></div>`,
    });
    expect(d).toMatchObject({ title: 'No to imperialist war in Ukraine', statementDate: '2022-03-01', signatories: [{ name: 'Farooq Tariq', role: 'General Secretary' }] });
    expect(d.bodyText).toBe(BODY);
  });

  it('organisations co-signing under "Signed by:" are co-signers, not signatories', async () => {
    const d = await draftOf({ subject: 'Joint statement: Peace now', text: `Joint statement: Peace now\n\n2 March 2022\n\n${BODY}\n\nSigned by:\n1. Awami Workers Party (AWP), Pakistan\n2. Partido Lakas ng Masa (PLM), Philippines\n3. Left Front, Sri Lanka` });
    expect(d.title).toBe('Peace now');
    expect(d.signatories).toEqual([]);
    expect(d.bodyText).toBe(BODY);
  });

  it('a PDF with a running page label and a page number', async () => {
    const pdf = makePdf(['Page 1', 'AWAMI WORKERS PARTY (AWP)', '', 'No to imperialist war', '2 March 2022', '', ...P1.match(/.{1,80}(?:\s|$)/g)!.map((l) => l.trim()), '', '1']);
    const d = await draftOf({
      subject: 'statement',
      text: 'Hi, our statement is attached.\n\nThanks,\nSara',
      attachments: [{ filename: 's.pdf', contentType: 'application/pdf', size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex'), content: pdf, contentId: undefined, inline: false }],
    });
    expect(d).toMatchObject({ title: 'No to imperialist war', organisationName: 'Awami Workers Party', organisationShort: 'AWP', statementDate: '2022-03-02' });
    expect(d.bodyText).toBe(P1);
  });
});
