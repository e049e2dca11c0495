// A statement signed by a body or office, not a person: "Central Committee", "Executive Board",
// "the Presidium", "Komisja Krajowa", "Президиум ЦК", "المكتب السياسي", on its own short line
// where the statement ends. Kept as the signatory's name with no role (Signatory.name is the
// name shown on pages and feeds; a body has no person to name). Pure.
import { unicodeWords } from './patterns.ts';
import { countWords } from './text.ts';
import type { Signatory } from './types.ts';

/** Words that name a collective body or an office, in many languages (one is enough on a short line). */
const OFFICE_WORD = unicodeWords(
  /\b(?:central committee|(?:national|federal|executive|steering|standing|organi[sz]ing|general|political|working|coordinating) (?:committee|board|council|bureau|secretariat|executive)|executive (?:board|committee|council)|board of directors|politburo|political bureau|presidium|secretariat|leadership|comité (?:central|exécutif|national|directeur|confédéral)|bureau (?:national|politique|exécutif|confédéral)|secrétariat|conseil (?:national|exécutif|fédéral)|direction (?:nationale|confédérale)|commission exécutive|comisión ejecutiva|secretariado|dirección (?:nacional|ejecutiva)|junta directiva|comité ejecutivo|diretoria|direção (?:nacional|executiva)|executiva nacional|comissão executiva|vorstand|bundesvorstand|landesvorstand|parteivorstand|präsidium|zentralkomitee|segreteria|direzione nazionale|comitato (?:centrale|esecutivo|direttivo)|επιτροπή|πολιτικό γραφείο|γραμματεία|yönetim kurulu|yürütme kurulu|merkez komitesi|komisja krajowa|zarząd|prezydium|komitet centralny|президиум|президія|центральный комитет|центральний комітет|исполком|секретариат|секретаріат|правление|правління|цк|dewan pimpinan|pengurus pusat|jawatankuasa|ban chấp hành|kamati kuu)\b/iu,
);
/** Scripts where \b does not help: the body words themselves. */
const OFFICE_WORD_NO_SPACES =
  /(?:中央委员会|中央委員会|執行委員会|常任幹事会|理事会|常委会|중앙위원회|집행위원회|운영위원회|คณะกรรมการ|المكتب|اللجنة|الأمانة|الناطق الرسمي|المجلس الوطني|کمیته|هیئت اجرایی|ترجمان|مرکزی کمیٹی|पोलित ब्यूरो|केंद्रीय समिति|कार्यकारिणी|समिति|செயற்குழு|கமிட்டி|কমিটি|הוועד|המזכירות)/u;

/** "From the", "By the", "Issued by the": words before the body's name on the line. */
const LEAD_IN = /^(?:from|by|on behalf of|de la part d[eu]|von|da|del|από|εκ μέρους)\s+(?:the|la|le|l'|el|der|dem|des|του|της|την|τον|το)?\s*/iu;

const MAX_OFFICE_WORDS = 10;

/** "Executive Board of X", "Diretoria Executiva do Sindicato X", "Επιτροπή της X": the body, without whose it is. */
const OF_THE_ORGANISATION = /\s+(?:of(?: the)?|do|da|dos|das|de(?: la| l'|l)?|du|des|der|della|del|της|του|των)\s+(?=\S)/giu;

function withoutOwner(text: string): string {
  for (const m of text.matchAll(OF_THE_ORGANISATION)) {
    const next = text.slice(m.index + m[0].length);
    if (/^[\p{Lu}\p{N}"“«]/u.test(next)) return text.slice(0, m.index);
  }
  return text;
}
const MAX_LINE_WORDS = 20;

/** Quotation marks around a name ('NSZZ "Solidarność"') do not make it another name. */
function withoutQuotes(text: string): string {
  return text.replace(/["“”„«»]/g, '').replace(/\s+/g, ' ').trim();
}

export function isOfficeLine(line: string): boolean {
  const text = line.trim();
  if (!text || countWords(text) > MAX_LINE_WORDS || /[:;?!]$/.test(text) || /\d{3,}|@|https?:/.test(text)) return false;
  const name = withoutOwner(text.replace(LEAD_IN, ''));
  return countWords(name) <= MAX_OFFICE_WORDS && (OFFICE_WORD.test(name) || OFFICE_WORD_NO_SPACES.test(name));
}

/** The body's name without the lead-in and without the organisation around it ("Executive Board of X" -> "Executive Board"). */
export function officeName(line: string, organisationNames: string[]): string {
  let text = withoutOwner(line.trim().replace(/[,]$/, '').replace(LEAD_IN, ''));
  text = withoutQuotes(text);
  for (const org of organisationNames.map(withoutQuotes).filter((n) => n.length > 1).sort((a, b) => b.length - a.length)) {
    const escaped = org.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    // "X/Y Body", "X: Body", "Body - X", "Body X" (when what is left still names a body).
    text = text
      .replace(new RegExp(`^(?:[^\\s/]+/)?${escaped}\\s*(?:[/–—:-]\\s*)?(?=\\S)`, 'iu'), '')
      .replace(new RegExp(`\\s*[–—,-]\\s*${escaped}$`, 'iu'), '');
    // Only a full name, and not in Arabic script: a short name glued to the office ("Президиум ЦК КПРФ")
    // and an Arabic or Persian construct ("کمیته مرکزی حزب …", the committee of the party) are how the office is written.
    const bare = /\s/.test(org) && !/\p{Script=Arabic}/u.test(text) ? text.replace(new RegExp(`\\s+${escaped}$`, 'iu'), '') : text;
    if (bare !== text && (OFFICE_WORD.test(bare) || OFFICE_WORD_NO_SPACES.test(bare))) text = bare;
  }
  return text.replace(/^[/–—-]\s*|\s*[/–—-]$/g, '').replace(/\.$/, '').trim();
}

/**
 * The body signing a statement: the first office line among the statement's last line and the
 * lines after it, before any separator or contact line.
 */
export function officeSignatory(candidates: string[], organisationNames: string[]): Signatory[] {
  for (const line of candidates) {
    const text = line.trim();
    if (!text) continue;
    if (/^(?:--\s*|_{3,}|-{3,})$/.test(text)) break;
    if (!isOfficeLine(text)) continue;
    const name = officeName(text, organisationNames);
    // The organisation's own name under the statement is who sends it, not a signatory.
    const lower = name.toLowerCase();
    if (organisationNames.some((n) => n.length > 3 && lower.includes(n.toLowerCase()) && countWords(lower) <= countWords(n) + 1)) return [];
    return [{ name, role: null }];
  }
  return [];
}

/** A label that opens a heading and says who issues it: "Statement from the X of Y on …", "Déclaration du X de Y sur …". */
const ISSUED_BY_HEADING = unicodeWords(
  /^(?:(?:joint |press |public |official )?(?:statement|declaration|communiqu[ée]|press release|resolution)|d[ée]claration|communiqu[ée](?: de presse)?|declaraci[óo]n|comunicado|nota(?: p[úu]blica)?|erkl[äa]rung|stellungnahme|dichiarazione|comunicato|o[śs]wiadczenie|stanowisko|заявление|заява)\s+(?:from|by|of|de|du|des|del|da|do|der|von|della|dello|dell['’])\s*(?:the\s+|la\s+|le\s+|l['’]|el\s+|a\s+|o\s+)?([^:–—]{3,160}?)(?:\s+(?:on|about|regarding|concerning|sur|sobre|zu|zum|zur|su|sul|sulla|w sprawie|по|о)\s|\s*[:–—]|$)/iu,
);
/** The same in Arabic and Persian: "بيان المكتب السياسي للحزب …", "تصريح الناطق الرسمي باسم …". */
const ISSUED_BY_HEADING_ARABIC = /^(?:بيان|تصريح|بلاغ|نداء|إعلان|بیانیه|اطلاعیه|اعلامیه)\s+(.{3,160})$/u;
/** Where the organisation starts in an Arabic-script heading: "… للحزب الشيوعي", "… في الحزب", "… حزب توده". */
const ARABIC_ORGANISATION_START = /(?:^|\s)(?:في\s+)?(?:لل|ل|ب|و)?(?:ال)?(?:حزب|اتحاد|نقابة|جمعية|حركة|منظمة|جبهة|رابطة|سازمان|اتحادیه|انجمن|جبهه|کانون)/u;

/**
 * Who a heading says issues the statement: the text after its label ("Statement from the Central
 * Committee of X on …" gives "Central Committee of X"), for the caller to read as an office or a
 * person. Arabic-script headings end the issuer where the organisation's name starts.
 */
export function issuerInHeading(heading: string): string | undefined {
  const text = heading.trim();
  const latin = ISSUED_BY_HEADING.exec(text);
  if (latin) return latin[1]!.trim();
  const arabic = ISSUED_BY_HEADING_ARABIC.exec(text);
  if (!arabic) return undefined;
  const rest = arabic[1]!;
  const org = ARABIC_ORGANISATION_START.exec(rest);
  const issuer = (org ? rest.slice(0, org.index) : rest).trim();
  return issuer.length >= 3 ? issuer : undefined;
}

/** "We, the General Council of X, meeting …", "Nous, membres du Bureau national, …": the body speaking in the opening. */
const WE_THE_BODY = /^(?:we|nous|nosotros|nosotras|n[óo]s|wir|noi|kami)\s*,\s*(?:the\s+|le\s+|la\s+|les\s+|el\s+|los\s+|las\s+|o\s+|a\s+|os\s+|die\s+|der\s+|il\s+|members of the\s+|membres du\s+|miembros del?\s+)?([^,.;:]{3,120}),/iu;

/** A body or office that issues the statement, named in its heading or in the opening ("We, the General Council of X,"). */
export function officeInHeadingOrOpening(headings: string[], opening: string, organisationNames: string[]): Signatory[] {
  const candidates = [...headings.map(issuerInHeading), WE_THE_BODY.exec(opening.trim())?.[1]];
  for (const candidate of candidates) {
    if (!candidate || !isOfficeLine(candidate)) continue;
    const name = officeName(candidate, organisationNames);
    if (name && countWords(name) <= MAX_OFFICE_WORDS) return [{ name, role: null }];
  }
  return [];
}
