// Statement dates as organisations write them: "February 27, 2022", "2 March 2022", "27/02/2022",
// "March 1" (year from the email's date), "27 de febrero de 2022", "le 1er mars", "Pebrero 25",
// "27 Februari 2022", "2022-03-02", and through chrono-node the scripts our month table lacks
// (Japanese, Chinese, Russian, Ukrainian). Pure.
import * as chrono from 'chrono-node';

const MONTH_NAMES: Record<string, number> = {};
const MONTHS_BY_LANGUAGE: string[][] = [
  // en
  ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'],
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  // fr
  ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  ['janv', 'fevrier', 'mars', 'avr', 'mai', 'juin', 'juil', 'aout', 'sept', 'oct', 'nov', 'decembre'],
  // es
  ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'setiembre', 'oct', 'nov', 'dic'],
  // pt
  ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'],
  ['jan', 'fev', 'marco', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'],
  // de
  ['januar', 'februar', 'märz', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'dezember'],
  ['jänner', 'feber', 'maerz', 'apr', 'mai', 'jun', 'jul', 'aug', 'sept', 'okt', 'nov', 'dez'],
  // it
  ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  // nl, sv
  ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'],
  // tl (Tagalog / Filipino)
  ['enero', 'pebrero', 'marso', 'abril', 'mayo', 'hunyo', 'hulyo', 'agosto', 'setyembre', 'oktubre', 'nobyembre', 'disyembre'],
  // ms (Malay), id (Indonesian)
  ['januari', 'februari', 'mac', 'april', 'mei', 'jun', 'julai', 'ogos', 'september', 'oktober', 'november', 'disember'],
  ['januari', 'februari', 'maret', 'april', 'mei', 'juni', 'juli', 'agustus', 'september', 'oktober', 'november', 'desember'],
  // el (genitive, as dates are written), pl (genitive), tr, ca, sw
  ['ιανουαρίου', 'φεβρουαρίου', 'μαρτίου', 'απριλίου', 'μαΐου', 'ιουνίου', 'ιουλίου', 'αυγούστου', 'σεπτεμβρίου', 'οκτωβρίου', 'νοεμβρίου', 'δεκεμβρίου'],
  ['ιανουάριος', 'φεβρουάριος', 'μάρτιος', 'απρίλιος', 'μάιος', 'ιούνιος', 'ιούλιος', 'αύγουστος', 'σεπτέμβριος', 'οκτώβριος', 'νοέμβριος', 'δεκέμβριος'],
  ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia'],
  ['ocak', 'şubat', 'mart', 'nisan', 'mayıs', 'haziran', 'temmuz', 'ağustos', 'eylül', 'ekim', 'kasım', 'aralık'],
  ['gener', 'febrer', 'març', 'abril', 'maig', 'juny', 'juliol', 'agost', 'setembre', 'octubre', 'novembre', 'desembre'],
  ['januari', 'februari', 'machi', 'aprili', 'mei', 'juni', 'julai', 'agosti', 'septemba', 'oktoba', 'novemba', 'desemba'],
  // ar: the Egyptian/Gulf names, the Maghreb's, and the Levant's
  ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'],
  ['يناير', 'فبراير', 'مارس', 'أبريل', 'ماي', 'يونيه', 'يوليوز', 'غشت', 'شتنبر', 'أكتوبر', 'نونبر', 'دجنبر'],
  ['كانون الثاني', 'شباط', 'آذار', 'نيسان', 'أيار', 'حزيران', 'تموز', 'آب', 'أيلول', 'تشرين الأول', 'تشرين الثاني', 'كانون الأول'],
];
for (const names of MONTHS_BY_LANGUAGE) names.forEach((name, i) => (MONTH_NAMES[name] = i + 1));

/** Persian (Solar Hijri) months; a date in them is converted to the Gregorian day. */
const PERSIAN_MONTHS = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'];

/** Solar Hijri to Gregorian (the usual arithmetic of the 33-year cycle; exact for 1300-1500 SH). */
export function persianToGregorian(jy: number, jm: number, jd: number): { year: number; month: number; day: number } {
  let days = -355668 + 365 * (jy + 1595) + Math.floor((jy + 1595) / 33) * 8 + Math.floor((((jy + 1595) % 33) + 3) / 4) + jd + (jm < 7 ? (jm - 1) * 31 : (jm - 7) * 30 + 186);
  let gy = 400 * Math.floor(days / 146097);
  days %= 146097;
  if (days > 36524) {
    days--;
    gy += 100 * Math.floor(days / 36524);
    days %= 36524;
    if (days >= 365) days++;
  }
  gy += 4 * Math.floor(days / 1461);
  days %= 1461;
  if (days > 365) {
    gy += Math.floor((days - 1) / 365);
    days = (days - 1) % 365;
  }
  let gd = days + 1;
  const lengths = [31, (gy % 4 === 0 && gy % 100 !== 0) || gy % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let gm = 0;
  while (gm < 12 && gd > lengths[gm]!) gd -= lengths[gm++]!;
  return { year: gy, month: gm + 1, day: gd };
}

/** Persian and Arabic-Indic digits as ASCII, one character for one (indices stay the same). */
function asciiDigits(text: string): string {
  return text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => String((d.charCodeAt(0) - 0x0660) % 0x90));
}

const MONTH = `(${Object.keys(MONTH_NAMES).sort((a, b) => b.length - a.length).join('|')})\\.?`;
const WEEKDAY =
  '(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|isnin|selasa|rabu|khamis|jumaat|sabtu|ahad|senin|kamis|jumat|minggu|lunes|martes|miyerkules|huwebes|biyernes|sabado|linggo)';
const ORDINAL = '(?:st|nd|rd|th|er|ère|re|º|°|\\.)?';
const DAY = `(\\d{1,2})${ORDINAL}`;
const YEAR = '(\\d{4})';
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';

interface Form {
  regex: RegExp;
  read(m: RegExpExecArray): { day: number; month: number; year?: number | undefined; numeric?: boolean } | undefined;
}

const FORMS: Form[] = [
  {
    // ۱ تیرماه ۱۳۸۹ (1 Tir 1389): the Solar Hijri calendar
    regex: new RegExp(`${B}(\\d{1,2})\\s*(${PERSIAN_MONTHS.join('|')})(?:\\s*ماه)?\\s*(1[34]\\d\\d)${E}`, 'gu'),
    read: (m) => persianToGregorian(+m[3]!, PERSIAN_MONTHS.indexOf(m[2]!) + 1, +m[1]!),
  },
  {
    // 2022-03-02
    regex: new RegExp(`${B}(\\d{4})-(\\d{1,2})-(\\d{1,2})${E}`, 'gu'),
    read: (m) => ({ year: +m[1]!, month: +m[2]!, day: +m[3]! }),
  },
  {
    // 27 February 2022, 27 de febrero de 2022, le 1er mars, 27. Februar 2022, 2 March
    regex: new RegExp(`${B}${DAY}\\s*(?:de\\s+|d['’]|of\\s+|ng\\s+)?${MONTH}${E}(?:[,،]?\\s*(?:de\\s+|del\\s+)?${YEAR}${E})?`, 'giu'),
    read: (m) => ({ day: +m[1]!, month: MONTH_NAMES[m[2]!.toLowerCase()]!, year: m[3] ? +m[3] : undefined }),
  },
  {
    // February 27, 2022; March 1; Pebrero 25, 2022
    regex: new RegExp(`${B}${MONTH}\\s+${DAY}${E}(?:,?\\s*${YEAR}${E})?`, 'giu'),
    read: (m) => ({ month: MONTH_NAMES[m[1]!.toLowerCase()]!, day: +m[2]!, year: m[3] ? +m[3] : undefined }),
  },
  {
    // 27/02/2022, 27.02.2022, 27-02-2022 (day first unless that cannot be a date)
    regex: new RegExp(`${B}(\\d{1,2})([./-])(\\d{1,2})\\2(\\d{4}|\\d{2})${E}`, 'gu'),
    read: (m) => {
      const year = m[4]!.length === 2 ? 2000 + +m[4]! : +m[4]!;
      return { day: +m[1]!, month: +m[3]!, year, numeric: true };
    },
  },
];

export interface FoundDate {
  /** YYYY-MM-DD */
  iso: string;
  index: number;
  /** Length of the matched text. */
  length: number;
  /** False when the year came from the reference date. */
  yearWritten: boolean;
}

/** Days a written date may lie after the email's date (time zones, a date set for release). */
const MAX_DAYS_AFTER_REFERENCE = 7;
const MAX_DAYS_BEFORE_REFERENCE = 400;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The years PostgreSQL's date and timestamptz columns, and our YYYY-MM-DD strings, can all hold.
 * A Date header in year 10000 once gave "+010000-01" as a statement date, which PostgreSQL
 * rejected in the likely-duplicate query and stopped ingest (issue 10).
 */
export const MIN_STORABLE_YEAR = 1;
export const MAX_STORABLE_YEAR = 9999;

/** `date` when it is a real date in a year we can store; undefined otherwise. */
export function storableDate(date: Date | undefined): Date | undefined {
  if (!date || Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  return year >= MIN_STORABLE_YEAR && year <= MAX_STORABLE_YEAR ? date : undefined;
}

function toIso(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (!Number.isInteger(year) || year < MIN_STORABLE_YEAR || year > MAX_STORABLE_YEAR) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0..99 as 1900..1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

function plausible(iso: string, reference: Date | undefined): boolean {
  if (!reference) return true;
  const t = Date.parse(`${iso}T00:00:00Z`);
  const r = Date.UTC(reference.getUTCFullYear(), reference.getUTCMonth(), reference.getUTCDate());
  return t <= r + MAX_DAYS_AFTER_REFERENCE * DAY_MS && t >= r - MAX_DAYS_BEFORE_REFERENCE * DAY_MS;
}

/** A date without a year takes the reference's year, or the year before when that would put it in the future. */
function withYear(month: number, day: number, reference: Date | undefined): string | undefined {
  // No year written and no email date to take it from: no date (not 1970).
  if (!reference) return undefined;
  const iso = toIso(reference.getUTCFullYear(), month, day);
  if (!iso) return iso;
  return plausible(iso, reference) ? iso : toIso(reference.getUTCFullYear() - 1, month, day);
}

function resolve(
  parts: { day: number; month: number; year?: number | undefined; numeric?: boolean | undefined },
  reference: Date | undefined,
): string | undefined {
  if (parts.year === undefined) return withYear(parts.month, parts.day, reference);
  const dayFirst = toIso(parts.year, parts.month, parts.day);
  if (!parts.numeric) return dayFirst;
  const monthFirst = toIso(parts.year, parts.day, parts.month);
  if (!dayFirst || !monthFirst || dayFirst === monthFirst) return dayFirst ?? monthFirst;
  // Both readings are dates: take the one that fits the email's date (day first when both do).
  if (reference && !plausible(dayFirst, reference) && plausible(monthFirst, reference)) return monthFirst;
  return dayFirst;
}

/** The first date written in `text`, or undefined. Dates implausibly far from `reference` are skipped. */
export function findDate(written: string, reference: Date | undefined): FoundDate | undefined {
  const text = asciiDigits(written);
  let best: FoundDate | undefined;
  for (const form of FORMS) {
    const regex = form.regex;
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m; m = regex.exec(text)) {
      const parts = form.read(m);
      const iso = parts ? resolve(parts, reference) : undefined;
      if (!iso || (parts!.year !== undefined && !plausible(iso, reference))) continue;
      if (!best || m.index < best.index) best = { iso, index: m.index, length: m[0].length, yearWritten: parts!.year !== undefined };
      break;
    }
  }
  return best ?? findDateWithChrono(text, reference);
}

interface DateParser {
  parse(text: string, reference: Date): chrono.ParsedResult[];
}
/**
 * Only dates in these scripts go to chrono (slow when called often): our table covers the
 * Latin-script languages. A digit and a month word of the script must be present.
 */
const CHRONO_BY_SCRIPT: [RegExp, DateParser[]][] = [
  [/[年月日]/u, [chrono.ja, chrono.zh]],
  [/январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр/iu, [chrono.ru]],
  [/січ|лют|берез|квіт|трав|черв|лип|серп|верес|жовт|листопад|груд/iu, [chrono.uk]],
  [/tháng/iu, [chrono.vi]],
];

function findDateWithChrono(text: string, reference: Date | undefined): FoundDate | undefined {
  if (!/\d/.test(text)) return undefined;
  const parsers = CHRONO_BY_SCRIPT.filter(([script]) => script.test(text)).flatMap(([, list]) => list);
  for (const parser of parsers) {
    const result = parser.parse(text, reference ?? new Date(0))[0];
    if (!result) continue;
    const day = result.start.get('day');
    const month = result.start.get('month');
    if (!day || !month || !result.start.isCertain('month') || !result.start.isCertain('day')) continue;
    const yearWritten = result.start.isCertain('year');
    const iso = yearWritten ? toIso(result.start.get('year')!, month, day) : withYear(month, day, reference);
    if (iso && plausible(iso, reference)) return { iso, index: result.index, length: result.text.length, yearWritten };
  }
  return undefined;
}

/** "Kuala Lumpur, ", "WASHINGTON, D.C., ": a place, perhaps with its state, before a date. */
/** "Kuala Lumpur, ", "New Delhi, India, "; in scripts without capitals any word, and the Arabic comma or "في" ("الرباط، ", "بيروت في "). */
const PLACE_PREFIX = /^(?:(?:[\p{Lu}][\p{L}.'’-]*|[\p{Lo}][\p{Lo}\p{M}]*)(?:\s+(?:[\p{Lu}][\p{L}.'’-]*|[\p{Lo}][\p{Lo}\p{M}]*)){0,3}(?:\s*[,،]\s*|\s+في\s+)){1,2}/u;
const WEEKDAY_PREFIX = new RegExp(`^${WEEKDAY},?\\s+`, 'iu');
/** "le 2 mars", "el 1 de marzo", "am 2. März", "on 2 March", "dated 2 March". */
const ARTICLE_PREFIX = /^(?:(?:date|dated|fecha|datum|data|petsa|tarikh|tanggal|released on|issued on)\s*:?\s*|(?:le|el|am|den|on|du|del|noong|pada|ngày)\s+)/iu;
const DATELINE_SEPARATOR = /^\s*(?:[-–—:|]+|\)\s*[-–—:]?)\s*/;

export interface LeadingDate {
  iso: string;
  yearWritten: boolean;
  /** What follows the date on the line, without the separator. */
  rest: string;
  /** True when a dash, colon or bar separated the date from the rest. */
  separated: boolean;
}

/**
 * A date at the start of a line, as in a dateline: "March 1 - The ...", "February 27, 2022",
 * "New Delhi, 2 March 2022:", "Thursday, 24 February 2022", "(Manila) 25 February — ...".
 */
export function matchLeadingDate(line: string, reference: Date | undefined): LeadingDate | undefined {
  let head = line.trim().replace(/^\(/, '');
  const place = PLACE_PREFIX.exec(head);
  for (const candidate of place ? [head, head.slice(place[0].length)] : [head]) {
    head = candidate.replace(WEEKDAY_PREFIX, '').replace(ARTICLE_PREFIX, '');
    const found = findDate(head.slice(0, 60), reference);
    if (!found || found.index !== 0) continue;
    let rest = head.slice(found.length);
    const separator = DATELINE_SEPARATOR.exec(rest);
    const separated = Boolean(separator && separator[0].trim());
    rest = rest.slice(separator?.[0].length ?? 0).replace(/^[.,]\s*/, '').trim();
    return { iso: found.iso, yearWritten: found.yearWritten, rest, separated };
  }
  return undefined;
}

/** The word for "year" some languages write after it: "30 sierpnia 2018 r.", "5 мая 2019 г.". */
const YEAR_WORD = /^(?:r|roku|г|года|р|року|yılı)(?![\p{L}])\.?/iu;

/** True when the whole line is a date (with perhaps a place or weekday and trailing punctuation). */
export function isDateLine(line: string, reference: Date | undefined): LeadingDate | undefined {
  const found = matchLeadingDate(line, reference);
  return found && !/[\p{L}\p{N}]/u.test(found.rest.replace(YEAR_WORD, '')) ? found : undefined;
}

/** The day of `date` as YYYY-MM-DD; null without one, or for a year outside 1..9999. */
export function isoDateOf(date: Date | undefined): string | null {
  return storableDate(date)?.toISOString().slice(0, 10) ?? null;
}
