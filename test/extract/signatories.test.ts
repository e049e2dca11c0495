import { describe, expect, it } from 'vitest';
import { parseSignatories, speakersInOpening } from '../../src/extract/signatories.ts';

describe('parseSignatories', () => {
  it.each<[string, string[], { name: string; role: string | null }[]]>([
    ['a "Released by," block', ['Released by,', 'Choo Chon Kai', 'Central Committee Member', 'Socialist Party of Malaysia / Parti Sosialis Malaysia (PSM)'], [{ name: 'Choo Chon Kai', role: 'Central Committee Member' }]],
    ['name, role pairs', ['Signed,', 'Maria Dela Cruz, National Chairperson', 'Tomas Reyes, General Secretary'], [{ name: 'Maria Dela Cruz', role: 'National Chairperson' }, { name: 'Tomas Reyes', role: 'General Secretary' }]],
    ['a marker with the name on its line', ['Signed: Ana Lopez, Spokesperson'], [{ name: 'Ana Lopez', role: 'Spokesperson' }]],
    ['a Spanish "Firman:" block', ['Firman:', 'Lucía Fernández, Secretaria General', 'Jorge Paredes (Secretario de Prensa)'], [{ name: 'Lucía Fernández', role: 'Secretaria General' }, { name: 'Jorge Paredes', role: 'Secretario de Prensa' }]],
    ['name and role lines without a marker', ['Aisha Rahman', 'President'], [{ name: 'Aisha Rahman', role: 'President' }]],
    ['an office issuing the statement', ['Issued by the Central Committee'], [{ name: 'Central Committee', role: null }]],
    ['a name without a role', ['Released by', 'Ana Lopez'], [{ name: 'Ana Lopez', role: null }]],
  ])('reads %s', (_case, lines, expected) => {
    expect(parseSignatories(lines, ['Socialist Party of Malaysia'])).toEqual(expected);
  });

  it('stops at the email signature after the block', () => {
    expect(parseSignatories(['Released by,', 'Choo Chon Kai', 'Central Committee Member', '-- ', 'Nurul Aisyah Hamzah', 'Parti Sosialis Malaysia (PSM)'], [])).toEqual([
      { name: 'Choo Chon Kai', role: 'Central Committee Member' },
    ]);
  });

  it('finds nobody in contact lines', () => {
    expect(parseSignatories(['M: +61 400 000 000', 'www.example.org'], [])).toEqual([]);
  });
});

describe('parseSignatories: organisations and affiliations', () => {
  it('drops the organisation written after a role', () => {
    expect(parseSignatories(['Issued by:', 'Farooq Tariq', 'General Secretary, Awami Workers Party'], ['Awami Workers Party'])).toEqual([
      { name: 'Farooq Tariq', role: 'General Secretary' },
    ]);
  });

  it('lists co-signing organisations when no person signs', () => {
    expect(parseSignatories(['Signed by:', '1. Awami Workers Party (AWP), Pakistan', '2. Left Front, Sri Lanka'], [])).toEqual([
      { name: 'Awami Workers Party (AWP), Pakistan', role: null },
      { name: 'Left Front, Sri Lanka', role: null },
    ]);
  });
});

describe('speakersInOpening (people named as the speakers in the opening, issue 11)', () => {
  it.each([
    ['Name, Role, said:', 'Lena Brandt, HFU General Secretary, said:', { name: 'Lena Brandt', role: 'HFU General Secretary' }],
    ['…, Role Name said:', 'Responding to the port closures, Dockers Union president Amara Okoye said:', { name: 'Amara Okoye', role: 'Dockers Union president' }],
    ['a French lead-in', 'Marc Leroy, secrétaire général du SNEP, a déclaré :', { name: 'Marc Leroy', role: 'secrétaire général du SNEP' }],
  ])('%s', (_case, line, speaker) => {
    expect(speakersInOpening([[line], ['“We will not load arms for the war,” the union said in its statement today.']])).toEqual([speaker]);
  });

  it('takes nobody merely mentioned in the text', () => {
    expect(speakersInOpening([['The union met the minister, Paul Grant, on Monday and told him that the closures must stop.']])).toEqual([]);
  });
});

describe('speakersInOpening: the speaker named after the verb or before an auxiliary', () => {
  it.each<[string, string, { name: string; role: string }]>([
    ['an English verb then "role, name"', '“We will not be silenced,” said the national secretary of the Dockers Union, Peter Mwangi.', { name: 'Peter Mwangi', role: 'national secretary of the Dockers Union' }],
    ['a Spanish verb then role and name without a comma', '«No aceptaremos recortes», afirma la secretaria general Lucía Navarro.', { name: 'Lucía Navarro', role: 'secretaria general' }],
    ['an Italian role with capitals then the name', '«Basta precarietà», dichiara il Segretario Generale Marco De Luca.', { name: 'Marco De Luca', role: 'Segretario Generale' }],
    ['a German present-tense verb', 'Anna Becker, Vorsitzende des Landesverbands, erklärt:', { name: 'Anna Becker', role: 'Vorsitzende des Landesverbands' }],
    ['role, name, then an auxiliary', 'Il segretario della Filcams di Torino, Paolo Neri, ha rilasciato la seguente dichiarazione.', { name: 'Paolo Neri', role: 'segretario della Filcams di Torino' }],
  ])('reads %s', (_case, text, expected) => {
    expect(speakersInOpening([[text]])).toEqual([expected]);
  });

  it('takes nobody merely mentioned after a verb', () => {
    expect(speakersInOpening([['The minister said the plan would go ahead next year.']])).toEqual([]);
  });
});
