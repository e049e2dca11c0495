import { describe, expect, it } from 'vitest';
import {
  displayName,
  findAcronymNames,
  guessOrganisation,
  organisationOfLabel,
  splitOrganisationPrefix,
  type OrganisationEvidence,
} from '../../src/extract/organisation.ts';
import type { KnownOrganisation } from '../../src/extract/types.ts';

describe('findAcronymNames', () => {
  it.each([
    ['The Socialist Party of Malaysia (PSM) strongly condemns', 'Socialist Party of Malaysia', 'PSM'],
    ['Partido Lakas ng Masa (PLM) statement on Ukraine', 'Partido Lakas ng Masa', 'PLM'],
    ['Communist Party of India (Marxist-Leninist) Liberation (CPIML) on Russia', 'Communist Party of India (Marxist-Leninist) Liberation', 'CPIML'],
    ['Socialist Party of Malaysia / Parti Sosialis Malaysia (PSM)', 'Parti Sosialis Malaysia', 'PSM'],
    ['KILUSANG MANGGAGAWA NG BAYAN (KMB)', 'KILUSANG MANGGAGAWA NG BAYAN', 'KMB'],
    ['Le Collectif Solidarité Ouvrière (CSO) condamne', 'Collectif Solidarité Ouvrière', 'CSO'],
  ])('finds the name before the acronym in %s', (text, name, short) => {
    expect(findAcronymNames(text)[0]).toMatchObject({ name, short });
  });

  it.each(['the Treaty to Prohibit Nuclear Weapons (TPNW)', 'We met them (NB) today', 'Growth was low (GDP)'])('finds no organisation in %s', (text) => {
    expect(findAcronymNames(text)).toEqual([]);
  });
});

describe('heading and subject forms', () => {
  it.each([
    ['Socialist Alliance: Russia out of Ukraine!', 'Socialist Alliance', 'Russia out of Ukraine!'],
    ['CPI (ML) Liberation: Stop the war!', 'CPI (ML) Liberation', 'Stop the war!'],
    ['PSM – No to war', 'PSM', 'No to war'],
    ['PSM statement: No to war', 'PSM', 'No to war'],
    ['Green Labour Front’s press statement – Stop the evictions', 'Green Labour Front', 'Stop the evictions'],
  ])('splits the organisation prefix of %s', (text, organisation, rest) => {
    expect(splitOrganisationPrefix(text)).toEqual({ organisation, rest });
  });

  it.each(['Ukraine: the facts', 'Warning: prices rise', 'March 1: a day of action'])('sees no organisation prefix in %s', (text) => {
    expect(splitOrganisationPrefix(text)).toBeUndefined();
  });

  it.each([
    ['Partido Lakas ng Masa (PLM) statement on Ukraine', 'Partido Lakas ng Masa (PLM)'],
    ['PSM’s statement on Ukraine', 'PSM'],
    ['Statement of the Riverside Tenants Union on evictions', 'Riverside Tenants Union'],
    ['Communiqué du Collectif Solidarité Ouvrière', 'Collectif Solidarité Ouvrière'],
  ])('reads the organisation of the label %s', (text, organisation) => {
    expect(organisationOfLabel(text)).toBe(organisation);
  });

  it('spells a name found in capitals as the text does elsewhere, else in title case', () => {
    expect(displayName('PARTIDO LAKAS NG MASA', 'The Partido Lakas ng Masa views')).toBe('Partido Lakas ng Masa');
    expect(displayName('GREEN LABOUR FRONT', 'no other mention')).toBe('Green Labour Front');
  });
});

const KNOWN: KnownOrganisation = { id: 'org-1', name: 'Example Workers Party', shortName: 'EWP', senderAddresses: ['press@ewp.example.org'], senderDomains: ['ewp.example.org'] };

function evidence(fields: Partial<OrganisationEvidence>): OrganisationEvidence {
  return { sender: undefined, headings: [], firstParagraph: '', signOff: [], otherLines: [], subject: '', fullText: '', organisations: [], ...fields };
}

describe('guessOrganisation', () => {
  it.each<[string, Partial<OrganisationEvidence>, string, string | null, string]>([
    ['the registry, by sender address', { sender: { name: 'Someone', address: 'press@ewp.example.org' }, organisations: [KNOWN], headings: ['Other Party (OP): x'] }, 'Example Workers Party', 'EWP', 'registry'],
    ['the registry, by sender subdomain', { sender: { name: '', address: 'a@mail.ewp.example.org' }, organisations: [KNOWN] }, 'Example Workers Party', 'EWP', 'registry'],
    ['the registry, by a name in the heading', { headings: ['EWP: Stop the war!'], organisations: [KNOWN] }, 'Example Workers Party', 'EWP', 'registry-text'],
    ['a heading with an acronym', { headings: ['Socialist Party of Malaysia (PSM): No to war'], sender: { name: 'Nurul', address: 'n@example.net' } }, 'Socialist Party of Malaysia', 'PSM', 'heading'],
    ['a heading prefix', { headings: ['Socialist Alliance: Russia out!'], sender: { name: 'Jess Whitfield', address: 'j@example.net' } }, 'Socialist Alliance', null, 'heading'],
    ['a letterhead above the headline', { headings: ['Awami Workers Party', 'No to imperialist war'], firstParagraph: 'We condemn the invasion.' }, 'Awami Workers Party', null, 'heading'],
    ['the first sentence', { firstParagraph: 'The Coastal Farmers Movement demands fair prices.', sender: { name: 'Ben Carter', address: 'b@example.net' } }, 'Coastal Farmers Movement', null, 'text'],
    ['the sign-off block', { signOff: ['Released by,', 'Ana Lopez', 'Secretary', 'Riverside Tenants Union'] }, 'Riverside Tenants Union', null, 'sign-off'],
    ['the subject', { subject: 'Green Labour Front: Stop the evictions' }, 'Green Labour Front', null, 'subject'],
    ['an organisation-like sender name', { sender: { name: 'Partido Lakas ng Masa', address: 'plm@example.org' } }, 'Partido Lakas ng Masa', null, 'sender-name'],
    ['a signature line', { sender: { name: 'Jess Whitfield', address: 'j@example.net' }, otherLines: ['Jess Whitfield', 'Media Liaison | Socialist Alliance'] }, 'Socialist Alliance', null, 'signature'],
    ['a person as sender, as a last resort', { sender: { name: 'Jess Whitfield', address: 'j@example.net' } }, 'Jess Whitfield', null, 'sender-name'],
  ])('from %s', (_case, fields, name, short, source) => {
    const guess = guessOrganisation(evidence(fields));
    expect(guess).toMatchObject({ name, short, provenance: { source } });
  });

  it('is surer of the registry than of a sender name', () => {
    const registry = guessOrganisation(evidence({ sender: { name: '', address: 'press@ewp.example.org' }, organisations: [KNOWN] }))!;
    const person = guessOrganisation(evidence({ sender: { name: 'Jess Whitfield', address: 'j@example.net' } }))!;
    expect(registry.provenance.confidence).toBeGreaterThan(0.9);
    expect(person.provenance.confidence).toBeLessThan(0.5);
  });

  it('finds the short name elsewhere in the text', () => {
    const guess = guessOrganisation(evidence({ headings: ['Green Labour Front: Stop the evictions'], fullText: 'The Green Labour Front (GLF) condemns' }));
    expect(guess).toMatchObject({ name: 'Green Labour Front', short: 'GLF' });
  });
});

describe('guessOrganisation: the organisation, not an office, a mention or a forwarder (issue 11)', () => {
  it.each<[string, Partial<OrganisationEvidence>, string, string | null]>([
    [
      'a body of the party named in the heading gives the party',
      { headings: ['Statement of the National Executive Committee of the Harbour Socialist Party on the port strike'], sender: { name: 'Kofi Mensah', address: 'k@example.net' } },
      'Harbour Socialist Party',
      null,
    ],
    [
      'a letterhead "Full Name (Short)" whose short name is not its initials',
      { headings: ['LEMBAGA ADVOKASI BURUH NUSANTARA (LABURA)', 'Labura menolak revisi undang-undang'], firstParagraph: 'Labura menilai revisi ini merugikan buruh.', fullText: 'LEMBAGA ADVOKASI BURUH NUSANTARA (LABURA)\n\nLabura menolak revisi undang-undang\n\nLabura menilai revisi ini merugikan buruh. Labura akan terus mengawal.' },
      'Lembaga Advokasi Buruh Nusantara',
      'Labura',
    ],
    [
      'a branch written after the short name',
      {
        firstParagraph: 'Serikat Pekerja Media (SPM) Medan mengecam intimidasi terhadap wartawan.',
        fullText: 'Serikat Pekerja Media (SPM) Medan mengecam intimidasi terhadap wartawan. SPM Medan meminta polisi bertindak. SPM Medan juga meminta perusahaan melindungi wartawannya.',
        sender: { name: 'SPM Medan', address: 'spm.medan@example.net' },
      },
      'Serikat Pekerja Media Medan',
      'SPM Medan',
    ],
    [
      'a Persian label naming the party',
      { headings: ['بیانیه حزب کار ایران درباره اعدام زندانیان سیاسی', 'متن بیانیه'], sender: { name: 'رضا کریمی', address: 'r@example.net' } },
      'حزب کار ایران',
      null,
    ],
    [
      'a letterhead the last line repeats, in a script without capitals',
      { headings: ['原発ゼロをめざす市民の会', '声明'], otherLines: ['2024年3月11日', '原発ゼロをめざす市民の会'], sender: { name: '田中 一郎', address: 't@example.net' } },
      '原発ゼロをめざす市民の会',
      null,
    ],
    [
      'the sender’s name written again under a joint statement, not the first co-signer with a short name',
      {
        sender: { name: 'Comisión Andina de Derechos Humanos', address: 'prensa@example.org' },
        signOff: ['Firman:', 'Comisión Andina de Derechos Humanos', 'Red de Mujeres Rurales (REMUR)', 'Sindicato Único de Pescadores'],
        fullText: 'Firman:\nComisión Andina de Derechos Humanos\nRed de Mujeres Rurales (REMUR)\nSindicato Único de Pescadores',
      },
      'Comisión Andina de Derechos Humanos',
      null,
    ],
  ])('%s', (_case, fields, name, short) => {
    const guess = guessOrganisation(evidence(fields))!;
    expect(guess.name).toBe(name);
    expect(guess.short).toBe(short);
  });
});

describe('organisationOfLabel: a headline is not an organisation (issue 11)', () => {
  it.each(['HALT THIS ATTACK ON OUR PENSIONS', 'SUPPORT THE STRIKING WORKERS ON THE DOCKS', 'Hands off our unions on May Day'])('%s names none', (headline) => {
    expect(organisationOfLabel(headline)).toBeUndefined();
  });

  it('still reads a short name or an organisation before "on"', () => {
    expect(organisationOfLabel('KMB on the oil price hike')).toBe('KMB');
    expect(organisationOfLabel('Harbour Workers Federation on the port sale')).toBe('Harbour Workers Federation');
  });

  it('takes no all-caps headline with an organisation word for the organisation', () => {
    const guess = guessOrganisation(evidence({ headings: ['SUPPORT THE STRIKING WORKERS'], sender: { name: 'Dockers Union Media', address: 'media@example.org' } }))!;
    expect(guess.name).toBe('Dockers Union');
  });
});
