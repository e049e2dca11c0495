import { describe, expect, it } from 'vitest';
import { looksLikePersonName } from '../../src/extract/line-kinds.ts';
import { segmentText } from '../../src/extract/segment.ts';

const REF = new Date('2022-03-03T10:00:00Z');
const P1 = 'The Example Party condemns the decision of the government to raise fuel prices again, which hurts every working family in the country.';
const P2 = 'We call on all unions and community groups to join the protest on Saturday and to demand that the increase be withdrawn at once.';
const STATEMENT = `${P1}\n\n${P2}`;

function bodyOf(text: string): string {
  return segmentText(text, REF).body.map((b) => b.join(' ')).join('\n\n');
}

describe('segmentText: what comes before the statement', () => {
  it.each([
    ['a greeting and a cover note', `Dear editors,\n\nPlease find below our statement on fuel prices.\n\n${STATEMENT}`],
    ['a greeting with the note in the same block', `Hi all,\nPlease find below our statement, for publication.\n\n${STATEMENT}`],
    ['a cover note with its own closing and name', `Dear comrades,\n\nPlease find below our statement, released today.\n\nIn solidarity,\nAna Lopez\n\n${STATEMENT}`],
    ['a closing and name in separate blocks (HTML)', `Dear comrades,\n\nWe hope you can publish the statement below.\n\nSolidarity greetings,\n\nAna Lopez\n\n${STATEMENT}`],
    ['a Spanish cover note', `Estimados compañeros:\n\nAdjunto a continuación nuestro comunicado.\n\nSaludos,\nAna\n\n${STATEMENT}`],
    ['a French cover note', `Chers amis,\n\nVous trouverez ci-dessous notre déclaration.\n\n${STATEMENT}`],
    ['no cover note', STATEMENT],
  ])('drops %s', (_case, text) => {
    expect(bodyOf(text)).toBe(STATEMENT);
  });

  it('keeps a statement that opens with "We hope" (no greeting, no closing)', () => {
    const text = `We hope for peace, and we work for it.\n\n${STATEMENT}`;
    expect(bodyOf(text)).toContain('We hope for peace');
  });

  it('reads headings and the dateline', () => {
    const s = segmentText(`Example Party: No to fuel price hikes!\n\nMarch 2, 2022\n\n${STATEMENT}`, REF);
    expect(s.headings.map((h) => h.text)).toEqual(['Example Party: No to fuel price hikes!']);
    expect(s.dateline).toMatchObject({ iso: '2022-03-02', where: 'heading' });
  });

  it('reads a date and headline on one line, and an inline dateline', () => {
    const s = segmentText(`Example Party statement on prices\n\nFebruary 25 No to hikes!\n\n${STATEMENT}`, REF);
    expect(s.headings.map((h) => h.text)).toEqual(['Example Party statement on prices', 'No to hikes!']);
    expect(s.dateline?.iso).toBe('2022-02-25');
    const inline = segmentText(`No to hikes!\n\nMarch 1 - ${STATEMENT}`, REF);
    expect(inline.dateline).toMatchObject({ iso: '2022-03-01', where: 'dateline' });
    expect(inline.body[0]![0]).toBe(P1);
  });
});

describe('segmentText: a greeting under the headline', () => {
  it.each([
    ['English', 'Comrades and friends,'],
    ['French', 'Chères camarades,'],
    ['Vietnamese', 'Kính gửi các bạn,'],
  ])('leaves a %s greeting between headline and statement out of the body', (_case, greeting) => {
    const s = segmentText(`Hands off the fuel subsidy\n\n${greeting}\n\n${STATEMENT}`, REF);
    expect(s.headings.map((h) => h.text)).toEqual(['Hands off the fuel subsidy']);
    expect(s.body.map((b) => b.join(' ')).join('\n\n')).toBe(STATEMENT);
  });
});

describe('segmentText: what comes after the statement', () => {
  it.each([
    ['a signature separator', `${STATEMENT}\n\n-- \nExample Party\nwww.example.org`],
    ['a closing and a signature', `${STATEMENT}\n\nRegards,\n\nJess Smith\nMedia Liaison | Example Party\nM: +61 400 000 000`],
    ['a legal disclaimer', `${STATEMENT}\n\nIMPORTANT: This email and any attachments may contain information that is confidential. If you are not the intended recipient, notify the sender.`],
    ['a land acknowledgement', `${STATEMENT}\n\nWe acknowledge the traditional custodians of the land on which we work.`],
    ['a mobile footer', `${STATEMENT}\n\nSent from my iPhone`],
    ['contact lines', `${STATEMENT}\n\nwww.example.org\npress@example.org`],
    ['an organisation sign-off without a separator', `${STATEMENT}\n\nExample Party\nNational Office`],
    ['a French closing', `${STATEMENT}\n\nSalutations fraternelles,\nLe secrétariat`],
    ['a closing date line', `${STATEMENT}\n\nKuala Lumpur, 27 February 2022`],
  ])('stops at %s', (_case, text) => {
    expect(bodyOf(text)).toBe(STATEMENT);
  });

  it('keeps the "Released by" block apart as the sign-off', () => {
    const s = segmentText(`${STATEMENT}\n\nReleased by,\nChoo Chon Kai\nCentral Committee Member\nExample Party\n\n-- \nSender Name`, REF);
    expect(s.signOff).toEqual(['Released by,', 'Choo Chon Kai', 'Central Committee Member', 'Example Party', '-- ', 'Sender Name'].slice(0, 6));
    expect(s.signOffKind).toBe('marker');
    expect(bodyOf(`${STATEMENT}\n\nReleased by,\nChoo Chon Kai`)).toBe(STATEMENT);
  });

  it('takes unmarked name and role lines ending the text as the sign-off', () => {
    const s = segmentText(`${STATEMENT}\n\nAisha Rahman\n\nPresident`, REF);
    expect(s.signOff).toEqual(['Aisha Rahman', 'President']);
    expect(s.signOffKind).toBe('name-lines');
  });

  it('keeps sections separated by a rule, and stops at a rule followed by a short signature', () => {
    const long = `${STATEMENT}\n\n***\n\n${P1} ${P2} ${P1} ${P2}`;
    expect(bodyOf(long)).toBe(`${STATEMENT}\n\n***\n\n${P1} ${P2} ${P1} ${P2}`);
    expect(bodyOf(`${STATEMENT}\n\n______________\nExample Party, Quezon City`)).toBe(STATEMENT);
  });

  it('keeps a closing slogan that ends with an exclamation mark', () => {
    expect(bodyOf(`${STATEMENT}\n\nLong live international solidarity!`)).toContain('Long live international solidarity!');
  });

  it('keeps in-body sub-headings and lists', () => {
    const text = `${P1}\n\nOur demands\n\n• lower prices;\n• higher wages.\n\n${P2}`;
    expect(bodyOf(text)).toBe(`${P1}\n\nOur demands\n\n• lower prices; • higher wages.\n\n${P2}`);
  });
});

describe('looksLikePersonName', () => {
  it.each([
    ['Choo Chon Kai', true],
    ['Maria dela Cruz', true],
    ['Ahmad bin Ismail', true],
    ['Central Committee Member', false],
    ['Socialist Alliance', false],
    ['We call', false],
    ['Aisha', false],
  ])('%s -> %s', (text, expected) => {
    expect(looksLikePersonName(text)).toBe(expected);
  });
});

describe('segmentText: signatures without a separator', () => {
  it('takes a name with contact lines after the text as a signature, not a sign-off', () => {
    const s = segmentText(`${STATEMENT}\n\nThe Org\npress@org.example.org | https://org.example.org\n+00 000 0000`, REF);
    expect(s.body.map((b) => b.join(' ')).join('\n\n')).toBe(STATEMENT);
    expect(s.signOff).toEqual([]);
  });
});

describe('segmentText: trailing blocks after the last sentence (issue 11)', () => {
  it.each([
    ['a press contact lead with phone and e-mail', `${STATEMENT}\n\nFor more information, contact Lena Brandt on +00 000 0000 or press@party.example.org`],
    ['a contact block with a lead in Indonesian', `${STATEMENT}\n\nNarahubung:\nRina Wulandari (0000 0000 0000)`],
    ['a postal address and social links', `${STATEMENT}\n\nExample Party\n12 Harbour Road, Port Town 0000\nfacebook.com/exampleparty | twitter: @exampleparty`],
    ['a place-and-date line and the organisation', `${STATEMENT}\n\nPort Town, 3 March 2022\nExample Party`],
    ['a Russian contact lead', `${STATEMENT}\n\nКонтакты: +0 000 000-00-00`],
    ['a media enquiries line naming the organisation', `${STATEMENT}\n\nAll FWU media enquiries should be directed to the FWU press team: T: 00 0000 0000`],
    ['a call to join after the statement', `${STATEMENT}\n\nJoin us and become a member of the Riverside Nurses Union today.`],
    ['a French disclaimer about mail received by mistake', `${STATEMENT}\n\nSi vous avez reçu ce courriel par erreur, merci d'en avertir l'expéditeur et de le supprimer.`],
    ['a closing date with the year word', `${STATEMENT}\n\nPoznań, 4 marca 2022 r.`],
    // A contact lead and all that follows it, even when the lines under it are long or end with an acronym in brackets.
    ['a contact lead over an office, its name and address in one block', `${STATEMENT}\n\nFor further information please contact:\nGeneral Secretary,\nRiverside Tenants Federation (RTF)\nUnit 4, Old Mill Buildings, 221 Canal Street, Riverside\nTel: +00 00 0000 0000`],
    ['a lead line of its own with the phone under it', `${STATEMENT}\n\nAll press enquiries for the Harbour Pilots Guild should go to its duty officer:\nT: 00 0000 0000 (any time)\nE: duty@pilots.example.org`],
    ['a German contact lead over a long address line', `${STATEMENT}\n\nPressekontakt:\nVerband der Fährleute, Hafenstraße 12, Gebäude C, 20000 Hafenstadt\nTelefon: +00 00 000000`],
    ['the organisation with its acronym, its office and a Hindi phone line', `${STATEMENT}\n\nकिसान मज़दूर संगठन (किमस)\nकेंद्रीय कार्यालय, 12 नदी मार्ग, नगर-000000\nफ़ोन: 000-00000000`],
    ['a Thai date line and the organisation with its acronym', `${STATEMENT}\n\n3 มีนาคม 2565\nสมาพันธ์ชาวประมงพื้นบ้าน (สชป.)`],
  ])('leaves out %s', (_case, text) => {
    expect(bodyOf(text)).toBe(STATEMENT);
  });

  it('keeps the short last line of a hard-wrapped paragraph', () => {
    const wrapped = 'We call on all unions and community groups to join the protest on\nSaturday and to demand that the increase be withdrawn as the\ngovernment would like us to forget';
    expect(bodyOf(`${P1}\n\n${wrapped}`)).toBe(`${P1}\n\n${wrapped.replace(/\n/g, ' ')}`);
  });

  it('ends a sentence at the full stop of any script: an Armenian paragraph is text, not a heading', () => {
    const hy = 'Միությունը դատապարտում է կառավարության որոշումը և պահանջում է անհապաղ վերանայել այն։';
    const hy2 = 'Մենք կոչ ենք անում բոլոր արհմիություններին միանալ բողոքի ակցիային շաբաթ օրը։';
    const s = segmentText(`Վերնագիր՝ ոչ թանկացմանը\n\n${hy}\n\n${hy2}`, REF);
    expect(s.headings.map((h) => h.text)).toEqual(['Վերնագիր՝ ոչ թանկացմանը']);
    expect(s.body.map((b) => b.join(' '))).toEqual([hy, hy2]);
  });

  it('does not take a short media office line for a signer', () => {
    const s = segmentText(`${STATEMENT}\n\nPersatuan Nelayan Pantai (PNP)\n\nBiro Media PNP`, REF);
    expect(s.signOff).toEqual([]);
  });

  it('reads a place-and-date line after the text as the statement date', () => {
    expect(segmentText(`${STATEMENT}\n\nPort Town, 2 March 2022\nExample Party`, REF).dateline).toMatchObject({ iso: '2022-03-02', where: 'closing-date' });
  });

  it('takes a press officer under her title for a press contact, not a signer', () => {
    const s = segmentText(`${STATEMENT}\n\nMedia Relations Officer\nJana Novak`, REF);
    expect(s.signOff).toEqual([]);
  });

  it('strips a dateline with a place and its state before the first sentence', () => {
    expect(bodyOf(`SPRINGFIELD, ILL., March 1, 2022 — ${P1}`)).toBe(P1);
  });

  it('takes a name and role after the text as a sign-off when a contact lead, not the signer, owns the phone', () => {
    const s = segmentText(`${STATEMENT}\n\nLena Brandt\nChairperson\n\nMedia contact:\nTom Field +00 000 0000`, REF);
    expect(s.signOff).toEqual(['Lena Brandt', 'Chairperson']);
  });
});

describe('segmentText: between the headline and the text (issue 11)', () => {
  it.each([
    ['a heading in capitals run into the first paragraph (PDF text)', `WE WILL NOT PAY FOR THEIR CRISIS\n${P1}\n\n${P2}`, 'WE WILL NOT PAY FOR THEIR CRISIS'],
    ['Portuguese capitals over two lines', `OS PESCADORES NÃO ACEITAM\nO NOVO DECRETO\nA Associação dos Pescadores rejeita o decreto publicado ontem pelo governo, que reduz as quotas.\n\n${P2}`, 'OS PESCADORES NÃO ACEITAM O NOVO DECRETO'],
  ])('splits %s', (_case, text, heading) => {
    const s = segmentText(text, REF);
    expect(s.headings.map((h) => h.text)).toEqual([heading]);
    expect(s.body.length).toBe(2);
  });

  it.each([
    ['event details and a press contact (Chinese)', `漁民聯盟今日行動新聞稿\n\n反對填海、保護漁場！\n\n地點：市政府廣場\n\n時間：下午三時\n\n新聞聯絡人：王小明（0000-000000）\n\n${STATEMENT}`],
    ['a press contact line under the headline (English)', `No to the port sell-off!\n\nPress contact: Ruth Adeyemi, +00 000 0000\n\n${STATEMENT}`],
    ['standfirst bullets above a date standing alone (Spanish)', `La federación exige la retirada del decreto\n\n- El decreto recorta las pensiones de viudedad.\n- La federación convoca concentraciones el jueves.\n\n4 de marzo de 2022\n\n${STATEMENT}`],
    ['a lead-in presenting the statement that follows (Indonesian)', `Tolak kenaikan harga BBM!\n\nDewan Pimpinan Serikat Nelayan mengeluarkan pernyataan berikut pada 2 Maret:\n\n${P1}\n\n${STATEMENT}`],
    ['a sentence describing the document, ending with its inflected label (Turkish)', `LİMAN İŞÇİLERİ SOKAĞA ÇIKIYOR\n\nLiman-Sen Yönetim Kurulu'nun limanın özelleştirilmesiyle ilgili basın açıklamasıdır.\n\n${P1}\n\n${STATEMENT}`],
    ['a one-sentence summary the first paragraph repeats (French)', `Communiqué\n\nLes marins refusent la fermeture du port.\n\nLe syndicat refuse la fermeture annoncée du port de pêche.\n\nLe syndicat des marins refuse la fermeture annoncée du port de pêche et appelle à la grève.\n\n${STATEMENT}`],
  ])('leaves out %s', (_case, text) => {
    const body = bodyOf(text);
    expect(body.endsWith(P2)).toBe(true);
    expect(body).not.toMatch(/新聞聯絡人|Press contact|El decreto recorta|pernyataan berikut|refuse la fermeture annoncée du port de pêche\.\n/);
  });

  it('takes a one-line headline ending with a full stop under a kicker label', () => {
    const s = segmentText(`Communiqué de presse\n\nLes marins refusent la fermeture du port.\n\n${STATEMENT}`, REF);
    expect(s.headings.map((h) => h.text)).toEqual(['Les marins refusent la fermeture du port.']);
    expect(s.headings[0]!.afterLabel).toBe(true);
  });

  it('keeps a sentence announcing a quote ("gave the following statement.")', () => {
    const own = 'Il segretario della Filca, Anna Rossi, ha rilasciato oggi la seguente dichiarazione.';
    expect(bodyOf(`Porto, la Filca contro la chiusura\n\n${own}\n\n${STATEMENT}\n\n${P1}`)).toMatch(/^Il segretario della Filca/);
  });

  it('keeps a lead-in that is the statement\'s own first sentence (no "following")', () => {
    const own = 'Diante dos boatos, a direção esclarece, por meio desta nota oficial:';
    expect(bodyOf(`Nota sobre os boatos\n\n${own}\n\n${STATEMENT}\n\n${P1}`)).toMatch(/^Diante dos boatos/);
  });

  it('starts the text at a section heading ("Introduction", "Latar belakang")', () => {
    for (const section of ['Introduction', 'I- Contexte', 'Latar Belakang']) {
      const s = segmentText(`Déclaration du comité\n\n12/03/2022\n\n${section}\n\n${STATEMENT}`, REF);
      expect(s.body[0]).toEqual([section]);
    }
  });

  it('splits a standfirst from the headline in one block, and does not read its date', () => {
    const s = segmentText(`Dockers condemn the lockout of the port by the\nharbour authority\nCalling all members to join the picket from\nMarch 1.\n\n2 March 2022\n\n${STATEMENT}`, REF);
    expect(s.headings.map((h) => h.text)).toEqual(['Dockers condemn the lockout of the port by the harbour authority']);
    expect(s.dateline?.iso).toBe('2022-03-02');
  });

  it('skips an address line in a letterhead, and not a date of digits', () => {
    const s = segmentText(`Unió de Pagesos\n\nCarrer Major 00, 08000 Vic - Tel. 00.000.00.00\n\n02/03/2022\n\nEls pagesos diuen prou!\n\n${STATEMENT}`, REF);
    expect(s.headings.map((h) => h.text)).toEqual(['Unió de Pagesos', 'Els pagesos diuen prou!']);
    expect(s.dateline?.iso).toBe('2022-03-02');
  });
});

describe('segmentText: an open letter\'s salutation under the headline (issue 11)', () => {
  it.each([
    ['Persian, over two lines, ending with an Arabic comma', 'عالیجناب وزیر کار\nجناب آقای نمونه،'],
    ['Spanish', 'Excelentísimo señor ministro de Trabajo:'],
    ['French', 'Monsieur le Premier ministre,'],
    ['Malay', 'Yang Berhormat Menteri Sumber Manusia,'],
  ])('leaves out %s', (_case, salutation) => {
    expect(bodyOf(`Open letter on the fuel price\n\n${salutation}\n\n${STATEMENT}`)).toBe(STATEMENT);
  });
});
