// Which organisation issued the statement, and its short name: from the registry editors keep
// (sender address or domain, then a known name in the text), then from the text (headings,
// "Name (ACRONYM)", the sign-off block, the signature, the subject), then the sender's display
// name. Pure.
import type { EmailAddress } from './parsed-email.ts';
import { ORGANISATION_WORD, unicodeWords } from './patterns.ts';
import { looksLikePersonName } from './line-kinds.ts';
import { organisationOfPressOffice, withoutOrgan } from './press-office.ts';
import type { FieldProvenance, KnownOrganisation } from './types.ts';

export interface OrganisationGuess {
  name: string;
  short: string | null;
  known: KnownOrganisation | undefined;
  provenance: FieldProvenance;
}

export function findKnownOrganisation(address: string | undefined, organisations: KnownOrganisation[]): KnownOrganisation | undefined {
  if (!address) return undefined;
  const lower = address.toLowerCase();
  const domain = lower.split('@')[1];
  return (
    organisations.find((o) => o.senderAddresses.some((a) => a.toLowerCase() === lower)) ??
    organisations.find((o) => domain !== undefined && o.senderDomains.some((d) => d.toLowerCase() === domain || domain.endsWith(`.${d.toLowerCase()}`)))
  );
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A known organisation whose name, or whose short name as a word, the text mentions. */
export function findKnownOrganisationInText(text: string, organisations: KnownOrganisation[]): KnownOrganisation | undefined {
  const lower = text.toLowerCase();
  return (
    organisations.find((o) => o.name.length > 3 && lower.includes(o.name.toLowerCase())) ??
    organisations.find((o) => o.shortName && o.shortName.length >= 2 && new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(o.shortName)}(?![\\p{L}\\p{N}])`, 'u').test(text))
  );
}

const CONNECTOR = /^(?:of|for|and|the|de|del|des|du|la|le|les|el|los|las|di|da|do|dos|das|della|van|von|der|für|und|et|y|e|ng|sa|ni|na|dan|bagi|untuk|ke|&)$/i;
const ACRONYM_IN_PARENS = /\(\s*([\p{Lu}][\p{Lu}\p{N}&.-]{1,11})\s*\)/gu;

export interface AcronymName {
  name: string;
  short: string;
  index: number;
}

/** Initial letters a word contributes: "Marxist-Leninist" gives M and L. */
function initialsOf(word: string): string[] {
  return word
    .replace(/^[(["'“‘]+|[)\]"'”’,:;]+$/g, '')
    .split(/[-–/]/)
    .filter((part) => /^[\p{L}]/u.test(part))
    .map((part) => part[0]!.toUpperCase());
}

/**
 * "Long Name (ACRONYM)": the capitalised words before an acronym in brackets whose initials
 * account for the acronym's letters (in any order, for names translated from another language).
 */
export function findAcronymNames(text: string): AcronymName[] {
  const found: AcronymName[] = [];
  for (const m of text.matchAll(ACRONYM_IN_PARENS)) {
    const short = m[1]!.replace(/[.]/g, '');
    const letters = short.replace(/[^\p{L}]/gu, '').toUpperCase().split('');
    if (letters.length < 2) continue;
    const lineStart = text.lastIndexOf('\n', m.index!) + 1;
    const words = text.slice(Math.max(lineStart, m.index! - 200), m.index!).trim().split(/\s+/).filter(Boolean);
    const need = new Map<string, number>();
    for (const l of letters) need.set(l, (need.get(l) ?? 0) + 1);
    let missing = letters.length;
    let start = words.length;
    for (let w = words.length - 1; w >= 0 && missing > 0; w--) {
      const word = words[w]!;
      if (CONNECTOR.test(word)) continue;
      const bare = word.replace(/^[(["'“‘]+/, '');
      if (!/^[\p{Lu}]/u.test(bare) && !/^\(/.test(word)) break;
      if (/[.!?:;]$/.test(word)) break;
      for (const initial of initialsOf(word)) {
        const n = need.get(initial) ?? 0;
        if (n > 0) {
          need.set(initial, n - 1);
          missing--;
        }
      }
      start = w;
    }
    if (missing > 0 || words.length - start < 2) continue;
    const name = words.slice(start).join(' ').replace(/[,:;]+$/, '');
    found.push({ name, short: m[1]!, index: m.index! });
  }
  return found;
}

/** True when a short phrase reads as an organisation's name rather than a sentence or a person. */
export function looksLikeOrganisationName(text: string): boolean {
  const t = text.trim();
  if (!t || t.length > 120 || /[.!?]$/.test(t) || t.split(/\s+/).length > 12) return false;
  if (/^[\p{Lu}][\p{Lu}\p{N}&().-]{1,11}(?:\s+[\p{Lu}][\p{L}]*){0,3}$/u.test(t) && /[\p{Lu}]{2,}/u.test(t)) return true;
  return ORGANISATION_WORD.test(t) && /^[\p{Lu}\p{N}("'“]/u.test(t);
}

/** An organisation prefix on a heading or subject: "Socialist Alliance: Headline". */
export function splitOrganisationPrefix(text: string): { organisation: string; rest: string } | undefined {
  const m = /^(.{2,100}?)\s*(?::|\s[–—|-])\s+(.+)$/u.exec(text.trim());
  if (!m) return undefined;
  // "PSM statement: No to war", "PSM’s press statement – No to war": the name without the label.
  const organisation = m[1]!
    .trim()
    .replace(/\s+(?:joint\s+|press\s+|media\s+|public\s+)?(?:statement|declaration|press release|communiqué|comunicado|déclaration|erklärung|pahayag|kenyataan(?: media)?)$/iu, '')
    .replace(/[’']s$/, '');
  return looksLikeOrganisationName(organisation) ? { organisation, rest: m[2]!.trim() } : undefined;
}

const LABEL_BEFORE = unicodeWords(/^(.{2,100}?)[’']?s?\s+(?:press\s+)?(?:statement|declaration|press release|communiqué|comunicado|déclaration|erklärung|pahayag|kenyataan|on)\b/iu);
const LABEL_AFTER = unicodeWords(
  /\b(?:statement|declaration|communiqué|comunicado|déclaration|erklärung|pahayag|kenyataan|pernyataan)\s+(?:of|by|from|de|du|des|del|da|do|der|ng)\s+(?:the\s+|la\s+|le\s+|l[’'])?(.{2,100}?)(?:\s+(?:on|about|regarding|sur|sobre|zu|tungkol)\b|[:,.;]|$)/iu,
);

/** "بیانیه حزب X درباره …", "بيان اتحاد X حول …": a label, the organisation (opening with an organisation word), then "about". */
const LABEL_ARABIC_SCRIPT =
  /^(?:بیانیه|اطلاعیه|اعلامیه|بيان|تصريح|بلاغ|نداء)\s+((?:حزب|اتحادیه|اتحاد|سازمان|انجمن|جبهه|کانون|جنبش|شورای|نقابة|جمعية|حركة|منظمة|جبهة|رابطة|الحزب|الاتحاد|النقابة|الجمعية|الحركة|المنظمة|الجبهة|الرابطة)\s[^:،,]{2,80}?)\s+(?:درباره|در باره|در مورد|پیرامون|علیه|حول|بشأن|عن|ضد|إلى|في)\s/u;

/** "X statement on Y", "Statement of X on Y", "X on Y" (in a heading or subject): X when it names an organisation. */
export function organisationOfLabel(text: string): string | undefined {
  const arabicScript = LABEL_ARABIC_SCRIPT.exec(text.trim());
  if (arabicScript) return arabicScript[1]!.trim();
  const after = LABEL_AFTER.exec(text);
  if (after && looksLikeOrganisationName(after[1]!)) return after[1]!.trim();
  const before = LABEL_BEFORE.exec(text.trim());
  // "X on Y" names an organisation only when X has an organisation word or is one short name: an
  // all-caps headline "STOP THIS ASSAULT ON …" does not.
  const bareOn = before !== null && /\son$/iu.test(before[0]!);
  const titleCase = (name: string) => name.trim().split(/\s+/).every((w) => CONNECTOR.test(w) || /^[\p{Lu}\p{N}("'“]/u.test(w));
  const plausible =
    before && (!bareOn || (ORGANISATION_WORD.test(before[1]!) && titleCase(before[1]!) && before[1] !== before[1]!.toUpperCase()) || /^[\p{Lu}\p{N}&.()-]{2,12}$/u.test(before[1]!.trim()));
  if (before && plausible && looksLikeOrganisationName(before[1]!) && !LABEL_AFTER.test(before[1]!)) return before[1]!.trim();
  return undefined;
}

/** Organisation names in signature-like lines: "Media Liaison | Socialist Alliance", "for Partido Lakas ng Masa". */
export function organisationInLines(lines: string[]): string | undefined {
  for (const line of lines) {
    for (const part of line.split(/\s*[|/,·•–—]\s*|\s+-\s+/)) {
      const candidate = part.replace(/^(?:for|on behalf of|from|de|pour|por|para|für)\s+(?:the\s+)?/i, '').trim();
      if (looksLikeOrganisationName(candidate) && !looksLikePersonName(candidate) && ORGANISATION_WORD.test(candidate)) return candidate;
    }
  }
  return undefined;
}

/** A capitalised name with an organisation word opening a sentence: "The Socialist Alliance condemns ...". */
export function organisationOpeningSentence(text: string): string | undefined {
  const m = /^(?:[Tt]he\s+|[Ll]a\s+|[Ll]e\s+|[Ee]l\s+|[Ll]os\s+|[Ll]as\s+|[Dd]ie\s+|[Dd]er\s+|[Aa]ng\s+|[Ll][’'])?((?:[\p{Lu}][\p{L}’'-]*|of|for|and|ng|de|del|des|du|la|di)(?:\s+(?:[\p{Lu}][\p{L}’'-]*|of|for|and|ng|de|del|des|du|la|di)){0,7})\s+(?:\(|[\p{Ll}])/u.exec(text.trim());
  const name = m?.[1]?.replace(/\s+(?:of|for|and|ng|de|del|des|du|la|di)$/i, '');
  return name && name.split(/\s+/).length >= 2 && ORGANISATION_WORD.test(name) ? name : undefined;
}

/** The display form of a name found in capitals: its mixed-case spelling elsewhere in the text, else title case. */
export function displayName(name: string, text: string): string {
  if (name !== name.toUpperCase() || !/[\p{L}]{4,}/u.test(name)) return name;
  const words = name.split(/\s+/);
  if (words.length === 1) return name;
  const at = text.toLowerCase().indexOf(name.toLowerCase());
  let i = at;
  while (i >= 0) {
    const found = text.slice(i, i + name.length);
    if (found !== found.toUpperCase()) return found;
    i = text.toLowerCase().indexOf(name.toLowerCase(), i + 1);
  }
  return words
    .map((w) => (/^[\p{Lu}]{2,5}$/u.test(w) && !/[AEIOU]/.test(w.slice(1)) ? w : CONNECTOR.test(w) ? w.toLowerCase() : w[0] + w.slice(1).toLowerCase()))
    .join(' ');
}

/**
 * "Full Name (SHORT)" as a letterhead where SHORT is not built from the initials ("Komisi untuk
 * Orang Hilang … (KontraS)"): taken when the short name is used again in the text.
 */
export function letterheadWithShortName(heading: string, fullText: string): { name: string; short: string } | undefined {
  const m = /^(.{6,120}?)\s*\(\s*([\p{L}][\p{L}\p{N}&.-]{1,15})\s*\)$/u.exec(heading.trim());
  if (!m || m[1]!.split(/\s+/).length < 3 || !/^[\p{Lu}]/u.test(m[1]!)) return undefined;
  const short = m[2]!;
  const uses = [...fullText.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(short)}(?![\\p{L}\\p{N}])`, 'giu'))].map((x) => x[0]);
  if (uses.length < 3) return undefined;
  // Its spelling in running text ("KontraS"), not the letterhead's capitals.
  const written = uses.find((u) => u !== u.toUpperCase()) ?? short;
  return { name: m[1]!.trim(), short: written };
}

/**
 * "Full Name (SHORT) Place", when the text (or sender) calls it "SHORT Place" again: the branch
 * is part of the name ("Aliansi Jurnalis Independen (AJI) Jakarta" is "… Jakarta (AJI Jakarta)").
 */
export function qualifiedShort(name: string, short: string, fullText: string, senderName: string | undefined): { name: string; short: string } | undefined {
  const after = new RegExp(`\\(${escapeRegex(short)}\\)\\s+([\\p{Lu}][\\p{L}-]{2,30})(?![\\p{L}])`, 'u').exec(fullText);
  if (!after) return undefined;
  const branch = `${short} ${after[1]}`;
  const uses = fullText.split(branch).length - 1 + (senderName?.includes(branch) ? 1 : 0);
  if (uses < 3 || name.endsWith(after[1]!)) return undefined;
  return { name: `${name} ${after[1]}`, short: branch };
}

export interface OrganisationEvidence {
  sender: EmailAddress | undefined;
  headings: string[];
  firstParagraph: string;
  signOff: string[];
  /** Signature, closing and cover-note lines. */
  otherLines: string[];
  subject: string;
  /** All the text, to find short names and mixed-case spellings. */
  fullText: string;
  organisations: KnownOrganisation[];
}

export function guessOrganisation(e: OrganisationEvidence): OrganisationGuess | undefined {
  const fromRegistry = findKnownOrganisation(e.sender?.address, e.organisations);
  if (fromRegistry) return fromKnown(fromRegistry, 'registry', 0.95);
  const lead = [...e.headings, e.firstParagraph, ...e.signOff].join('\n');
  const knownInText = findKnownOrganisationInText(lead, e.organisations);
  if (knownInText) return fromKnown(knownInText, 'registry-text', 0.8);

  const acronyms = findAcronymNames(e.fullText);
  const shortFor = (name: string): string | null => {
    const n = name.toLowerCase();
    const hit = acronyms.find((a) => a.name.toLowerCase() === n || a.name.toLowerCase().endsWith(` ${n}`));
    if (hit) return hit.short;
    return /^[\p{Lu}]{2,8}$/u.test(name) ? name : null;
  };
  const guess = (name: string, source: string, confidence: number, short?: string): OrganisationGuess => {
    // "Central Committee of the Example Party" is the party's body: the organisation is the party.
    const organ = withoutOrgan(name.trim());
    const owner = organ !== name.trim() && ORGANISATION_WORD.test(organ) ? organ : name.trim();
    const display = displayName(owner, e.fullText);
    const found = short ?? shortFor(display);
    const qualified = found ? qualifiedShort(display, found, e.fullText, e.sender?.name) : undefined;
    if (qualified) return { name: qualified.name, short: qualified.short, known: undefined, provenance: { source, confidence } };
    return { name: display, short: found, known: undefined, provenance: { source, confidence } };
  };

  // A press office's name ("X Media", "Service de presse X"): the organisation is X, written in
  // full where the text gives "Full Name (X)".
  const office = organisationOfPressOffice(e.sender?.name);
  if (office) {
    const bare = office.replace(/[.\s]/g, '');
    const expanded = acronyms.find((a) => a.short.replace(/[.\s]/g, '') === bare);
    if (expanded) return guess(expanded.name, 'press-office', 0.85, expanded.short);
    return guess(office, 'press-office', 0.8);
  }

  const closing = new Set([...e.signOff, ...e.otherLines].map((l) => l.trim().toLowerCase()).filter(Boolean));
  for (const [index, heading] of e.headings.entries()) {
    const acronym = findAcronymNames(heading)[0];
    if (acronym) return guess(acronym.name, 'heading', 0.85, acronym.short);
    const named = letterheadWithShortName(heading, e.fullText);
    if (named) return guess(named.name, 'heading', 0.75, named.short);
    // A letterhead that the statement's last lines repeat: the organisation signing its statement.
    if (index < e.headings.length - 1 && closing.has(heading.trim().toLowerCase()) && !/[.!?:。！？]$/u.test(heading.trim()) && heading.length <= 80) return guess(heading, 'heading', 0.7);
    const prefix = splitOrganisationPrefix(heading);
    if (prefix) return guess(prefix.organisation, 'heading', 0.8);
    const label = organisationOfLabel(heading);
    if (label) return guess(label, 'heading', 0.75);
    // A name in capitals above the headline (the last heading is the headline: "SUPPORT THE STRIKING WORKERS" is not a name).
    if (index < e.headings.length - 1 && heading === heading.toUpperCase() && looksLikeOrganisationName(heading) && ORGANISATION_WORD.test(heading)) return guess(heading, 'heading', 0.75);
    // A letterhead: a name with an organisation word above the headline.
    const letterhead = index < e.headings.length - 1 && looksLikeOrganisationName(heading) && ORGANISATION_WORD.test(heading) && !/[!?:]/.test(heading);
    if (letterhead && heading.split(/\s+/).length <= 8) return guess(heading, 'heading', 0.7);
  }
  const opening = findAcronymNames(e.firstParagraph.slice(0, 400))[0];
  if (opening) return guess(opening.name, 'text', 0.75, opening.short);
  const senderOrganisation = e.sender?.name?.trim();
  if (senderOrganisation && closing.has(senderOrganisation.toLowerCase()) && looksLikeOrganisationName(senderOrganisation) && !looksLikePersonName(senderOrganisation)) {
    // The sender's display name, written again under the statement: it is the organisation sending it.
    return guess(senderOrganisation, 'sender-name', 0.7);
  }
  const signOffAcronym = findAcronymNames(e.signOff.join('\n'))[0];
  if (signOffAcronym) return guess(signOffAcronym.name, 'sign-off', 0.7, signOffAcronym.short);
  const signOffName = organisationInLines(e.signOff);
  if (signOffName) return guess(signOffName, 'sign-off', 0.65);
  const sentence = organisationOpeningSentence(e.firstParagraph);
  if (sentence) return guess(sentence, 'text', 0.6);
  const subjectPrefix = splitOrganisationPrefix(e.subject);
  if (subjectPrefix) return guess(subjectPrefix.organisation, 'subject', 0.6);
  const subjectLabel = organisationOfLabel(e.subject);
  if (subjectLabel) return guess(subjectLabel, 'subject', 0.6);
  const senderName = e.sender?.name?.trim();
  if (senderName && looksLikeOrganisationName(senderName) && !looksLikePersonName(senderName)) return guess(senderName, 'sender-name', 0.55);
  const otherAcronym = findAcronymNames(e.otherLines.join('\n'))[0];
  if (otherAcronym) return guess(otherAcronym.name, 'signature', 0.5, otherAcronym.short);
  const signature = organisationInLines(e.otherLines);
  if (signature) return guess(signature, 'signature', 0.45);
  if (senderName) return guess(senderName, 'sender-name', 0.2);
  return undefined;
}

function fromKnown(known: KnownOrganisation, source: string, confidence: number): OrganisationGuess {
  return { name: known.name, short: known.shortName, known, provenance: { source, confidence } };
}
