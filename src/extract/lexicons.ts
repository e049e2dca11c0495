// Word lists per language family for the parts around a statement: greetings to the editors,
// closings, and the kicker labels set above a headline ("PRESS RELEASE", "Communiqué",
// "Pressemitteilung", "声明", "بيان"). Scripts without spaces between words (Chinese, Japanese,
// Thai) are matched without word boundaries. Pure data.

function alternation(words: string[]): string {
  return [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** Greetings that open a note in languages the English-centred GREETING pattern does not know. */
const GREETING_WORDS = [
  'chers camarades', 'chères camarades', 'chers amis', 'chères amies', 'chers collègues', 'mesdames, messieurs', 'madame, monsieur', 'mesdames et messieurs',
  'queridos compañeros', 'queridas compañeras', 'estimados compañeros', 'estimadas compañeras', 'compañeros', 'compañeras', 'compas',
  'caros camaradas', 'caros companheiros', 'queridos camaradas', 'companheiros', 'companheiras', 'camaradas', 'camarades',
  'liebe kolleginnen und kollegen', 'liebe genossinnen und genossen', 'liebe freundinnen und freunde', 'liebe genossen', 'liebe kollegen',
  'cari compagni', 'care compagne', 'cari colleghi', 'gentile redazione', 'spettabile redazione', 'alla redazione', 'compagni', 'compagne',
  'estimats companys', 'benvolguts companys', 'benvolguts', 'companys', 'beste kameraden', 'beste collega\'s',
  'drodzy towarzysze', 'drodzy koledzy', 'szanowni państwo', 'szanowna redakcjo', 'sevgili yoldaşlar', 'değerli dostlar', 'değerli basın emekçileri', 'değerli', 'sayın editör', 'sayın', 'merhaba', 'bonsoir', 'buenas noches', 'buonasera', 'boa noite', 'guten abend',
  'αγαπητοί σύντροφοι', 'αγαπητοί συνάδελφοι', 'αγαπητοί φίλοι', 'αγαπητή σύνταξη', 'σύντροφοι',
  'товарищи', 'уважаемые коллеги', 'уважаемые товарищи', 'уважаемая редакция', 'дорогие товарищи', 'дорогие друзья', 'здравствуйте',
  'шановні колеги', 'шановна редакціє', 'дорогі друзі', 'друзі', 'товариші', 'шановні',
  'kawan-kawan', 'kawan kawan', 'rekan-rekan', 'rekan rekan', 'saudara-saudara', 'teman-teman', 'rakan-rakan', 'sahabat-sahabat', 'yth. redaksi', 'kepada redaksi',
  'mga kasama', 'kasama', 'ndugu wahariri', 'ndugu', 'wapendwa', 'kwa mhariri', 'kính gửi', 'thân gửi', 'các đồng chí', 'các bạn thân mến',
  'رفاقي الأعزاء', 'الرفاق الأعزاء', 'الرفيقات والرفاق', 'الأعزاء', 'إلى هيئة التحرير', 'السادة المحررين', 'رفقای گرامی', 'دوستان گرامی', 'رفقا', 'رفقای عزیز',
  'حضرات', 'محترم مدیر', 'חברים יקרים', 'חברות וחברים', 'למערכת', 'שלום רב', 'प्रिय साथियों', 'साथियों', 'प्रिय', 'আদরণীয়', 'প্রিয় কমরেড', 'কমরেড', 'প্রিয়',
  'அன்புள்ள', 'தோழர்களே', 'அன்பு தோழர்களே', 'साथीहरू', 'प्रिय साथीहरू', 'آداب', 'محترم', 'عزیز ساتھیو', 'ساتھیو',
  '동지 여러분', '동지들께', '편집자님께', '편집부 귀중', '여러분',
  // Salutations of an open letter to an office holder.
  'your excellency', 'his excellency', 'her excellency', 'excelentísimo', 'excelentísima', 'excmo.', 'excma.', 'vossa excelência', 'sua excelência', 'excelência',
  'monsieur le président', 'madame la présidente', 'monsieur le premier ministre', 'madame la première ministre', 'monsieur le ministre', 'madame la ministre',
  'sehr geehrter herr', 'sehr geehrte frau', 'egregio', 'illustrissimo', 'szanowny panie', 'szanowna pani', 'sayın bakan', 'yang berhormat', 'yang mulia', 'mheshimiwa',
  'kính thưa', 'فخامة', 'معالي', 'سعادة', 'حضرة', 'عالیجناب', 'جناب', 'جناب آقای', 'माननीय', 'মাননীয়', 'ஐயா', 'عزت مآب',
].map((w) => w.toLowerCase());
/** Greetings written without spaces after them (CJK, Thai): "同志们：", "各位朋友：", "報道関係各位", "เรียน กองบรรณาธิการ". */
const GREETING_UNSPACED = ['同志们', '同志們', '各位朋友', '各位同志', '各位编辑', '各位編輯', '编辑部', '編輯部', '各位', '報道関係各位', '関係各位', '編集部御中', '編集部 御中', '御中', '皆様', '皆さま', 'みなさま', 'เรียน', 'ถึง'];

export const GREETING_WIDE = new RegExp(
  `^(?:(?:${alternation(GREETING_WORDS)})(?![\\p{L}\\p{M}])[^.!?。]{0,40}|(?:${alternation(GREETING_UNSPACED)})[^.!?。]{0,24})[,，、:：!！;]?\\s*$`,
  'iu',
);

/** Closings of a note or letter, beyond the English-centred CLOSING pattern. */
const CLOSING_WORDS = [
  'fraternellement', 'salutations fraternelles', 'salutations syndicales', 'bien fraternellement', 'avec nos salutations', 'cordialement', 'amicalement',
  'saludos fraternos', 'un abrazo fraterno', 'abrazo fraterno', 'saludos compañeros', 'saudações', 'saudações fraternas', 'saudações sindicais',
  'saluti fraterni', 'un saluto', 'saluti', 'salutacions', 'una abraçada', 'mit solidarischen grüßen', 'solidarische grüße', 'herzliche grüße', 'mit kollegialen grüßen',
  'z pozdrowieniami', 'pozdrawiam', 'z wyrazami szacunku', 'dayanışmayla', 'saygılarımla', 'selamlar', 'με συντροφικούς χαιρετισμούς', 'με εκτίμηση', 'χαιρετισμούς',
  'с уважением', 'с товарищеским приветом', 'с приветом', 'з повагою', 'з товариським вітанням', 'salam solidaritas', 'salam perjuangan', 'hormat kami', 'hormat saya',
  'salam hormat', 'wassalam', 'terima kasih', 'salam', 'mabuhay', 'kwa heshima', 'asante', 'kwa dhati', 'trân trọng', 'thân ái', 'chào đoàn kết',
  'مع التحية', 'مع التحية الرفاقية', 'مع تحياتي', 'مع خالص التحية', 'تحياتي', 'با درودهای رفیقانه', 'با درود', 'با احترام', 'با سپاس',
  'בברכה', 'בברכת', 'בברכת חברים', 'सादर', 'धन्यवाद', 'लाल सलाम', 'लाल सलाम सहित', 'শুভেচ্ছা', 'লাল সালাম', 'ধন্যবাদ', 'நன்றி', 'தோழமையுடன்',
  'শুভেচ্ছান্তে', 'سلام کے ساتھ', 'شکریہ', 'ख़ैर', 'धन्यवाद सहित', '연대하며', '투쟁', '감사합니다',
].map((w) => w.toLowerCase());
const CLOSING_UNSPACED = ['此致敬礼', '此致', '敬礼', '敬禮', '謝謝', '谢谢', '顺祝', '祝好', 'よろしくお願いいたします', 'よろしくお願いします', '以上', '敬具', 'ขอแสดงความนับถือ', 'ด้วยความนับถือ', 'ขอบคุณ'];

export const CLOSING_WIDE = new RegExp(
  `^(?:(?:${alternation(CLOSING_WORDS)})(?![\\p{L}\\p{M}])[^.?。]{0,30}|(?:${alternation(CLOSING_UNSPACED)})[^.?。]{0,12})[,，、.!！。]?\\s*$`,
  'iu',
);

/** Kicker labels: what kind of document this is, not its headline. */
const LABEL_WORDS = [
  'press release', 'media release', 'news release', 'press statement', 'media statement', 'public statement', 'joint statement', 'statement', 'declaration',
  'joint declaration', 'media advisory', 'for immediate release', 'immediate release', 'communiqué', 'communique', 'communiqué de presse', 'communique de presse',
  'communiqué conjoint', 'déclaration', 'déclaration commune', 'comunicado', 'comunicado de prensa', 'comunicado conjunto', 'comunicado à imprensa',
  'comunicado de imprensa', 'declaración', 'declaración pública', 'declaración conjunta', 'nota de prensa', 'nota de imprensa', 'nota à imprensa', 'nota pública',
  'nota oficial', 'nota', 'comunicato', 'comunicato stampa', 'comunicato congiunto', 'dichiarazione', 'nota stampa', 'comunicat', 'comunicat de premsa',
  'nota de premsa', 'declaració', 'pressemitteilung', 'presseerklärung', 'pressemeldung', 'presseinformation', 'erklärung', 'stellungnahme', 'persbericht',
  'verklaring', 'oświadczenie', 'komunikat', 'komunikat prasowy', 'stanowisko', 'basın açıklaması', 'açıklama', 'basın bildirisi', 'bildiri', 'ortak açıklama',
  'δελτίο τύπου', 'ανακοίνωση', 'ανακοίνωση τύπου', 'κοινή ανακοίνωση', 'заявление', 'пресс-релиз', 'совместное заявление', 'заява', 'прес-реліз', 'спільна заява',
  'siaran pers', 'rilis pers', 'pernyataan sikap', 'pernyataan', 'kenyataan media', 'kenyataan akhbar', 'kenyataan', 'pahayag', 'pahayag sa midya',
  'taarifa kwa vyombo vya habari', 'taarifa', 'tamko', 'tuyên bố', 'thông cáo báo chí', 'thông cáo', 'بيان', 'بيان صحفي', 'بيان مشترك', 'تصريح', 'بلاغ', 'بلاغ صحفي',
  'بیانیه', 'اطلاعیه', 'بیانیه مطبوعاتی', 'پریس ریلیز', 'اعلامیہ', 'بیان', 'הודעה לעיתונות', 'הודעה', 'הצהרה', 'प्रेस विज्ञप्ति', 'वक्तव्य', 'बयान', 'प्रेस बयान',
  'বিবৃতি', 'প্রেস বিজ্ঞপ্তি', 'যৌথ বিবৃতি', 'அறிக்கை', 'பத்திரிகை செய்தி', 'ஊடக அறிக்கை', 'कथन', 'विज्ञप्ति', '성명', '성명서', '보도자료', '논평', '규탄 성명', '공동 성명',
  '기자회견문', '입장문',
].map((w) => w.toLowerCase());
const LABEL_UNSPACED = ['声明', '聲明', '新闻稿', '新聞稿', '新闻公报', '評論員文章', '评论员文章', '抗议声明', '抗議声明', '共同声明', 'プレスリリース', '報道発表', 'แถลงการณ์', 'ข่าวประชาสัมพันธ์', 'แถลงข่าว'];

/** Without accents too: capitals drop them in Greek ("ΔΕΛΤΙΟ ΤΥΠΟΥ"), and many senders in French or Spanish. */
function withoutAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
}
const LABEL = alternation([...new Set([...LABEL_WORDS, ...LABEL_WORDS.map(withoutAccents)])]);
const LABEL_CJK = alternation(LABEL_UNSPACED);

const KICKER_CORE = new RegExp(
  `^(?:${LABEL})(?![\\p{L}\\p{M}])(?:\\s+(?:de|of|by|from|du|des|del|della|da|do|der|von|ng|dari|oleh)\\s+[^.!?]{1,90})?\\s*[:：.!–—-]*\\s*$|^[^\\s]{0,20}(?:${LABEL_CJK})\\s*[:：]?\\s*$`,
  'iu',
);
/** A word of a name before a label: capitalised, an acronym, or in a script without case. */
const NAME_WORD = /^(?:[\p{Lu}\p{N}]|[\p{Lo}])[^\s:.!?]*\s+/u;
const MAX_NAME_WORDS = 5;

/**
 * A kicker line: a label alone ("PRESS RELEASE", "[성명]", "声明"), an organisation's label
 * ("AFL-CIO Press Release", "團結工聯1230行動新聞稿") or a label naming its issuer
 * ("Communiqué de presse de comedia, le syndicat des médias").
 */
export function isKicker(line: string): boolean {
  const t = line.trim().replace(/^[[(【「〔<]\s*/u, '').replace(/\s*[\])】」〕>]\s*([:：.!–—-]*)$/u, '$1').trim();
  if (!t || t.length > 140) return false;
  // Turkish capitals: "AÇIKLAMASI" lowers to "açıklaması" only with Turkish rules (I -> ı).
  if (KICKER_CORE.test(t) || KICKER_CORE.test(withoutAccents(t)) || (/I/.test(t) && KICKER_CORE.test(t.toLocaleLowerCase('tr')))) return true;
  let rest = t;
  for (let n = 0; n < MAX_NAME_WORDS; n++) {
    const word = NAME_WORD.exec(rest);
    if (!word) return false;
    rest = rest.slice(word[0].length);
    if (KICKER_CORE.test(rest)) return true;
  }
  return false;
}

const BARE_LABEL = new RegExp(`^(?:(?:${LABEL})(?![\\p{L}\\p{M}])|(?:${LABEL_CJK}))\\s*[:：.!–—-]*\\s*$`, 'iu');
/** A serial number after a label: "N° 016/2015", "No. 12", "nr 3/2021", "#45". */
const SERIAL_NUMBER = /\s*(?:(?:n[°º.]|no\.?|nr\.?|núm\.?|#|№)\s*)?\d[\d/.-]*\s*$/iu;

/** A kicker with nothing but its kind and perhaps a serial number ("Communiqué", "COMMUNIQUE DE PRESSE N° 016/2015"). */
export function isBareLabel(line: string): boolean {
  const t = line.trim().replace(SERIAL_NUMBER, '');
  return BARE_LABEL.test(t) || BARE_LABEL.test(withoutAccents(t));
}

/** Ends by naming the document, the label perhaps inflected ("… ilgili basın açıklamasıdır.", "… on the closure: our statement."). */
const ENDS_WITH_LABEL = new RegExp(`(?<![\\p{L}\\p{M}])(?:${LABEL})[\\p{L}\\p{M}]{0,5}\\s*[.։।۔。]?\\s*$|(?:${LABEL_CJK})\\s*[。.]?\\s*$`, 'iu');

export function endsWithLabel(text: string): boolean {
  const t = text.trim();
  return ENDS_WITH_LABEL.test(t) || ENDS_WITH_LABEL.test(withoutAccents(t)) || (/I/.test(t) && ENDS_WITH_LABEL.test(t.toLocaleLowerCase('tr')));
}

/** A text that names a kind of document ("… issued the following statement:", "… का बयान"). */
const MENTIONS_LABEL = new RegExp(`(?<![\\p{L}\\p{M}])(?:${LABEL})(?![\\p{L}\\p{M}])|(?:${LABEL_CJK})`, 'iu');

export function mentionsLabel(text: string): boolean {
  return MENTIONS_LABEL.test(text) || MENTIONS_LABEL.test(withoutAccents(text));
}

/** "The following" in a lead-in that presents the statement under it ("issued the following statement:"). */
const FOLLOWING_WORDS = [
  'following', 'below', 'suivant', 'suivante', 'ci-dessous', 'siguiente', 'a continuación', 'seguinte', 'abaixo', 'seguente', 'folgende', 'folgenden', 'nachstehende',
  'volgende', 'następujące', 'następujący', 'aşağıdaki', 'ακόλουθη', 'следующее', 'следующее заявление', 'наступну', 'наступне', 'berikut', 'sumusunod', 'ifuatayo',
  'sau đây', 'التالي', 'الآتي', 'زیر', 'ذیل', 'הבאה', 'निम्नलिखित', 'निम्न', 'নিম্নলিখিত', 'নিচের', 'பின்வரும்', 'निम्नानुसार', 'مندرجہ ذیل', '다음',
];
const FOLLOWING_UNSPACED = ['以下', '如下', '下記', 'ดังต่อไปนี้', 'ดังนี้'];
export const FOLLOWING = new RegExp(`(?<![\\p{L}\\p{M}])(?:${alternation(FOLLOWING_WORDS)})(?![\\p{L}\\p{M}])|(?:${alternation(FOLLOWING_UNSPACED)})`, 'iu');

/**
 * Section headings that open the text of a long statement rather than title it: "Introduction",
 * "Background", "Contexte", "Antecedentes", "Einleitung", "Latar belakang", "Введение", "مقدمة"…
 * (optionally numbered: "I. Introduction", "1- Contexte").
 */
const SECTION_WORDS = [
  'introduction', 'background', 'context', 'summary', 'overview', 'preamble', 'foreword', 'préambule', 'contexte', 'résumé', 'rappel des faits', 'les faits',
  'introducción', 'antecedentes', 'contexto', 'resumen', 'preámbulo', 'introdução', 'enquadramento', 'sumário', 'introduzione', 'premessa', 'contesto', 'sintesi',
  'einleitung', 'hintergrund', 'zusammenfassung', 'vorbemerkung', 'inleiding', 'achtergrond', 'wstęp', 'giriş', 'arka plan', 'εισαγωγή', 'ιστορικό',
  'введение', 'предыстория', 'вступление', 'вступ', 'передумови', 'pendahuluan', 'latar belakang', 'ringkasan', 'pengenalan', 'panimula', 'kaligiran', 'utangulizi',
  'giới thiệu', 'bối cảnh', 'مقدمة', 'خلفية', 'مقدمه', 'پیشینه', 'מבוא', 'רקע', 'परिचय', 'पृष्ठभूमि', 'ভূমিকা', 'পটভূমি', 'அறிமுகம்', 'پس منظر', 'تعارف', '서론', '배경', '개요',
];
const SECTION_UNSPACED = ['背景', '前言', '概要', '概述', 'はじめに', '経緯', 'บทนำ', 'ความเป็นมา'];
const SECTION = new RegExp(
  `^(?:[IVX]{1,4}|\\d{1,2}|[A-Za-z])?[.)\\-–—:]?\\s*(?:(?:${alternation(SECTION_WORDS)})(?![\\p{L}\\p{M}])|(?:${alternation(SECTION_UNSPACED)}))\\s*[:：.]?\\s*$`,
  'iu',
);

export function isSectionHeading(line: string): boolean {
  const t = line.trim();
  return t.length <= 40 && SECTION.test(t);
}

/** A label and a colon or dash before the headline: "Declaración pública: Por el derecho…", "বিবৃতি: …". */
export const LABEL_PREFIX = new RegExp(`^[\\[(【]?\\s*(?:${LABEL}|${LABEL_CJK})[\\])】]?\\s*(?:[:：|]|\\s[–—-])\\s*`, 'iu');

/** What a cover note says in other languages: "for publication", "I forward", "please publish". */
const COVER_WORDS = [
  'pour publication', 'pour diffusion', 'veuillez trouver', 'ci-dessous le', 'para su difusión', 'compartimos la siguiente', 'compartimos el siguiente', 'vi inviamo', 'vi trasmettiamo', 'inviamo il seguente', 'sila siarkan', 'mohon siarkan', 'xin gửi tới', 'xin gửi đến', 'gửi tới quý báo', 'yayınlamanızı rica', 'je vous transfère', 'je vous transmets', 'nous vous transmettons', 'vous pouvez le reprendre', 'merci de publier',
  'para su publicación', 'para publicación', 'les reenvío', 'les envío', 'os envío', 'para difusión', 'para publicação', 'encaminho', 'segue o', 'segue a',
  'zur veröffentlichung', 'leite ich', 'leiten wir', 'bitte veröffentlichen', 'per la pubblicazione', 'vi inoltro', 'vi invio', 'vi giro', 'da pubblicare',
  'per publicar', 'us reenvio', 'do publikacji', 'przesyłam', 'yayınlanmak üzere', 'iletiyorum', 'για δημοσίευση', 'σας προωθώ', 'σας στέλνω',
  'для публикации', 'пересылаю', 'направляю', 'для публікації', 'пересилаю', 'надсилаю', 'untuk dipublikasikan', 'untuk diterbitkan', 'mohon dimuat',
  'kami kirimkan', 'saya teruskan', 'untuk disiarkan', 'untuk siaran', 'kwa ajili ya kuchapishwa', 'để đăng', 'xin gửi', 'chuyển tiếp',
  'للنشر', 'أرسل إليكم', 'نرسل إليكم', 'أعيد توجيه', 'برای انتشار', 'میفرستم', 'می‌فرستم', 'לפרסום', 'מעביר', 'מעבירה', 'प्रकाशन के लिए', 'प्रकाशनार्थ', 'भेज रहा',
  'প্রকাশের জন্য', 'পাঠানো হলো', 'பிரசுரத்திற்காக', 'வெளியிட', 'प्रकाशनका लागि', 'اشاعت کے لیے', 'شائع',
].map((w) => w.toLowerCase());
const COVER_UNSPACED = ['发表', '刊登', '刊出', '轉寄', '转发', '轉發', '請貴刊', '请贵刊', '掲載', '転送します', 'お送りします', '게재', '실어 주시면', '전달합니다', '보내드립니다', 'เผยแพร่', 'ขอส่ง', 'ส่งต่อ'];

export const COVER_WIDE = new RegExp(`(?:${alternation(COVER_WORDS)})|(?:${alternation(COVER_UNSPACED)})`, 'iu');
