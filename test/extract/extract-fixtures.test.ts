// The whole extraction (parse, then extractMessage) on the project's own fixture emails: what an
// editor would see in each draft. The pipeline and the scoring run in test/eval.test.ts.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractMessage } from '../../src/extract/extract-message.ts';
import type { DraftFields, ExtractionResult, KnownOrganisation } from '../../src/extract/types.ts';
import { parseMessage } from '../../src/ingest/parse-message.ts';

const EMAILS = fileURLToPath(new URL('../fixtures/emails/', import.meta.url));

async function extract(file: string, organisations: KnownOrganisation[] = []): Promise<ExtractionResult> {
  return extractMessage(await parseMessage(await readFile(`${EMAILS}${file}`)), { organisations });
}

async function draftOf(file: string, organisations: KnownOrganisation[] = []): Promise<DraftFields> {
  const result = await extract(file, organisations);
  if (result.kind !== 'statement') throw new Error(`${file}: ${result.reason}`);
  return result.draft;
}

describe('extraction of the project fixtures', () => {
  it('a plain statement: heading, date line, "Signed," block and signature apart from the body', async () => {
    const d = await draftOf('01-plain-signed-block.eml');
    expect(d).toMatchObject({ title: 'Peace, bread and jobs, not war budgets', organisationName: 'Workers Solidarity Network', organisationShort: 'WSN', statementDate: '2022-03-03', language: 'en', forwardedBy: null });
    expect(d.signatories).toEqual([
      { name: 'Maria Dela Cruz', role: 'National Chairperson' },
      { name: 'Tomas Reyes', role: 'General Secretary' },
    ]);
    expect(d.bodyText).toMatch(/^The Workers Solidarity Network \(WSN\) calls/);
    expect(d.bodyText).toMatch(/until these demands are met\.$/);
    expect(d.bodyHtml).toContain('<ul><li>an immediate freeze on new arms purchases;</li>');
    expect(d.provenance.date).toEqual({ source: 'heading', confidence: 0.9 });
  });

  it('a cover note with the statement in a PDF: the body is the PDF text and the editor is told', async () => {
    const d = await draftOf('02-cover-note-pdf.eml');
    expect(d).toMatchObject({ title: 'Stop the evictions in the river districts now', organisationName: 'Green Labour Front', statementDate: '2022-03-04' });
    expect(d.bodyText).toMatch(/^The Green Labour Front condemns/);
    expect(d.bodyText).not.toMatch(/Dear editors/);
    expect(d.provenance.body.source).toBe('pdf:GLF-statement-evictions.pdf');
    expect(d.warnings.join(' ')).toMatch(/taken from the attached PDF/);
  });

  it('a DOCX with a day-first numeric date', async () => {
    const d = await draftOf('03-docx-only.eml');
    expect(d).toMatchObject({ organisationName: 'Union of Teachers and Educators', organisationShort: 'UTE', statementDate: '2022-02-27', signatories: [{ name: 'Aisha Rahman', role: 'President' }] });
  });

  it('an inline forward: organisation and year from the forwarded message, forwarder recorded', async () => {
    const d = await draftOf('04-apple-inline-forward.eml');
    expect(d).toMatchObject({ title: 'Fair prices for small farmers', organisationName: 'Coastal Farmers Movement', statementDate: '2022-02-28', forwardedBy: 'Ben Carter <ben.carter@example.net>' });
    expect(d.bodyText).not.toMatch(/Begin forwarded|Sharing this/);
  });

  it('a message forwarded as an attachment', async () => {
    const d = await draftOf('05-rfc822-forward.eml');
    expect(d).toMatchObject({ organisationName: "People's Health Alliance", organisationShort: 'PHA', statementDate: '2022-03-02', forwardedBy: 'Priya Nair <priya.nair@example.net>' });
  });

  it('a French statement with "Paris, le 2 mars 2022"', async () => {
    const d = await draftOf('06-french-statement.eml');
    expect(d).toMatchObject({ title: 'Non à la guerre, oui à la solidarité entre les peuples', language: 'fr', statementDate: '2022-03-02', organisationShort: 'CSO' });
    expect(d.signatories).toEqual([{ name: 'Claire Martin', role: 'porte-parole' }]);
  });

  it('a Spanish statement in HTML only with a "Firman:" block', async () => {
    const d = await draftOf('07-spanish-html-only.eml');
    expect(d).toMatchObject({ language: 'es', statementDate: '2022-03-01', organisationName: 'Frente Popular de Trabajadores' });
    expect(d.signatories).toHaveLength(2);
  });

  it('a Tagalog statement in a Thunderbird forward', async () => {
    const d = await draftOf('08-tagalog-thunderbird-forward.eml');
    expect(d).toMatchObject({ language: 'tl', statementDate: '2022-03-08', organisationName: 'Kilusang Manggagawa ng Bayan', organisationShort: 'KMB' });
  });

  it.each([
    ['09-follow-up-question.eml', /follow-up/],
    ['10-calendar-invite.eml', /calendar/],
  ])('%s is not a statement', async (file, reason) => {
    const result = await extract(file);
    expect(result.kind).toBe('not_statement');
    expect(result.kind === 'not_statement' && result.reason).toMatch(reason);
  });

  it('a scanned PDF is drafted from the cover note and flagged for the editor', async () => {
    const d = await draftOf('11-scanned-pdf.eml');
    expect(d.warnings.join(' ')).toMatch(/statement-scan\.pdf: the PDF has no text layer/);
    expect(d.provenance.body.confidence).toBeLessThan(0.5);
  });

  it('the registry wins over the text; without an Authentication-Results header the sender stays unverified', async () => {
    const known: KnownOrganisation = { id: 'org-wsn', name: 'Workers’ Solidarity Network', shortName: 'WSN', senderAddresses: [], senderDomains: ['wsn.example.org'] };
    const d = await draftOf('01-plain-signed-block.eml', [known]);
    expect(d).toMatchObject({ organisationId: 'org-wsn', organisationName: 'Workers’ Solidarity Network', senderVerified: false, provenance: { organisation: { source: 'registry' } } });
  });
});
