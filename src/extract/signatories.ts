// Who signs or issues the statement, from its sign-off block: "Released by,\nName\nRole",
// "Signed: Name, Role", "Name (Role)", or unmarked name and role lines ending the text. The
// email's sender and the signature of a cover note are not signatories. Pure.
import { isOfficeLine, officeName } from './office-signatory.ts';
import { CLOSING, CONTACT_LINE, DISCLAIMER, ROLE_WORD, SENT_FROM, SIGN_OFF_MARKER, SIGNATURE_SEPARATOR } from './patterns.ts';
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

/** A role line without the organisation written after it: "General Secretary, Example Party" gives "General Secretary". */
function roleWithoutOrganisation(line: string, organisationNames: string[]): string | undefined {
  const parts = line.split(/\s*(?:,|\||\s[–—-]\s)\s*/).filter((part) => part && !isOrganisationLine(part, organisationNames));
  return parts.length ? parts.join(', ') : undefined;
}

export function parseSignatories(lines: string[], organisationNames: string[]): Signatory[] {
  const out: Signatory[] = [];
  /** Organisations listed under a marker, for statements co-signed by organisations only. */
  const organisationsListed: string[] = [];
  let marked = false;
  let current: Signatory | undefined;
  let linesSinceName = 0;
  for (let raw of lines) {
    let line = raw.trim();
    const marker = SIGN_OFF_MARKER.exec(line);
    if (marker) {
      marked = true;
      line = (marker[1] ?? '').trim().replace(/^(?:the|la|le|el|los|las|die|der|ang)\s+/i, '');
      if (!line) continue;
      raw = line;
    }
    if (!line) continue;
    if (SIGNATURE_SEPARATOR.test(line) || SENT_FROM.test(line) || CLOSING.test(line) || DISCLAIMER.test(line)) break;
    if (CONTACT_LINE.test(line) || countWords(line) > MAX_SIGNATORY_LINE_WORDS) break;
    line = line.replace(/^(?:[•·*–—-]|\d{1,2}[.)])\s+/, '').replace(/[,;]$/, '');
    if (looksLikePersonName(line)) {
      current = { name: line, role: null };
      out.push(current);
      linesSinceName = 0;
      continue;
    }
    const pair = splitNameAndRole(line);
    if (pair) {
      current = pair;
      out.push(pair);
      linesSinceName = 1;
      continue;
    }
    if (current && linesSinceName === 0) {
      const role = isOrganisationLine(line, organisationNames) ? roleWithoutOrganisation(line, organisationNames) : line;
      if (role) current.role = role;
      linesSinceName++;
      continue;
    }
    if (!current && /^[\p{Lu}\p{N}]/u.test(line) && countWords(line) <= 10) {
      // "Released by the Central Committee", or organisations co-signing, one per line.
      organisationsListed.push(line);
      continue;
    }
    linesSinceName++;
  }
  if (!out.length && marked && organisationsListed.length) {
    return dedupe(organisationsListed.map((name) => ({ name: isOfficeLine(name) ? officeName(name, organisationNames) : name, role: null })));
  }
  return dedupe(out);
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
    const before = after ? undefined : ROLE_NAME_THEN_VERB.exec(text);
    const found = after ? speakerOf(after[1]!) : before ? { name: before[2]!, role: before[1]!.trim() } : undefined;
    if (found && ROLE_WORD.test(found.role) && looksLikePersonName(found.name)) return [found];
  }
  return [];
}

const ARTICLE = String.raw`(?:the|il|lo|la|le|el|der|die|o|a)\s+`;
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
const ROLE_NAME_THEN_VERB = new RegExp(String.raw`^(?:${ARTICLE})?([^,.;:“”"«»]{3,80}),\s+${PERSON},\s+(?:has|have|ha|hat|a|issued|made|released|rilascia|emite|publie)\s`, 'iu');
