import { describe, expect, it } from 'vitest';
import { caselessOpeningSigners, caselessScriptSigners, issuerOfHeadings, parseSignatories, quotedSpeakers, speakersInOpening } from '../../src/extract/signatories.ts';

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
  it('keeps a role as written, with the organisation after it', () => {
    expect(parseSignatories(['Issued by:', 'Farooq Tariq', 'General Secretary, Awami Workers Party'], ['Awami Workers Party'])).toEqual([
      { name: 'Farooq Tariq', role: 'General Secretary, Awami Workers Party' },
    ]);
  });

  it('takes no role from a line that is only the organisation', () => {
    expect(parseSignatories(['Released by,', 'Tomasz Wrona', 'Harbour Workers Federation (HWF)'], ['Harbour Workers Federation'])).toEqual([{ name: 'Tomasz Wrona', role: null }]);
  });

  it('lists no co-signing organisations as signatories (they are co-signers)', () => {
    expect(parseSignatories(['Signed by:', '1. Awami Workers Party (AWP), Pakistan', '2. Left Front, Sri Lanka'], [])).toEqual([]);
    expect(parseSignatories(['Firmaron, entre otras organizaciones:', 'Red Andina de Pescadores', 'SINTRAMAR', 'Colectivo Tierra Libre'], [])).toEqual([]);
    expect(parseSignatories(['Ont signé les organisations suivantes :', 'Ligue ivoirienne des locataires', 'Collectif Eau pour tous'], [])).toEqual([]);
  });

  it('keeps an office listed with people, without its organisation', () => {
    expect(parseSignatories(['Signed by:', 'ZARZĄD KRAJOWY ZWIĄZKU PORTOWCÓW', 'Anna Nowak, przewodnicząca'], ['Związku Portowców'])).toEqual([
      { name: 'Anna Nowak', role: 'przewodnicząca' },
      { name: 'ZARZĄD KRAJOWY', role: null },
    ]);
    expect(parseSignatories(['DIREÇÃO EXECUTIVA DO SINDICATO DOS ESTIVADORES'], [])).toEqual([{ name: 'DIREÇÃO EXECUTIVA', role: null }]);
  });

  it('drops phone numbers after a role and a place-and-date line', () => {
    expect(parseSignatories(['Signataires :', 'Koffi MENSAH, LTDH : 90 00 00 00', 'Awa Traoré, Collectif des juristes : tél. +223 00 00 00 00', 'Lomé, le 3 mai 2021'], [])).toEqual([
      { name: 'Koffi MENSAH', role: 'LTDH' },
      { name: 'Awa Traoré', role: 'Collectif des juristes' },
    ]);
    expect(parseSignatories(['Juma Mwinyi', 'Katibu Mkuu', '', 'MOMBASA', '14 Machi, 2019'], [])).toEqual([{ name: 'Juma Mwinyi', role: 'Katibu Mkuu' }]);
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

describe('issuerOfHeadings: who the heading says issues the statement (issue 11)', () => {
  it.each<[string, string, string[], { name: string; role: string | null }]>([
    ['an English office with its party', 'Statement from the National Executive Committee of the Coastal Farmers Party on the water tariff', ['Coastal Farmers Party'], { name: 'National Executive Committee', role: null }],
    ['a French bureau', 'Déclaration du Bureau national du Syndicat des dockers sur la réforme portuaire', [], { name: 'Bureau national', role: null }],
    ['an Arabic office before its party', 'بيان المكتب السياسي لحزب العمال التقدمي حول الانتخابات', [], { name: 'المكتب السياسي', role: null }],
    ['an Arabic spokesperson of an office', 'تصريح الناطق الرسمي باسم اللجنة التنفيذية في اتحاد النقابات', [], { name: 'الناطق الرسمي باسم اللجنة التنفيذية', role: null }],
    ['a person with the role before the name', 'Statement by Dockers Union General Secretary Helen Okafor on the port closures', [], { name: 'Helen Okafor', role: 'Dockers Union General Secretary' }],
  ])('reads %s', (_case, heading, organisations, expected) => {
    expect(issuerOfHeadings([heading], organisations)).toEqual([expected]);
  });

  it('takes nobody from a headline that only names an organisation or a topic', () => {
    expect(issuerOfHeadings(['Statement on the water tariff', 'بيان حزب العمال التقدمي حول الانتخابات', 'Dockers Union condemns port closures'], [])).toEqual([]);
  });
});

describe('quotedSpeakers: the people quoted as the statement’s voices (issue 11)', () => {
  it('reads a "Quotes attributable to" line', () => {
    expect(quotedSpeakers([['Body text.'], ['Quotes attributable to Teachers Federation President Omar Haddad:'], ['“We will not accept this.”']])).toEqual([
      { name: 'Omar Haddad', role: 'Teachers Federation President' },
    ]);
  });

  it('reads several "Name, Role: „…" paragraphs, the first title of each', () => {
    expect(
      quotedSpeakers([
        ['Die Gewerkschaft lehnt die Pläne ab.'],
        ['Petra Lange, Landesvorsitzende der Gewerkschaft Pflege Nord und Mitglied des Bundesvorstands: „Wir wehren uns.“'],
        ['Kemal Aydin, Personalrat: „Das ist ein Skandal.“'],
      ]),
    ).toEqual([
      { name: 'Petra Lange', role: 'Landesvorsitzende der Gewerkschaft Pflege Nord' },
      { name: 'Kemal Aydin', role: 'Personalrat' },
    ]);
  });

  it('takes nobody from a paragraph that merely starts with a name', () => {
    expect(quotedSpeakers([['Maria Santos, a nurse in Lisbon, lost her job last year.']])).toEqual([]);
  });
});

describe('speakersInOpening: role, name, then a speech verb (issue 11)', () => {
  it.each<[string, string, { name: string; role: string }]>([
    ['Indonesian', 'Sekretaris Jenderal FSPM, Budi Santoso, mengatakan bahwa kebijakan ini merugikan buruh.', { name: 'Budi Santoso', role: 'Sekretaris Jenderal FSPM' }],
    ['English', 'The coordinator of the Tenants Network, Grace Mwangi, said the evictions must stop.', { name: 'Grace Mwangi', role: 'coordinator of the Tenants Network' }],
  ])('reads %s', (_case, text, expected) => {
    expect(speakersInOpening([[text]])).toEqual([expected]);
  });
});

describe('caselessScriptSigners and caselessOpeningSigners: scripts without capitals (issue 11)', () => {
  it.each<[string, string[], { name: string; role: string }[]]>([
    ['a Japanese role then name', ['日本港湾労働組合', '委員長　佐藤花子'], [{ name: '佐藤花子', role: '委員長' }]],
    ['a Korean role then name', ['전국항만노동조합', '위원장 박지훈'], [{ name: '박지훈', role: '위원장' }]],
    ['a Hindi name over its role', ['सुनीता वर्मा', 'अध्यक्ष', 'फ़ोन: 000-0000000'], [{ name: 'सुनीता वर्मा', role: 'अध्यक्ष' }]],
    ['a Thai name over its role', ['สมชาย ใจดี', 'ประธาน'], [{ name: 'สมชาย ใจดี', role: 'ประธาน' }]],
  ])('reads %s', (_case, lines, expected) => {
    expect(caselessScriptSigners(lines)).toEqual(expected);
  });

  it('takes no organisation line for a name', () => {
    expect(caselessScriptSigners(['全国港湾労働組合連合会', '2024年5月1日'])).toEqual([]);
  });

  it('takes no Arabic role followed by the organisation for a signer', () => {
    expect(caselessScriptSigners(['رئيس الاتحاد العام', 'الأمين العام للنقابة'])).toEqual([]);
    expect(caselessScriptSigners(['الأمين العام سمير حداد'])).toEqual([{ name: 'سمير حداد', role: 'الأمين العام' }]);
  });

  it('reads the people an opening names as speaking in a statement (Bengali, Hindi)', () => {
    expect(caselessOpeningSigners([['শ্রমিক জোটের সভাপতি নাসরিন আক্তার ও সাধারণ সম্পাদক কামাল হোসেন এক বিবৃতিতে এই দাবি জানান।']])).toEqual([
      { name: 'নাসরিন আক্তার', role: 'সভাপতি' },
      { name: 'কামাল হোসেন', role: 'সাধারণ সম্পাদক' },
    ]);
    expect(caselessOpeningSigners([['किसान मोर्चा के अध्यक्ष रमेश यादव और महासचिव अनीता सिंह ने एक बयान में कहा कि सरकार को क़ानून वापस लेना चाहिए।']])).toEqual([
      { name: 'रमेश यादव', role: 'अध्यक्ष' },
      { name: 'अनीता सिंह', role: 'महासचिव' },
    ]);
  });
});

describe('speakersInOpening: several people named in the opening sentence (issue 11)', () => {
  it.each<[string, string, { name: string; role: string }[]]>([
    [
      'two names sharing a role (English)',
      'Amina Yusuf and Daniel Brooks, co-chairs of the Coastal Climate Coalition, said the permit ignores the science.',
      [{ name: 'Amina Yusuf', role: 'co-chairs of the Coastal Climate Coalition' }, { name: 'Daniel Brooks', role: 'co-chairs of the Coastal Climate Coalition' }],
    ],
    [
      'two names sharing a role (French)',
      'Claire Dubois et Youssef Benali, co-porte-parole du Collectif des locataires, ont déclaré que la hausse est illégale.',
      [{ name: 'Claire Dubois', role: 'co-porte-parole du Collectif des locataires' }, { name: 'Youssef Benali', role: 'co-porte-parole du Collectif des locataires' }],
    ],
    [
      'two names each with a role (Spanish)',
      'Marta Quiroga, presidenta de la Federación Minera, y Andrés Paz, secretario del Sindicato Portuario, declararon que el acuerdo es un fraude.',
      [{ name: 'Marta Quiroga', role: 'presidenta de la Federación Minera' }, { name: 'Andrés Paz', role: 'secretario del Sindicato Portuario' }],
    ],
  ])('reads %s', (_case, text, expected) => {
    expect(speakersInOpening([[text]])).toEqual(expected);
  });

  it('takes no list of places or organisations for people', () => {
    expect(speakersInOpening([['Santa Cruz and Puerto Montt, two ports in the south, said nothing about the plan.']])).toEqual([]);
  });
});
