// The statement's title: its own heading when it has one, else the subject without reply and
// forward prefixes, [tags], "PRESS RELEASE:" labels and the organisation's name. Pure.
import { organisationOfLabel, splitOrganisationPrefix, findAcronymNames, looksLikeOrganisationName } from './organisation.ts';
import { ORGANISATION_WORD, unicodeWords } from './patterns.ts';
import { isBareLabel, LABEL_PREFIX } from './lexicons.ts';
import type { FieldProvenance } from './types.ts';

const SUBJECT_PREFIX =
  /^\s*(?:(?:re|fwd?|fw|aw|wg|tr|rv|sv|vs|enc|res|r|i|rif|doorst|vl|tr)\s*(?:\[\d+\])?\s*:\s*|\[[^\]]{0,40}\]\s*|\((?:statement|press release|for publication)\)\s*|(?:(?:joint |press |media |public )?statement|press release|media release|news release|for (?:immediate )?(?:publication|release)|urgent|comunicado(?: de prensa)?|declaración|communiqué(?: de presse)?|déclaration|pressemitteilung|erklärung|kenyataan(?: media)?|pahayag)\s*[:\-–—|]\s*)+/iu;
const SUBJECT_SUFFIX = /\s*(?:[-–—|:]\s*|\(\s*)(?:for (?:publication|your (?:page|site|website)|release)|please (?:publish|post|share)|for your consideration)\s*\)?\s*$/iu;

/** The subject without Re:/Fwd:/[tags] and statement labels. */
export function cleanSubject(subject: string | undefined): string {
  let s = (subject ?? '').replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 3; i++) s = s.replace(SUBJECT_PREFIX, '').replace(LABEL_PREFIX, '').replace(SUBJECT_SUFFIX, '').trim();
  return s;
}

/** A subject without the organisation's name: "PSM statement - No to war" gives "No to war". */
export function subjectTitle(subject: string | undefined): string {
  const cleaned = cleanSubject(subject);
  const labelled = /^(.{2,100}?)[’']?s?\s+(?:press\s+)?(?:statement|declaration|press release)\s*[:\-–—|]\s+(.+)$/iu.exec(cleaned);
  if (labelled && looksLikeOrganisationName(labelled[1]!)) return labelled[2]!.trim();
  const prefix = splitOrganisationPrefix(cleaned);
  return prefix ? prefix.rest : cleaned;
}

/** A heading that is only the organisation's name ("PARTIDO LAKAS NG MASA (PLM)"). */
function isOrganisationOnly(heading: string, followedByAnother: boolean): boolean {
  // "Awami Workers Party" as a letterhead above the headline.
  if (followedByAnother && looksLikeOrganisationName(heading) && ORGANISATION_WORD.test(heading) && !/[!?:]/.test(heading) && heading.split(/\s+/).length <= 8) return true;
  // "FULL NAME IN CAPITALS (ACRONYM)" above the headline: a letterhead, whatever the acronym's letters.
  if (followedByAnother && heading === heading.toUpperCase() && /\([\p{L}.-]{2,12}\)$/u.test(heading) && !/[!?:]/.test(heading)) return true;
  const acronym = findAcronymNames(heading)[0];
  if (acronym && heading.replace(/[()\s]/g, '').length - (acronym.name + acronym.short).replace(/[()\s]/g, '').length < 4) {
    return !/[!?]/.test(heading);
  }
  return heading === heading.toUpperCase() && ORGANISATION_WORD.test(heading) && !/[!?:]/.test(heading) && heading.split(/\s+/).length <= 12;
}

/** A heading that labels the document ("PLM statement on Ukraine") rather than giving its headline. */
function isLabel(heading: string): boolean {
  return unicodeWords(/\b(?:statement|declaration|press release|communiqué|comunicado|déclaration|erklärung|pahayag|kenyataan)\b/iu).test(heading) && organisationOfLabel(heading) !== undefined;
}

function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);
}

/** The heading and the subject say the same: one holds the other, or they share most words. */
function agrees(heading: string, subject: string | undefined): boolean {
  const h = words(heading).join(' ');
  const s = words(cleanSubject(subject)).join(' ');
  if (!h || !s) return false;
  if (h.includes(s) && s.length >= h.length / 2) return true;
  if (s.includes(h)) return true;
  const hw = new Set(words(heading));
  const sw = words(cleanSubject(subject));
  const shared = sw.filter((w) => hw.has(w)).length;
  return hw.size >= 3 && shared / Math.max(hw.size, sw.length) >= 0.8;
}

/** Where a heading stands: under a kicker label, under the statement's date (see segment.ts). */
export interface HeadingMark {
  afterLabel?: boolean;
  afterDate?: boolean;
}

/**
 * The headings that may be the headline. Above a kicker label stands a letterhead ("Name /
 * Address / PRESS RELEASE / Headline"); above the date a letterhead or a rubric ("Rubric /
 * 9 May 2006 / HEADLINE"): when headings follow the label or the date, those are kept.
 */
function headlineCandidates(headings: string[], marks: HeadingMark[]): string[] {
  let pool = headings.map((text, i) => ({ text, mark: marks[i] ?? {} }));
  if (pool.some((p) => p.mark.afterLabel)) pool = pool.filter((p) => p.mark.afterLabel);
  if (pool.some((p) => p.mark.afterDate) && pool.some((p) => !p.mark.afterDate)) pool = pool.filter((p) => p.mark.afterDate);
  return pool.map((p) => p.text);
}

export function chooseTitle(
  headings: string[],
  subject: string | undefined,
  labels: string[] = [],
  marks: HeadingMark[] = [],
): { title: string; provenance: FieldProvenance } | undefined {
  // Only a letterhead above the kicker ("Scholars' Association / 抗議声明", "STATE HOUSE / TAARIFA KWA VYOMBO VYA HABARI"): the kicker is the heading the statement has.
  // Of several kickers, the one nearest the text that says more than its kind ("Communiqué" / "Déclaration de la LIDHO").
  const usable = labels.filter((l) => l.length >= 2);
  const telling = usable.filter((l) => !isBareLabel(l));
  const lastLabel = (telling.length ? telling : usable).at(-1);
  if (lastLabel && headings.length > 0 && marks.length === headings.length && !marks.some((m) => m.afterLabel)) {
    return { title: lastLabel, provenance: { source: 'label', confidence: 0.45 } };
  }
  const candidates = headlineCandidates(headings, marks)
    .filter((h, i, all) => !isOrganisationOnly(h, i < all.length - 1))
    .map((h) => cleanSubject(h) || h)
    .map((h) => splitOrganisationPrefix(h)?.rest ?? h)
    .filter((h) => h.length >= 3);
  const headline = candidates.find((h) => !isLabel(h));
  // A headline the subject repeats is surely the title; one the subject does not confirm may be a standfirst or letterhead.
  if (headline) return { title: headline, provenance: { source: 'heading', confidence: agrees(headline, subject) ? 0.9 : 0.55 } };
  if (candidates[0]) return { title: candidates[0], provenance: { source: 'heading', confidence: 0.7 } };
  // Only kickers above the text ("NOTA DE REPÚDIO", "Communiqué / Déclaration de la LIDHO"): the one nearest the text is the heading the statement has.
  if (lastLabel && lastLabel.length >= 3) return { title: lastLabel, provenance: { source: 'label', confidence: 0.45 } };
  const fromSubject = subjectTitle(subject);
  if (fromSubject) return { title: fromSubject, provenance: { source: 'subject', confidence: 0.5 } };
  return undefined;
}
