// The trailing block of a statement: what follows its last sentence (signature lines, press
// contacts and "for more information" leads, phones, addresses, links, a place and date), and
// the sign-off lines among them. Works on the blocks segment.ts has found. Pure.
import { isDateLine } from './dates.ts';
import { endsSentence, unicodeWords } from './patterns.ts';
import { isBulletLine, isContactLine, looksLikePersonName } from './line-kinds.ts';
import { countWords } from './text.ts';

/** Most lines of a sign-off at the end of the text: names, roles, the organisation. */
const MAX_SIGN_OFF_LINES = 6;

/** Most lines taken from the end of the text as its trailing block. */
const MAX_TRAILING_LINES = 14;
/** A trailing line is short: a name, a role, an address, a place and date. */
const MAX_TRAILING_LINE_WORDS = 12;
const MAX_TRAILING_LINE_CHARS = 90;
/** A line this long without a full stop is a hard-wrapped paragraph line: the short line under it ends the paragraph. */
const HARD_WRAP_CHARS = 50;
/** "For more information", "Media enquiries", "Contact:": the start of a contact block, whatever follows. */
export const CONTACT_LEAD = unicodeWords(
  /^(?:for (?:more|further) information|for media (?:enquiries|inquiries)|media (?:enquiries|inquiries|contacts?)|press (?:contacts?|enquiries|inquiries)|(?:all )?(?:[\p{Lu}][\p{L}-]* )?(?:media|press) (?:enquiries|inquiries)|contact(?:s)?\s*:|contact person|kontak|narahubung|narasumber|informasi lebih lanjut|pour (?:plus d[’']informations|tout renseignement)|contact presse|contacto(?: de prensa)?\s*:|más información|para más información|contato|mais informações|pressekontakt|rückfragen|weitere informationen|per informazioni|contatti|kontakt\s*:|bilgi için|για πληροφορίες|контакты|для справок|للاستفسار|للتواصل|برای اطلاعات بیشتر|לפרטים|संपर्क|যোগাযোগ|தொடர்புக்கு|연락처|문의|联系人|聯絡人|新聞聯絡人|お問い合わせ|問い合わせ先|ติดต่อ|liên hệ|mawasiliano)/iu,
);
/** A call to join the organisation after the statement: "Join us and become a member today." */
const JOIN_CALL = unicodeWords(
  /^(?:join (?:us|the union|our union|today)|become a member|sign up (?:to|as a member)|adhérez|rejoignez[- ]nous|afíliate|únete|werde mitglied|jetzt mitglied werden|iscriviti|filie-se|sindicalize-se|associe-se|daftar(?:kan diri)? (?:jadi|sebagai) anggota)\b/iu,
);
const MAX_JOIN_CALL_WORDS = 15;
/** A press officer's title over a name: that name is a press contact, not a signer. */
export const PRESS_CONTACT_ROLE = unicodeWords(
  /^(?:(?:media|press|public) (?:relations|officer|office|liaison|secretary)|communications? (?:officer|manager|director)|relations? (?:presse|médias|publiques)|attachée? de presse|chargée? de (?:communication|presse)|responsable (?:de la )?communication|pressestelle|pressesprecher(?:in)?|pressereferent(?:in)?|ufficio stampa|addetto stampa|gabinete de prensa|jefe de prensa|responsable de prensa|assessoria de imprensa|assessor(?:a)? de imprensa|humas)\b/iu,
);
/** A press or media office's name ("Badan Media SAMM", "Prensa CCOO", "Ufficio Stampa"): not a person. */
const MEDIA_WORD = unicodeWords(/\b(?:media|medias|médias|press|presse|prensa|imprensa|stampa|communications?|comunicación|comunicação|comunicazione|humas|пресс|прес|media centre)\b/iu);
export const PHONE_OR_ADDRESS = /(?:\+?\d[\d ()./-]{7,}\d|[\w.+-]+@[\w-]+\.[\w.-]+|https?:\/\/\S+|www\.\S+)/u;

/** True when a line after the text is part of a trailing block rather than of the statement. */
function isTrailingLine(line: string): boolean {
  const t = line.trim();
  if (!t || isBulletLine(t)) return false;
  if (CONTACT_LEAD.test(t) || isContactLine(t)) return true;
  if (JOIN_CALL.test(t) && countWords(t) <= MAX_JOIN_CALL_WORDS) return true;
  if (PHONE_OR_ADDRESS.test(t) && countWords(t) <= 40) return true;
  return countWords(t) <= MAX_TRAILING_LINE_WORDS && t.length <= MAX_TRAILING_LINE_CHARS && !endsSentence(t);
}

/** Contact details without doubt: a contact lead, a contact line, a phone, an address, a link. */
function isContactDetail(line: string): boolean {
  const t = line.trim();
  return CONTACT_LEAD.test(t) || isContactLine(t) || (PHONE_OR_ADDRESS.test(t) && countWords(t) <= MAX_TRAILING_LINE_WORDS);
}

/** A contact lead is a short line: "For more information, contact:", "All media enquiries should be directed to the press team:". */
const MAX_CONTACT_LEAD_WORDS = 25;

/**
 * Cuts from `body` a contact lead among its last lines and everything after it ("For more
 * information, contact: / Chairperson, / the organisation / its address / Tel"), even in the
 * middle of a block. The first line of the text is never a lead.
 */
function takeFromContactLead(body: string[][]): string[] {
  let seen = 0;
  let at: { block: number; line: number } | undefined;
  for (let b = body.length - 1; b >= 0 && seen < MAX_TRAILING_LINES; b--) {
    const lines = body[b]!;
    for (let l = lines.length - 1; l >= 0 && seen < MAX_TRAILING_LINES; l--, seen++) {
      if ((b > 0 || l > 0) && CONTACT_LEAD.test(lines[l]!.trim()) && countWords(lines[l]!) <= MAX_CONTACT_LEAD_WORDS) at = { block: b, line: l };
    }
  }
  if (!at) return [];
  const taken = [...body[at.block]!.slice(at.line), ...body.slice(at.block + 1).flat()];
  body.length = at.block + 1;
  body[at.block] = body[at.block]!.slice(0, at.line);
  if (!body[at.block]!.length) body.pop();
  return taken;
}

/**
 * Takes from the end of `body` the trailing block of a statement: signature lines, contacts,
 * addresses, phones, links, a place and date. A short last line of a hard-wrapped paragraph
 * stays (the line above it is long and runs on), unless it is a contact detail. Stops at a sentence.
 */
export function takeTrailingLines(body: string[][]): string[] {
  // A contact lead ("For more information:") and everything after it go, even mid-block.
  const taken: string[] = takeFromContactLead(body);
  while (body.length > 1 && taken.length < MAX_TRAILING_LINES) {
    const block = body.at(-1)!;
    const line = block.at(-1)!;
    const above = block.at(-2);
    const runsOn = above !== undefined && !endsSentence(above.trim()) && (above.trim().length >= HARD_WRAP_CHARS || !isTrailingLine(above)) && !isContactDetail(line);
    if (!isTrailingLine(line) || runsOn) break;
    taken.unshift(block.pop()!);
    if (!block.length) body.pop();
  }
  return taken;
}

/** Sign-off lines: the ones ending the text, or the name and role lines just taken as its trailing block. */
export function tailSignOff(fromBody: string[], trailer: string[][], taken: string[] | undefined, reference: Date | undefined): string[] {
  if (fromBody.length) return fromBody;
  const first = trailer[0];
  if (!first || first !== taken) return [];
  const lines = first.filter((l) => !isContactLine(l) && !PHONE_OR_ADDRESS.test(l) && !CONTACT_LEAD.test(l.trim()));
  // A place before a date ("New Delhi / March 2, 2022") is not a person.
  const start = lines.findIndex(
    (l, j) =>
      looksLikePersonName(l.trim().replace(/^[–—-]+\s*/, '').split(/\s*(?:,|\s[–—-]\s|\()/)[0]!) &&
      !MEDIA_WORD.test(l) &&
      !(lines[j + 1] && isDateLine(lines[j + 1]!, reference)) &&
      !isDateLine(l, reference),
  );
  if (start < 0) return [];
  // A name with its own phone or e-mail under it is an email signature; contacts after a lead
  // ("For more information:", "Narahubung:") belong to a press contact, not to the signer.
  if (lines.slice(0, start).some((l) => PRESS_CONTACT_ROLE.test(l.trim()))) return [];
  const from = first.indexOf(lines[start]!);
  for (const l of first.slice(from + 1)) {
    if (CONTACT_LEAD.test(l.trim())) break;
    if (isContactLine(l) || PHONE_OR_ADDRESS.test(l)) return [];
  }
  const signOff = lines.slice(start, start + MAX_SIGN_OFF_LINES);
  const i = first.indexOf(signOff[0]!);
  trailer[0] = first.filter((l, j) => j < i || !signOff.includes(l));
  if (!trailer[0].length) trailer.shift();
  return signOff;
}

