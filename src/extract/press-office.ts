// Press offices and organs of an organisation, in the languages of our senders: a sender named
// "X Media", "Service de presse X", "X Pressestelle", "Пресс-служба X" or "X National Office" is
// X's office, so the organisation is X; "Central Committee of X", "ЦК X" are X's bodies. Pure.

/** Words of a press or communications office, or of a party's office, as written in a name. */
const OFFICE_WORDS = [
  // English
  'press office', 'press team', 'press desk', 'press unit', 'press service', 'press secretary', 'press', 'media office', 'media team', 'media unit',
  'media cell', 'media wing', 'media desk', 'media centre', 'media center', 'media relations', 'media department', 'media', 'communications office',
  'communications department', 'communications team', 'communications', 'communication', 'comms', 'media & publicity', 'media and publicity',
  'publicity department', 'publicity secretary', 'publicity', 'media officer', 'press officer', 'communications officer', 'media liaison',
  'information secretary', 'press and information', 'press & media', 'department of information', 'news desk', 'newsroom', 'news', 'information department',
  'information office', 'info', 'national office', 'central office', 'head office', 'head quarters', 'headquarters', 'hq', 'national secretariat',
  'secretariat', 'secrétariat', 'sekretariat', 'spokesperson', 'spokesperson\'s office', 'office of the general secretary', 'general secretariat', 'public relations', 'pr',
  // French, Spanish, Portuguese, Italian, Catalan
  'service de presse', 'relations presse', 'relations médias', 'relations publiques', 'espace presse', 'espace communication', 'pôle communication', 'service presse', 'service communication', 'service de communication', 'bureau de presse', 'cellule de communication',
  'cellule communication', 'secrétariat national', 'secrétariat général', 'département de la communication', 'presse', 'communication',
  'departamento de prensa', 'departamento de comunicación', 'gabinete de prensa', 'gabinete de comunicación', 'secretaría de prensa',
  'secretaría de comunicación', 'oficina de prensa', 'área de comunicación', 'prensa', 'comunicación', 'comunicación y prensa',
  'assessoria de imprensa', 'assessoria de comunicação', 'gabinete de imprensa', 'imprensa', 'comunicação', 'secretaria de imprensa',
  'ufficio stampa', 'servizio stampa', 'ufficio comunicazione', 'stampa', 'relaciones públicas', 'prensa y comunicación', 'departamento de imprensa', 'segreteria generale', 'segreteria nazionale', 'segreteria', 'comunicazione', 'gabinet de premsa', 'premsa', 'comunicació',
  // German, Dutch, Polish, Turkish, Greek
  'pressestelle', 'pressesprecher', 'pressesprecherin', 'pressebüro', 'presseabteilung', 'öffentlichkeitsarbeit', 'kommunikation', 'bundesgeschäftsstelle',
  'persdienst', 'persvoorlichting', 'biuro prasowe', 'rzecznik prasowy', 'dział komunikacji', 'dział prasowy', 'presse und öffentlichkeitsarbeit',
  'basın ve halkla ilişkiler', 'basın ve halkla İlişkiler', 'halkla ilişkiler', 'halkla İlişkiler', 'basın', 'basın bürosu', 'basın birimi', 'basın servisi',
  'γραφείο τύπου', 'τύπος',
  // Russian, Ukrainian
  'отдел по связям с общественностью', 'відділ комунікацій', 'пресс-служба', 'пресс-центр', 'пресс-секретарь', 'информационный отдел', 'прес-служба', 'прес-центр', 'прес-секретар', 'інформаційний відділ',
  // Arabic, Persian, Hebrew, Urdu
  'المكتب الإعلامي', 'الدائرة الإعلامية', 'لجنة الإعلام', 'الإعلام', 'المكتب الصحفي', 'مكتب الإعلام', 'روابط عمومی', 'دفتر مطبوعاتی', 'מחלקת דוברות', 'דוברות', 'לשכת העיתונות', 'میڈیا سیل',
  // Asian languages
  'media center', 'humas', 'bagian humas', 'divisi media', 'biro media', 'siaran pers', 'tim media', 'bahagian media', 'unit media', 'biro komunikasi',
  '대변인실', '대변인', '홍보실', '홍보팀', '언론팀', '宣传部', '新闻办公室', '新闻中心', '新聞部', '新聞組', '宣傳部', '広報部', '広報室', '広報', '事務局', '사무국', '사무처', '秘书处', '秘書處',
  'मीडिया सेल', 'मीडिया प्रकोष्ठ', 'ஊடகப் பிரிவு', 'ஊடகப்பிரிவு', 'মিডিয়া সেল', 'প্রেস বিজ্ঞপ্তি', 'ฝ่ายประชาสัมพันธ์', 'ban truyền thông',
  'phòng truyền thông', 'ban tuyên giáo', 'vyombo vya habari', 'idara ya habari', 'ofisi ya habari', '宣传处', '新闻处', '홍보국', 'ฝ่ายสื่อสารองค์กร',
].sort((a, b) => b.length - a.length);

/** Bodies of an organisation that issue its statements: "Central Committee of X", "ЦК X". */
const ORGAN_PREFIX =
  /^(?:(?:the\s+)?(?:central (?:organi[sz]ing |executive )?committee|national (?:executive )?(?:committee|council|executive|board)|executive (?:committee|board|council)|political bureau|politburo|polit bureau|presidium|national commission|general council|steering committee|secretariat)(?:\s+of(?:\s+the)?)?|comité (?:central|exécutif|national|ejecutivo)(?:\s+d[eu]l?|\s+de\s+la)?|comitato (?:centrale|esecutivo)(?:\s+del(?:la)?)?|zentralkomitee(?:\s+der)?|vorstand(?:\s+der)?|цк|центральный комитет|президиум(?:\s+цк)?|komisja krajowa|kk|zarząd główny|genel merkez|merkez yürütme kurulu)\s+/iu;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const WORDS = OFFICE_WORDS.map(escape).join('|');
const BOUNDARY_BEFORE = '(?<![\\p{L}\\p{M}\\p{N}])';
const BOUNDARY_AFTER = '(?![\\p{L}\\p{M}\\p{N}])';
const SEPARATOR = '\\s*(?:[-–—|:/,·]\\s*|\\s)';
/** "X Media", "X – Communication", "X Pressestelle". */
/** A regional office's place after its name: "X - secrétariat régional Vaud", "X Pressestelle Bayern". */
const PLACE_AFTER = '(?:\\s+(?:r[ée]gional|regional|cantonal|local|provincial|state|landes|district))?(?:\\s+[\\p{Lu}][\\p{L}-]+){0,2}';
const OFFICE_AFTER = new RegExp(`^(.+?)${SEPARATOR}(?:the\\s+)?(?:${WORDS})${BOUNDARY_AFTER}\\.?\\s*$`, 'iu');
/** Only after a written separator, so that "Service de presse X" is not read as "Service de" plus a place. */
const OFFICE_AFTER_PLACE = new RegExp(`^(.+?)\\s+[-–—|,]\\s+(?:the\\s+)?(?:${WORDS})${BOUNDARY_AFTER}${PLACE_AFTER}\\.?\\s*$`, 'iu');
/** "Service de presse X", "Пресс-служба X", "Press Office of X", "Ufficio stampa X". */
const OFFICE_BEFORE = new RegExp(`^${BOUNDARY_BEFORE}(?:${WORDS})(?:\\s+(?:of(?:\\s+the)?|de(?:\\s+la|\\s+l[’'])?|du|des|del|della|dello|da|do|der|des|von|ya|wa))?${SEPARATOR}(.+)$`, 'iu');

/** The organisation a press office's name stands for, or undefined when the name is not an office's. */
export function organisationOfPressOffice(displayName: string | undefined): string | undefined {
  const name = displayName?.replace(/^["'“]|["'”]$/g, '').trim();
  if (!name || name.length > 120) return undefined;
  for (let rest = name, rounds = 0; rounds < 2; rounds++) {
    const m = OFFICE_AFTER.exec(rest) ?? OFFICE_BEFORE.exec(rest) ?? OFFICE_AFTER_PLACE.exec(rest);
    if (!m) return rounds ? withoutOrgan(rest) : undefined;
    rest = m[1]!.replace(/[-–—|:/,·\s]+$/u, '').replace(/^[-–—|:/,·\s]+/u, '').trim();
    if (!rest || rest.length < 2) return undefined;
    if (rounds === 1 || !(OFFICE_AFTER.test(rest) || OFFICE_BEFORE.test(rest))) return withoutOrgan(rest);
  }
  return undefined;
}

/** "Central Committee of the Communist Party of Kenya" gives "Communist Party of Kenya"; "ЦК КПРФ" gives "КПРФ". */
export function withoutOrgan(name: string): string {
  const rest = name.replace(ORGAN_PREFIX, '').trim();
  return rest.length >= 2 ? rest : name;
}

/** True when the whole name is an office or an organ ("Press Office", "Central Committee"), naming no organisation. */
export function isOfficeOnly(name: string): boolean {
  const t = name.trim();
  return new RegExp(`^(?:the\\s+)?(?:${WORDS})$`, 'iu').test(t) || !`${t} `.replace(ORGAN_PREFIX, '').trim();
}
