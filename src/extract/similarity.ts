// The same statement received twice (re-sent, forwarded by someone else, co-signed and sent by
// several organisations) has nearly the same words: compare sets of word shingles. Linear in
// the texts' length (hashed shingles, sorted). Pure.

/** Words per shingle: long enough that two different statements on one topic rarely share many. */
const SHINGLE_WORDS = 5;
/** Only the first part of a long text is compared: enough to recognise it, and cheap. */
const MAX_WORDS = 400;
/** Share of the smaller text's shingles found in the other: at or above this, a likely duplicate. */
export const DUPLICATE_CONTAINMENT = 0.5;
const MIN_SHINGLES = 8;

export interface Fingerprint {
  /**
   * The text's shingle hashes, sorted, each once. A typed array rather than a Set: about 1.6 kB
   * for a 400-word text against about 12 kB, which counts where thousands are kept between
   * chunks (the likely-duplicate cache of a whole import); compared by one merge of the two.
   */
  shingles: Uint32Array;
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
  const hashes: number[] = [];
  for (let i = 0; i + SHINGLE_WORDS <= list.length; i++) hashes.push(hash(list.slice(i, i + SHINGLE_WORDS).join(' ')));
  if (list.length > 0 && list.length < SHINGLE_WORDS) hashes.push(hash(list.join(' ')));
  const sorted = Uint32Array.from(hashes).sort();
  let unique = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[unique++] = sorted[i]!;
  return { shingles: sorted.slice(0, unique) };
}

export interface Similarity {
  /** |A ∩ B| / |A ∪ B| */
  jaccard: number;
  /** |A ∩ B| / min(|A|, |B|): high when one text contains the other (a statement with a cover note or a longer signature list). */
  containment: number;
}

export function compareFingerprints(a: Fingerprint, b: Fingerprint): Similarity {
  const [small, large] = a.shingles.length <= b.shingles.length ? [a.shingles, b.shingles] : [b.shingles, a.shingles];
  if (small.length === 0) return { jaccard: 0, containment: 0 };
  let shared = 0;
  for (let i = 0, j = 0; i < small.length && j < large.length; ) {
    if (small[i]! === large[j]!) {
      shared++;
      i++;
      j++;
    } else if (small[i]! < large[j]!) i++;
    else j++;
  }
  return { jaccard: shared / (small.length + large.length - shared), containment: shared / small.length };
}

/** True when two statement texts are likely the same statement. */
export function isLikelyDuplicate(a: Fingerprint, b: Fingerprint): boolean {
  if (Math.min(a.shingles.length, b.shingles.length) < MIN_SHINGLES) return false;
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
