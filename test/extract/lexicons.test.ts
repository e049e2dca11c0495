// Greeting, closing, cover-note and kicker lexicons per language family (issue 11). Each case is
// a kind of line, written for these tests, not a fixture's words.
import { describe, expect, it } from 'vitest';
import { isKicker, LABEL_PREFIX } from '../../src/extract/lexicons.ts';
import { CLOSING, COVER_PHRASE, GREETING } from '../../src/extract/patterns.ts';

describe('greetings to the editors', () => {
  it.each(['Chères camarades,', 'Queridas compañeras:', 'Liebe Kolleginnen und Kollegen,', 'Cari compagni,', 'Drodzy towarzysze,', 'Αγαπητοί σύντροφοι,', 'Уважаемые коллеги!', 'Шановні колеги,', 'Rekan-rekan redaksi,', 'Mga kasama,', 'Kính gửi Ban biên tập,', 'الرفاق الأعزاء،', 'دوستان گرامی،', 'חברים יקרים,', 'प्रिय साथियों,', '동지 여러분,', '各位编辑：', '編集部御中', 'เรียน บรรณาธิการ'])('%s', (line) => {
    expect(GREETING.test(line)).toBe(true);
  });
  it.each(['Compagni della redazione, ecco il testo del nostro comunicato che vi chiediamo di pubblicare.', 'Workers of the harbour have struck for three days.'])('not a greeting: %s', (line) => {
    expect(GREETING.test(line)).toBe(false);
  });
});

describe('closings', () => {
  it.each(['Fraternellement,', 'Saludos fraternos,', 'Saudações sindicais,', 'Mit solidarischen Grüßen', 'Z pozdrowieniami,', 'Dayanışmayla,', 'С товарищеским приветом,', 'З повагою,', 'Salam perjuangan,', 'Trân trọng,', 'مع خالص التحية،', 'با احترام،', 'בברכה,', 'सादर,', '연대하며,', '此致', 'よろしくお願いいたします。', 'ขอแสดงความนับถือ'])('%s', (line) => {
    expect(CLOSING.test(line)).toBe(true);
  });
});

describe('cover-note phrases', () => {
  it.each(['Je vous transmets le texte pour publication.', 'Os envío la declaración para su publicación.', 'Anbei zur Veröffentlichung unsere Erklärung.', 'Пересылаю заявление для публикации.', 'أرسل إليكم البيان للنشر.', 'ส่งแถลงการณ์มาเพื่อเผยแพร่', '请贵刊刊登我们的声明。', '성명을 게재해 주시기 바랍니다.'])('%s', (text) => {
    expect(COVER_PHRASE.test(text)).toBe(true);
  });
});

describe('kicker labels above a headline', () => {
  it.each(['MEDIA RELEASE', 'Comunicado de prensa', 'COMUNICATO STAMPA', 'Presseerklärung', 'Basın Açıklaması', 'ORTAK AÇIKLAMA', 'ΔΕΛΤΙΟ ΤΥΠΟΥ', 'Заявление', 'Siaran Pers', 'Tuyên bố', 'بيان صحفي', 'بیانیه', 'הודעה לעיתונות', 'प्रेस विज्ञप्ति', '[보도자료]', '【声明】', '新聞稿', 'แถลงการณ์', 'HFU Press Release', 'Communiqué de presse du Syndicat des dockers'])('%s is a kicker', (line) => {
    expect(isKicker(line)).toBe(true);
  });
  it.each(['Dockers reject the statement of the port authority', 'Ministers must act on the statement they signed', 'Stop the evictions now!'])('%s is a headline', (line) => {
    expect(isKicker(line)).toBe(false);
  });
  it('takes a label with a colon off a headline', () => {
    expect('Comunicado conjunto: Las urnas no mienten'.replace(LABEL_PREFIX, '')).toBe('Las urnas no mienten');
    expect('বিবৃতি: শ্রমিকদের মুক্তি চাই'.replace(LABEL_PREFIX, '')).toBe('শ্রমিকদের মুক্তি চাই');
  });
});
