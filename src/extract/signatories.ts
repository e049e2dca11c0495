// Who signs or issues the statement, from its sign-off block: "Released by,\nName\nRole",
// "Signed: Name, Role", "Name (Role)", or unmarked name and role lines ending the text. The
// email's sender and the signature of a cover note are not signatories. Pure.
import { CLOSING, CONTACT_LINE, DISCLAIMER, SENT_FROM, SIGN_OFF_MARKER, SIGNATURE_SEPARATOR } from './patterns.ts';
import { findAcronymNames } from './organisation.ts';
import { looksLikePersonName } from './segment.ts';
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
    return dedupe(organisationsListed.map((name) => ({ name, role: null })));
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
  return [];
}
