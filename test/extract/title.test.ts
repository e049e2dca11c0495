import { describe, expect, it } from 'vitest';
import { chooseTitle, cleanSubject, subjectTitle } from '../../src/extract/title.ts';
import { segmentText } from '../../src/extract/segment.ts';

describe('cleanSubject', () => {
  it.each([
    ['Fwd: [Statement] PRESS RELEASE: No to war', 'No to war'],
    ['RE: FW: Statement: Peace now', 'Peace now'],
    ['AW: WG: Erklärung: Frieden jetzt', 'Frieden jetzt'],
    ['TR: Communiqué : Non à la guerre', 'Non à la guerre'],
    ['PSM’s statement on Ukraine – for publication', 'PSM’s statement on Ukraine'],
    ['No to war (for publication)', 'No to war'],
    ['', ''],
  ])('%s -> %s', (subject, expected) => {
    expect(cleanSubject(subject)).toBe(expected);
  });
});

describe('subjectTitle', () => {
  it.each([
    ['PSM statement - No to war in Ukraine!', 'No to war in Ukraine!'],
    ['PRESS RELEASE: Socialist Alliance – Russia out of Ukraine!', 'Russia out of Ukraine!'],
    ['Fwd: Green Labour Front: Stop the evictions', 'Stop the evictions'],
    ['Statement on the river evictions', 'Statement on the river evictions'],
  ])('%s -> %s', (subject, expected) => {
    expect(subjectTitle(subject)).toBe(expected);
  });
});

describe('chooseTitle', () => {
  it.each<[string[], string, string, string]>([
    [['Socialist Alliance: Russia out of Ukraine! No to NATO!'], 'x', 'Russia out of Ukraine! No to NATO!', 'heading'],
    [['Partido Lakas ng Masa (PLM) statement on Ukraine', 'Stop the bombings!'], 'x', 'Stop the bombings!', 'heading'],
    [['PARTIDO LAKAS NG MASA (PLM)', 'Stop the bombings!'], 'x', 'Stop the bombings!', 'heading'],
    [['SOCIALIST PARTY OF MALAYSIA / PARTI SOSIALIS MALAYSIA (PSM)', 'No to war in Ukraine!'], 'x', 'No to war in Ukraine!', 'heading'],
    [['Communiqué du Collectif Solidarité Ouvrière (CSO)', 'Non à la guerre'], 'x', 'Non à la guerre', 'heading'],
    [['Partido Lakas ng Masa (PLM) statement on Ukraine'], 'x', 'Partido Lakas ng Masa (PLM) statement on Ukraine', 'heading'],
    [[], 'Fwd: [Statement] Peace now', 'Peace now', 'subject'],
  ])('%j with subject %s -> %s', (headings, subject, title, source) => {
    expect(chooseTitle(headings, subject)).toMatchObject({ title, provenance: { source } });
  });

  it('has no title without heading or subject', () => {
    expect(chooseTitle([], undefined)).toBeUndefined();
  });
});

describe('headline vs standfirst and letterheads (issue 11)', () => {
  it('takes the headline without the standfirst the subject leaves out', async () => {
    const { segmentText } = await import('../../src/extract/segment.ts');
    const text = `Dockers condemn the arrest of union leaders\nA general strike is called for Monday in every port of the region\n\n${'The Harbour Freight Union condemns the arrest of its leaders this morning and calls on all dockers to stop work. '.repeat(3)}`;
    const s = segmentText(text, undefined, 'Dockers condemn the arrest of union leaders');
    expect(chooseTitle(s.headings.map((h) => h.text), 'Dockers condemn the arrest of union leaders')?.title).toBe('Dockers condemn the arrest of union leaders');
  });

  it('skips a letterhead in capitals with an acronym that is not its initials', () => {
    expect(chooseTitle(['LIGA PEMBELA HAK BURUH (LIBERTAS)', 'Libertas menolak upah murah'], 'Siaran pers')?.title).toBe('Libertas menolak upah murah');
  });
});

describe('chooseTitle: letterheads, rubrics and kickers around the headline (issue 11)', () => {
  const REF = new Date('2022-03-03T10:00:00Z');
  const TEXT = 'The federation rejects the decree published yesterday, which cuts the pensions of every retired fisher in the region.\n\nWe call on all members to join the protest in front of the ministry on Thursday morning.';
  function titleOf(text: string, subject = 'For publication'): string | undefined {
    const s = segmentText(text, REF, subject);
    return chooseTitle(s.headings.map((h) => h.text), subject, s.labels, s.headings)?.title;
  }

  it.each([
    ['a letterhead above the kicker (French)', `Fédération des retraités de la pêche — FRP\n\n2 mars 2022\n\nCommuniqué de presse\n\nUn décret injuste et brutal.\n\n${TEXT}`, 'Un décret injuste et brutal.'],
    ['a rubric above the date and the headline in capitals under it', `Communiqué de presse de la FRP\n\nDossier des pensions\n\nmercredi 2 mars 2022\n\nLE DÉCRET DOIT ÊTRE RETIRÉ\nSANS DÉLAI !\n\n${TEXT}`, 'LE DÉCRET DOIT ÊTRE RETIRÉ SANS DÉLAI !'],
    ['an organisation, its media office and address above the date (Catalan)', `Unió de Pescadors Jubilats (UPJ)\n\nGabinet de premsa de la UPJ\n\nCarrer del Port 00 - 08000 Palamós - Tel. 00.000.00.00\n\n2 de març de 2022\n\nELS PESCADORS JUBILATS EXIGEIXEN RETIRAR EL DECRET\n\n${TEXT}`, 'ELS PESCADORS JUBILATS EXIGEIXEN RETIRAR EL DECRET'],
    ['only a letterhead above the kicker (Japanese)', `年金者漁民の会\n\n声明\n\n${TEXT}`, '声明'],
    ['only a letterhead above the kicker (Swahili)', `SHIRIKISHO LA WAVUVI WASTAAFU\n\nTAARIFA KWA VYOMBO VYA HABARI\n\n${TEXT}`, 'TAARIFA KWA VYOMBO VYA HABARI'],
    ['a telling kicker over a numbered one (French)', `Chers amis de la presse,\n\nCommuniqué de presse pour la libération des pêcheurs détenus\n\nCOMMUNIQUE DE PRESSE N° 007/2022\n\n${TEXT}`, 'Communiqué de presse pour la libération des pêcheurs détenus'],
    ['a bare kicker over one naming the issuer (Spanish)', `Comunicado\n\nDeclaración de la Federación de Pescadores Jubilados (FPJ)\n\n${TEXT}`, 'Declaración de la Federación de Pescadores Jubilados (FPJ)'],
    ['two kickers: the one nearest the text (Tagalog)', `Pahayag ng SMP (Samahan ng Mangingisdang Pensiyonado)\n\nPAHAYAG NG PAGTUTOL SA DEKRETO\n\n${TEXT}`, 'PAHAYAG NG PAGTUTOL SA DEKRETO'],
  ])('takes the headline under %s', (_case, text, title) => {
    expect(titleOf(text)).toBe(title);
  });

  it('keeps the headline when no label or date stands between headings', () => {
    expect(titleOf(`Fishers say no to the decree!\n\n${TEXT}`)).toBe('Fishers say no to the decree!');
  });
});
