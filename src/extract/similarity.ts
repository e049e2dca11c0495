// The same statement received twice (re-sent, forwarded by someone else, co-signed and sent by
// several organisations) has nearly the same words: compare sets of word shingles. Linear in
// the texts' length (hashed shingles in a Set). Pure.

/** Words per shingle: long enough that two different statements on one topic rarely share many. */
const SHINGLE_WORDS = 5;
/** Only the first part of a long text is compared: enough to recognise it, and cheap. */
const MAX_WORDS = 400;
/** Share of the smaller text's shingles found in the other: at or above this, a likely duplicate. */
export const DUPLICATE_CONTAINMENT = 0.5;
const MIN_SHINGLES = 8;

export interface Fingerprint {
  shingles: Set<number>;
}

/** Characters read from a text: about MAX_WORDS words, and no pass over a huge body. */
const MAX_CHARS = MAX_WORDS * 12;

function words(text: string): string[] {
  return text
    .slice(0, MAX_CHARS)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019'`"“”«»„]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS);
}

/** FNV-1a, 32 bits: a shingle's hash, so the sets hold numbers rather than strings. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function fingerprint(text: string): Fingerprint {
  const list = words(text);
  const shingles = new Set<number>();
  for (let i = 0; i + SHINGLE_WORDS <= list.length; i++) shingles.add(hash(list.slice(i, i + SHINGLE_WORDS).join(' ')));
  if (list.length > 0 && list.length < SHINGLE_WORDS) shingles.add(hash(list.join(' ')));
  return { shingles };
}

export interface Similarity {
  /** |A ∩ B| / |A ∪ B| */
  jaccard: number;
  /** |A ∩ B| / min(|A|, |B|): high when one text contains the other (a statement with a cover note or a longer signature list). */
  containment: number;
}

export function compareFingerprints(a: Fingerprint, b: Fingerprint): Similarity {
  const [small, large] = a.shingles.size <= b.shingles.size ? [a.shingles, b.shingles] : [b.shingles, a.shingles];
  if (small.size === 0) return { jaccard: 0, containment: 0 };
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return { jaccard: shared / (small.size + large.size - shared), containment: shared / small.size };
}

/** True when two statement texts are likely the same statement. */
export function isLikelyDuplicate(a: Fingerprint, b: Fingerprint): boolean {
  if (Math.min(a.shingles.size, b.shingles.size) < MIN_SHINGLES) return false;
  return compareFingerprints(a, b).containment >= DUPLICATE_CONTAINMENT;
}

/** A statement to compare: its text, or the fingerprint of it when the caller has that already. */
export type Comparable = {
  organisationName: string | null;
  statementDate: string | null;
  language: string | null;
} & ({ bodyText: string } | { fingerprint: Fingerprint });

export type DuplicateCandidate = Comparable & { id: string };

function fingerprintOf(statement: Comparable): Fingerprint {
  return 'fingerprint' in statement ? statement.fingerprint : fingerprint(statement.bodyText);
}

/**
 * The candidate most like the new statement, or undefined. Same words: a likely duplicate. A
 * statement of the same organisation on the same day in another language: a likely translation.
 */
export function findLikelyDuplicate(
  statement: Comparable,
  candidates: DuplicateCandidate[],
): { id: string; reason: 'same-text' | 'translation'; score: number } | undefined {
  const mine = fingerprintOf(statement);
  let best: { id: string; reason: 'same-text' | 'translation'; score: number } | undefined;
  for (const candidate of candidates) {
    const theirs = fingerprintOf(candidate);
    if (isLikelyDuplicate(mine, theirs)) {
      const score = compareFingerprints(mine, theirs).containment;
      if (!best || best.reason !== 'same-text' || score > best.score) best = { id: candidate.id, reason: 'same-text', score };
      continue;
    }
    const sameOrganisation =
      statement.organisationName && candidate.organisationName && statement.organisationName.toLowerCase() === candidate.organisationName.toLowerCase();
    const otherLanguage = statement.language && candidate.language && statement.language !== candidate.language;
    if (!best && sameOrganisation && otherLanguage && statement.statementDate && statement.statementDate === candidate.statementDate) {
      best = { id: candidate.id, reason: 'translation', score: 0.5 };
    }
  }
  return best;
}
