// Who signs or issues the statement, from its sign-off block: "Released by,\nName\nRole",
// "Signed: Name, Role", "Name (Role)", or unmarked name and role lines ending the text. The
// email's sender and the signature of a cover note are not signatories. Pure.
import { isOfficeLine, issuerInHeading, officeName } from './office-signatory.ts';
import { CLOSING, CONTACT_LINE, DISCLAIMER, ORGANISATION_WORD, ROLE_WORD, unicodeWords, SENT_FROM, SIGN_OFF_MARKER, SIGNATURE_SEPARATOR } from './patterns.ts';
import { findAcronymNames } from './organisation.ts';
import { looksLikePersonName } from './line-kinds.ts';
import { countWords } from './text.ts';
import type { Signatory } from './types.ts';

const MAX_SIGNATORY_LINE_WORDS = 15;

function isOrganisationLine(line: string, organisationNames: string[]): boolean {
  const lower = line.toLowerCase();
  if (organisationNames.some((n) => n && lower.includes(n.toLowerCase()))) return true;
  return findAcronymNames(line).length > 0;
}

/** "Name, Role", "Name – Role", "Name (Role)". */
function splitNameAndRole(line: string): Signatory | undefined {
  const m = /^(.+?)\s*(?:,|\s[–—-]\s|\()\s*(.+?)\)?$/.exec(line);
  if (!m || !looksLikePersonName(m[1]!)) return undefined;
  return { name: m[1]!.trim(), role: m[2]!.trim() || null };
}

/** A line that is only the organisation's name ("Parti Sosialis Malaysia (PSM)"): no role in it. */
function onlyOrganisation(line: string, organisationNames: string[]): boolean {
  return line.split(/\s*(?:,|\||\/|\s[–—-]\s)\s*/).every((part) => !part || isOrganisationLine(part, organisationNames));
}

/** A phone number ending a signatory's line ("Sadikh Niass, RADDHO : 77 000 00 00"): contact, not role. */
const PHONE_TAIL = /\s*(?:[:|–—-]\s*)?(?:(?<![\p{L}\p{N}])(?:tel|t[ée]l|phone|mob|cel|m|t)\.?\s*:?\s*)?\+?\d[\d ()./-]{5,40}\d\s*$/iu;
/** A written date in a role ("DAR ES SALAAM / 22 Oktoba, 2010" is a place-and-date line, not a person). */
const DATE_IN_ROLE = /(?:^|\D)(?:1[89]|20)\d{2}(?:\D|$)|^\d{1,2}[\s./-]/u;
/** The marker of a list of co-signing organisations: "Signed, among other organisations:". */
const ORGANISATIONS_LISTED = unicodeWords(
  /\b(?:organi[sz]ations?|organizaciones|organiza[çc][õo]es|organisationen|organizzazioni|organisasi|organizacje|kuruluşlar|örgütler|организации|організації|associations?|entidades|entit[ée]s|groups|grupos|groupes|unions|sindicatos|syndicats|colectivos|collectifs|المنظمات|الهيئات|الجمعيات)\b/iu,
);

export function parseSignatories(lines: string[], organisationNames: string[]): Signatory[] {
  const out: Signatory[] = [];
  const offices: Signatory[] = [];
  let current: Signatory | undefined;
  let linesSinceName = 0;
  let coSigners = false;
  for (let raw of lines) {
    let line = raw.trim();
    const marker = SIGN_OFF_MARKER.exec(line);
    if (marker) {
      line = (marker[1] ?? '').trim().replace(/^(?:the|la|le|el|los|las|die|der|ang)\s+/i, '');
      // "Firman, entre otras organizaciones:": what follows is co-signing organisations, not signatories.
      if (ORGANISATIONS_LISTED.test(line) && /:$/.test(line)) coSigners = true;
      if (!line || coSigners) continue;
      raw = line;
    }
    if (!line) continue;
    if (SIGNATURE_SEPARATOR.test(line) || SENT_FROM.test(line) || CLOSING.test(line) || DISCLAIMER.test(line)) break;
    if (CONTACT_LINE.test(line) || countWords(line) > MAX_SIGNATORY_LINE_WORDS) break;
    line = line.replace(/^(?:[•·*–—-]|\d{1,2}[.)])\s+/, '').replace(PHONE_TAIL, '').replace(/[,;:]$/, '').trim();
    if (!line) continue;
    const awaitingRole = current !== undefined && linesSinceName === 0;
    if (!awaitingRole && isOfficeLine(line) && !splitNameAndRole(line)) {
      // "DIRETORIA COLEGIADA DO SINDICATO X", "Komisja Krajowa": a body signing, not a person.
      current = undefined;
      offices.push({ name: officeName(line, organisationNames), role: null });
      continue;
    }
    if (looksLikePersonName(line)) {
      current = { name: line, role: null };
      out.push(current);
      linesSinceName = 0;
      continue;
    }
    const pair = splitNameAndRole(line);
    if (pair && pair.role && DATE_IN_ROLE.test(pair.role)) {
      // "Dakar, le 19 avril 2018": a place-and-date line.
      linesSinceName++;
      continue;
    }
    if (pair) {
      current = pair;
      out.push(pair);
      linesSinceName = 1;
      continue;
    }
    if (current && linesSinceName === 0 && DATE_IN_ROLE.test(line)) {
      // "DAR ES SALAAM" over "22 Oktoba, 2010": a place-and-date, not a person and role.
      out.splice(out.indexOf(current), 1);
      current = undefined;
      continue;
    }
    if (current && linesSinceName === 0) {
      // Roles as written, with the organisation when the line names it ("President, Example Congress (EC)").
      if (!onlyOrganisation(line, organisationNames) || ROLE_WORD.test(line)) current.role = line;
      linesSinceName++;
      continue;
    }
    linesSinceName++;
  }
  // Organisations listed under a marker co-sign the statement: they are not its signatories.
  if (coSigners) return [];
  return dedupe([...out, ...offices]);
}

function dedupe(list: Signatory[]): Signatory[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const key = s.name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Verbs that introduce a quoted statement: "X, Role, said:", "Role X said:". */
const SPEECH_VERB =
  /^(.{3,200}?),?\s+(?:said|says|stated|declared|commented|added|a déclaré|a dit|a affirmé|déclare|ha dichiarato|ha detto|dijo|declaró|afirmó|manifestó|sagte|sagt|erklärte|erklärt|betont|dichiara|afferma|declara|afirma|affirme|disse|afirmou|declarou|menyatakan|mengatakan|berkata)\s*(?:today|on \w+day)?\s*[:,]?$/iu;
const MAX_OPENING_PARAGRAPHS = 3;

/**
 * People named as the speakers of a statement in its opening: "Gary Smith, GMB General Secretary,
 * said:" or "…, Unite general secretary Sharon Graham said:". Only a lead-in that ends in a
 * speech verb counts, so people merely mentioned in the text are not taken.
 */
export function speakersInOpening(paragraphs: string[][]): Signatory[] {
  const several = severalSpeakers(paragraphs);
  if (several.length) return several;
  for (const paragraph of paragraphs.slice(0, MAX_OPENING_PARAGRAPHS)) {
    const text = paragraph.join(' ').trim();
    const m = SPEECH_VERB.exec(text);
    if (!m) continue;
    const clause = m[1]!;
    // "Name, Role" (the role between commas before the verb).
    const pair = /(?:^|,\s+)([\p{Lu}][\p{L}’'.-]+(?:\s+[\p{Lu}][\p{L}’'.-]+){1,3}),\s+([^,]{3,80})$/u.exec(clause);
    if (pair && looksLikePersonName(pair[1]!)) return [{ name: pair[1]!, role: pair[2]!.trim() }];
    // "…, Role Name" (the role right before the name, after the last comma).
    const last = clause.split(/,\s+/).at(-1)!;
    const named = /^(.{3,80}?)\s+([\p{Lu}][\p{L}’'.-]+(?:\s+[\p{Lu}][\p{L}’'.-]+){1,2})$/u.exec(last);
    if (named && looksLikePersonName(named[2]!) && /\p{Ll}/u.test(named[1]!)) return [{ name: named[2]!, role: named[1]!.trim() }];
  }
  for (const paragraph of paragraphs.slice(0, MAX_OPENING_PARAGRAPHS)) {
    const text = paragraph.join(' ');
    const after = VERB_THEN_SPEAKER.exec(text);
    const before = ROLE_NAME_THEN_VERB.exec(text);
    for (const found of [after ? speakerOf(after[1]!) : undefined, before ? { name: before[2]!, role: before[1]!.trim() } : undefined]) {
      if (found && ROLE_WORD.test(found.role) && looksLikePersonName(found.name)) return [found];
    }
  }
  return [];
}

const ARTICLE = String.raw`(?:the|il|lo|la|le|el|der|die|o|a)\s+`;

const NAME = String.raw`[\p{Lu}][\p{L}’'.-]+(?:\s+[\p{Lu}][\p{L}’'.-]+){1,3}`;
const AND = String.raw`\s+(?:and|et|y|e|und|dan|at|i|en)\s+`;
const SAYS = String.raw`,?\s+(?:said|say|says|stated|state|declared|declare|a déclaré|ont déclaré|déclarent|affirment|dijeron|declararon|afirmaron|disseram|declararam|erklärten|sagten|dichiarano|hanno dichiarato|menyatakan|mengatakan|sinabi|nagsabi)(?![\p{L}])`;
/** "Jane Roe and John Doe, co-chairs of X, said …": two people, one role as written. */
const TWO_NAMES_ONE_ROLE = new RegExp(String.raw`^(${NAME})${AND}(${NAME}),\s+([^,;:.]{3,100}?)${SAYS}`, 'u');
/** "Jane Roe, President of X, and John Doe, Secretary of Y, said …": two people, each with a role. */
const TWO_NAMES_TWO_ROLES = new RegExp(String.raw`^(${NAME}),\s+([^,;:.]{3,100}?),${AND}(${NAME}),\s+([^,;:.]{3,100}?)${SAYS}`, 'u');

/** Roles in the plural, as two people sharing one are written. */
const PLURAL_ROLE = unicodeWords(
  /\b(?:co-?chairs|chairs|chairpersons|leaders|spokespersons|spokespeople|presidents|secretaries|coordinators|convenors|conveners|porte-parole|co-porte-parole|coprésident(?:e)?s|dirigeant(?:e)?s|responsables|portavoces|copresident[ae]s|presidentes|dirigentes|secretarios|secretárias|coordenador(?:e|a)s|sprecher(?:innen)?|vorsitzenden|ketua|pemimpin)\b/iu,
);

function isRole(text: string): boolean {
  return ROLE_WORD.test(text) || PLURAL_ROLE.test(text);
}

/** Several people the opening sentence names as speaking together. */
function severalSpeakers(paragraphs: string[][]): Signatory[] {
  for (const paragraph of paragraphs.slice(0, MAX_OPENING_PARAGRAPHS)) {
    const text = paragraph.join(' ').trim().replace(/^(?:the|la|le|el)\s+(?=\p{Lu})/iu, '');
    const two = TWO_NAMES_TWO_ROLES.exec(text);
    if (two && looksLikePersonName(two[1]!) && looksLikePersonName(two[3]!) && isRole(two[2]!) && isRole(two[4]!)) {
      return [{ name: two[1]!, role: two[2]!.trim() }, { name: two[3]!, role: two[4]!.trim() }];
    }
    const one = TWO_NAMES_ONE_ROLE.exec(text);
    if (one && looksLikePersonName(one[1]!) && looksLikePersonName(one[2]!) && isRole(one[3]!)) {
      return [{ name: one[1]!, role: one[3]!.trim() }, { name: one[2]!, role: one[3]!.trim() }];
    }
  }
  return [];
}
const PERSON = String.raw`([\p{Lu}][\p{L}’'.-]+(?:\s+[\p{Lu}][\p{L}’'.-]+){1,4})`;
/** After a quotation: "…", said the General Secretary, Jane Roe. / afferma il Segretario Generale Ana Ruiz. */
const VERB_THEN_SPEAKER = new RegExp(
  String.raw`(?:said|says|stated|declared|added|a déclaré|déclare|affirme|ha dichiarato|dichiara|afferma|ha detto|ha declarado|ha afirmado|declaró|dijo|afirmó|afirma|declara|sagte|sagt|erklärte|erklärt|disse|afirmou|declarou)\s+(?:${ARTICLE})?([^.;:“”"«»]{3,120}?)\s*(?:[.;]|$)`,
  'u',
);

/** "Role, Name" or "Role Words Name Name": the name is the trailing run of capitalised words that are not role words. */
function speakerOf(phrase: string): { name: string; role: string } | undefined {
  const comma = phrase.lastIndexOf(',');
  if (comma > 0) return { role: phrase.slice(0, comma).trim(), name: phrase.slice(comma + 1).trim() };
  const words = phrase.trim().split(/\s+/);
  let i = words.length;
  while (i > 0 && /^\p{Lu}/u.test(words[i - 1]!) && !ROLE_WORD.test(words[i - 1]!)) i--;
  if (i === 0 || words.length - i < 2) return undefined;
  return { role: words.slice(0, i).join(' '), name: words.slice(i).join(' ') };
}

/** "The General Secretary of X, Jane Roe, has issued / ha rilasciato …". */
const ROLE_NAME_THEN_VERB = new RegExp(
  String.raw`^(?:${ARTICLE})?([^,.;:“”"«»]{3,80}),\s+${PERSON},\s+(?:has|have|ha|hat|a|issued|made|released|rilascia|emite|publie|said|says|stated|declared|dijo|declaró|afirmó|afirma|declara|déclare|affirme|erklärte|erklärt|sagte|disse|afirmou|declarou|dichiara|afferma|menyatakan|mengatakan|berkata|menegaskan|nagsabi|sinabi)[\s,:]`,
  'iu',
);

/**
 * The person or body a heading names as issuing the statement: "Statement from Example Union
 * President Jane Roe on …" gives Jane Roe (role "Example Union President"), "Statement from the
 * Central Committee of X on …" gives the Central Committee.
 */
export function issuerOfHeadings(headings: string[], organisationNames: string[]): Signatory[] {
  for (const heading of headings) {
    const issuer = issuerInHeading(heading);
    if (!issuer) continue;
    if (isOfficeLine(issuer)) {
      const name = officeName(issuer, organisationNames);
      if (name) return [{ name, role: null }];
    }
    const person = speakerOf(issuer);
    if (person && ROLE_WORD.test(person.role) && looksLikePersonName(person.name)) return [person];
  }
  return [];
}

/** "Quotes attributable to Example Union Secretary Jane Roe:", "Citations de la secrétaire générale Ana Ruiz :". */
const QUOTES_OF = /^(?:quotes?|comments?|remarks)\s+(?:attributable|attributed)\s+to\s+(?:the\s+)?(.{3,120}?)\s*:?$|^(?:citations?|propos|declaraciones|citas|zitate?|dichiarazioni)\s+(?:attribuables?\s+à\s+|de\s+|del\s+|von\s+|di\s+)(?:la\s+|le\s+|l[’']|el\s+|der\s+|dem\s+|il\s+)?(.{3,120}?)\s*:?$/iu;
/** "Jane Roe, Role of the Union: „…" opening a paragraph: one of several people quoted as the statement's voices. */
const PERSON_ROLE_QUOTE = /^([\p{Lu}][\p{L}’'.-]+(?:\s+[\p{Lu}][\p{L}’'.-]+){1,3}),\s+([^:]{3,120}):\s*[„“"«‚‘]/u;
/** Several titles joined ("Regional Leader of X and Board Member of Y"): the first is the role. */
const TITLES_JOINED = /\s+(?:and|und|et|y|e|i|en|og|och)\s+/u;

function firstTitle(role: string): string {
  const joined = TITLES_JOINED.exec(role);
  if (!joined) return role.trim();
  const first = role.slice(0, joined.index).trim();
  return countWords(first) >= 3 ? first : role.trim();
}

/** The people quoted as the statement's voices: "Quotes attributable to …:" lines and "Name, Role: „…" paragraphs. */
export function quotedSpeakers(paragraphs: string[][]): Signatory[] {
  const found: Signatory[] = [];
  for (const paragraph of paragraphs) {
    const first = paragraph[0]?.trim() ?? '';
    const quotes = paragraph.length === 1 ? QUOTES_OF.exec(first) : null;
    if (quotes) {
      const person = speakerOf(quotes[1] ?? quotes[2]!);
      if (person && looksLikePersonName(person.name)) found.push(person);
      continue;
    }
    const quoted = PERSON_ROLE_QUOTE.exec(first);
    if (quoted && looksLikePersonName(quoted[1]!)) found.push({ name: quoted[1]!, role: firstTitle(quoted[2]!) });
  }
  return dedupe(found);
}

/**
 * Roles in scripts without capital letters, where a name cannot be told from other words by its
 * shape: Chinese, Japanese, Korean, Devanagari (Hindi, Nepali), Bengali, Thai, Arabic, Persian,
 * Urdu, Hebrew, Tamil. Longest first, so "प्रधान" does not hide "प्रधान सचिव".
 */
const SCRIPT_ROLES = [
  // Chinese, Japanese, Korean
  '幹事長', '委員長', '書記長', '事務局長', '事務総長', '共同代表', '代表理事', '理事長', '副委員長', '会長', '議長', '党首', '代表', '主席', '副主席', '总书记', '書記', '秘书长', '秘書長', '理事长', '会长', '主任',
  '위원장', '공동대표', '사무총장', '대표', '의장', '회장', '사무처장', '대변인',
  // Devanagari
  'महासचिव', 'महामन्त्री', 'महामंत्री', 'सदस्य सचिव', 'उपाध्यक्ष', 'अध्यक्ष', 'प्रवक्ता', 'संयोजक', 'कोषाध्यक्ष', 'सचिव',
  // Bengali
  'প্রধান উপদেষ্টা', 'সাধারণ সম্পাদক', 'যুগ্ম আহ্বায়ক', 'সদস্য সচিব', 'আহ্বায়ক', 'সভাপতি', 'মুখপাত্র', 'উপদেষ্টা',
  // Thai
  'เลขาธิการ', 'รองประธาน', 'ประธาน', 'โฆษก',
  // Arabic, Persian, Urdu, Hebrew
  'الأمين العام', 'المتحدث الرسمي', 'الناطق الرسمي', 'نائب الرئيس', 'رئيس', 'منسق', 'دبیر کل', 'دبیر اول', 'سخنگو', 'جنرل سیکرٹری', 'ترجمان', 'صدر', 'יו"ר', 'מזכ"ל', 'דובר', 'דוברת',
  // Tamil
  'பொதுச் செயலாளர்', 'செயலாளர்', 'தலைவர்',
].sort((a, b) => b.length - a.length);
const ROLE_ALTERNATION = SCRIPT_ROLES.join('|');
const SCRIPT_ROLE_LINE = new RegExp(`^(?:${ROLE_ALTERNATION})$`, 'u');
/** A name in a script without capitals: 1 to 4 words of letters, no digits or punctuation. */
const CASELESS_NAME = /^(?:[\p{L}\p{M}]+)(?:[ \u3000][\p{L}\p{M}]+){0,3}$/u;
const HAS_CASELESS_LETTER = /[\u0590-\u06ff\u0900-\u0dff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/u;
/** "幹事長　吉田忠智", "위원장 김민수": role then name on one line. */
const ROLE_THEN_NAME = new RegExp(`^(${ROLE_ALTERNATION})[\\s\\u3000]+(\\S+(?:[ \\u3000]\\S+){0,2})$`, 'u');

/** An Arabic-script word with the article ("الاتحاد", "للحزب") names a thing, not a person: "رئيس الاتحاد" is no signer. */
const ARABIC_ARTICLE_START = /^(?:ال|لل)/u;

function caselessName(text: string): boolean {
  const t = text.trim();
  return !ARABIC_ARTICLE_START.test(t) && t.length >= 2 && t.length <= 30 && HAS_CASELESS_LETTER.test(t) && CASELESS_NAME.test(t) && !/[\p{Lu}\p{Ll}]/u.test(t.replace(/[^\p{Script=Latin}]/gu, '')) && !SCRIPT_ROLE_LINE.test(t);
}

/**
 * Signers in scripts without capitals, among the lines that end a statement: "幹事長　吉田忠智"
 * (role then name), or a name line with a role line under it ("रामप्रसाद दाहाल" / "महासचिव").
 */
export function caselessScriptSigners(lines: string[]): Signatory[] {
  const found: Signatory[] = [];
  const texts = lines.map((l) => l.trim()).filter(Boolean);
  for (let i = 0; i < texts.length; i++) {
    const line = texts[i]!;
    if (SIGNATURE_SEPARATOR.test(line) || CONTACT_LINE.test(line)) break;
    const pair = ROLE_THEN_NAME.exec(line);
    if (pair && caselessName(pair[2]!)) {
      // Han names are written without the space a letterhead puts between family and given name.
      found.push({ name: pair[2]!.replace(/[ \u3000]+/g, /[\u3400-\u9fff]/u.test(pair[2]!) ? '' : ' '), role: pair[1]! });
      continue;
    }
    const next = texts[i + 1];
    if (next && SCRIPT_ROLE_LINE.test(next) && caselessName(line)) {
      found.push({ name: line, role: next });
      i++;
    }
  }
  return dedupe(found);
}

/** Where a South Asian opening says the people spoke "in a statement": "… আজ এক বিবৃতিতে", "… ने एक बयान में". */
const IN_A_STATEMENT = /\s+(?:আজ\s+)?(?:এক|একটি|যৌথ)\s+বিবৃতিতে|\s+(?:ने\s+)?(?:आज\s+)?(?:एक\s+)?(?:संयुक्त\s+)?(?:बयान|वक्तव्य|विज्ञप्ति)\s+(?:में|जारी)/u;
const LIST_SEPARATOR = /\s*[,،]\s*|\s+(?:ও|এবং|और|एवं|तथा|र)\s+/u;

/**
 * People the opening names as speaking in a statement, in scripts without capitals: "X-এর
 * প্রধান উপদেষ্টা A, আহ্বায়ক B ও সদস্য সচিব C আজ এক বিবৃতিতে …" gives A, B and C with their roles.
 */
export function caselessOpeningSigners(paragraphs: string[][]): Signatory[] {
  for (const paragraph of paragraphs.slice(0, 2)) {
    const text = paragraph.join(' ');
    const at = IN_A_STATEMENT.exec(text.slice(0, 600));
    if (!at) continue;
    const found: Signatory[] = [];
    for (const piece of text.slice(0, at.index).split(LIST_SEPARATOR)) {
      let best: { role: string; end: number } | undefined;
      for (const role of SCRIPT_ROLES) {
        const i = piece.lastIndexOf(role);
        if (i >= 0 && (!best || i + role.length > best.end)) best = { role, end: i + role.length };
      }
      const name = best ? piece.slice(best.end).trim() : '';
      if (best && caselessName(name) && name.split(/\s+/).length <= 4) found.push({ name, role: best.role });
    }
    if (found.length) return dedupe(found);
  }
  return [];
}
