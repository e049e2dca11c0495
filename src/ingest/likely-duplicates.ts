// Flags a new draft that repeats a recent statement: the same text (re-sent, forwarded by someone
// else, co-signed by several organisations) or the same organisation and day in another language
// (a translation). The editor then merges or rejects one; nothing is dropped automatically.
//
// Bounded: each draft is compared with the DUPLICATE_CANDIDATES newest statements dated within
// DUPLICATE_WINDOW_DAYS of it, on their first DUPLICATE_COMPARED_CHARS characters. A batch asks
// the database once for every draft's candidates and fetches each candidate's text once; drafts
// of the same batch, not yet committed, are candidates for the drafts after them.
import type { DraftFields } from '../extract/types.ts';
import { findLikelyDuplicate, fingerprint, type DuplicateCandidate, type Fingerprint } from '../extract/similarity.ts';
import { isDatabaseUnavailable } from './database-errors.ts';
import type { Queryable } from './store-raw.ts';

/** Days either side of a statement's date in which an earlier copy of it is looked for. */
export const DUPLICATE_WINDOW_DAYS = 14;
export const DUPLICATE_CANDIDATES = 50;
/** The start of a statement (about 400 words) is enough to recognise it, and cheap to fetch and compare. */
export const DUPLICATE_COMPARED_CHARS = 3_000;

export interface NewDraft {
  /** The id the draft will be inserted with. */
  id: string;
  draft: DraftFields;
}

export interface LikelyDuplicate {
  id: string;
  /** Added to the draft's warnings, for the editor. */
  warning: string;
}

/** What is remembered of a statement across the batches of one run: its text's fingerprint, never its text. */
type KnownStatement = DuplicateCandidate & { fingerprint: Fingerprint };

/**
 * Candidates already fetched, by statement id, least recently used first; one per run of the
 * pipeline (a batch, a scan, a whole import or IMAP first sync). Holds at most
 * DUPLICATE_CACHE_ENTRIES.
 */
export type DuplicateCache = Map<string, KnownStatement>;

/**
 * A fingerprint is up to 1.6 kB (some 400 shingle hashes). A run of the pipeline is one stream
 * of any length since `import` and the IMAP first sync stream, and a cache that kept every
 * statement it met (as sets, 12 kB each then) grew the import's heap by about 100 MB per 8,000
 * messages. A chunk needs at
 * most 16 x DUPLICATE_CANDIDATES of them; consecutive chunks share most candidates (the newest
 * statements near the same dates), so a few chunks' worth keeps nearly every hit.
 */
export const DUPLICATE_CACHE_ENTRIES = 2_000;

/** A draft whose check the database refused (a value it cannot hold): that draft alone fails. */
export interface DuplicateCheckFailed {
  error: unknown;
}

/**
 * For each draft, in order, the recent statement it likely repeats, or null. `drafts` are not in
 * the database yet; each is compared with the statements there and with the drafts before it.
 */
export async function findLikelyDuplicates(sql: Queryable, drafts: NewDraft[], cache: DuplicateCache = new Map()): Promise<(LikelyDuplicate | null)[]> {
  return (await checkLikelyDuplicates(sql, drafts, cache)).map((found) => {
    if (found && 'error' in found) throw found.error;
    return found;
  });
}

/**
 * findLikelyDuplicates for the pipeline: a draft whose check the database refused gets the
 * error in its place, and the others their answer. Throws only when the database is unavailable.
 */
export async function checkLikelyDuplicates(
  sql: Queryable,
  drafts: NewDraft[],
  cache: DuplicateCache = new Map(),
): Promise<(LikelyDuplicate | null | DuplicateCheckFailed)[]> {
  if (!drafts.length) return [];
  const stored = await storedCandidatesEach(sql, drafts, cache);
  const earlier: KnownStatement[] = [];
  return drafts.map(({ id, draft }, index) => {
    const mine = knownStatement(id, draft);
    const fromDatabase = stored[index]!;
    // Not written, so not a candidate for the drafts after it.
    if (!Array.isArray(fromDatabase)) return fromDatabase;
    // Newest first, as the database's candidates are: the drafts before this one are newer than any of them.
    const candidates = [...earlier.filter((c) => withinWindow(draft.statementDate, c.statementDate)).reverse(), ...fromDatabase].slice(0, DUPLICATE_CANDIDATES);
    earlier.push(mine);
    const match = findLikelyDuplicate(mine, candidates);
    if (!match) return null;
    return {
      id: match.id,
      warning:
        match.reason === 'same-text'
          ? 'likely a copy of an earlier draft (same text): merge or reject one'
          : 'likely a translation of an earlier draft (same organisation and day, another language)',
    };
  });
}

function knownStatement(id: string, draft: DraftFields): KnownStatement {
  return {
    id,
    organisationName: draft.organisationName,
    statementDate: draft.statementDate,
    language: draft.language,
    fingerprint: fingerprint(draft.bodyText.slice(0, DUPLICATE_COMPARED_CHARS)),
  };
}

function withinWindow(day: string | null, other: string | null): boolean {
  if (day === null) return true;
  if (other === null) return false;
  return Math.abs(Date.parse(day) - Date.parse(other)) <= DUPLICATE_WINDOW_DAYS * 86_400_000;
}

/**
 * storedCandidates, isolated per draft: when the database refuses the query for all of them for a
 * reason other than being unavailable (one draft's date it cannot hold, say), each draft is asked
 * for alone, and only the one it still refuses gets the error.
 */
async function storedCandidatesEach(sql: Queryable, drafts: NewDraft[], cache: DuplicateCache): Promise<(KnownStatement[] | DuplicateCheckFailed)[]> {
  try {
    return await storedCandidates(sql, drafts, cache);
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    if (drafts.length === 1) return [{ error }];
    const each: (KnownStatement[] | DuplicateCheckFailed)[] = [];
    for (const draft of drafts) each.push(...(await storedCandidatesEach(sql, [draft], cache)));
    return each;
  }
}

/**
 * Each draft's candidates from the database, newest first: ids in one query, then the texts not
 * seen before. Two branches, one of which runs per draft, each served by an index so the cost
 * does not grow with the archive (an OR of both made PostgreSQL scan every statement, per
 * chunk): a dated draft reads the window of its date from statements(statement_date,
 * created_at), an undated one the newest statements from statements(created_at, id).
 */
async function storedCandidates(sql: Queryable, drafts: NewDraft[], cache: DuplicateCache): Promise<KnownStatement[][]> {
  const { rows: picks } = await sql.query<{ n: number; id: string }>(
    `SELECT d.n::int AS n, s.id::text AS id
     FROM unnest($1::date[]) WITH ORDINALITY AS d(day, n)
     CROSS JOIN LATERAL (
       (SELECT id, created_at FROM statements
         WHERE d.day IS NOT NULL AND statement_date BETWEEN d.day - $2::int AND d.day + $2::int
         ORDER BY created_at DESC
         LIMIT $3::int)
       UNION ALL
       (SELECT id, created_at FROM statements
         WHERE d.day IS NULL
         ORDER BY created_at DESC
         LIMIT $3::int)) s
     ORDER BY d.n, s.created_at DESC`,
    [drafts.map((d) => d.draft.statementDate), DUPLICATE_WINDOW_DAYS, DUPLICATE_CANDIDATES],
  );
  const missing = [...new Set(picks.map((p) => p.id))].filter((id) => !cache.has(id));
  if (missing.length) {
    const { rows } = await sql.query<{ id: string; bodyText: string; organisationName: string | null; statementDate: string | null; language: string | null }>(
      `SELECT id::text AS id, left(body_text, $2::int) AS "bodyText", organisation_name AS "organisationName",
              to_char(statement_date, 'YYYY-MM-DD') AS "statementDate", language
       FROM statements WHERE id = ANY($1::uuid[])`,
      [missing, DUPLICATE_COMPARED_CHARS],
    );
    for (const { bodyText, ...row } of rows) cache.set(row.id, { ...row, fingerprint: fingerprint(bodyText) });
  }
  const perDraft: KnownStatement[][] = drafts.map(() => []);
  for (const { n, id } of picks) {
    const known = cache.get(id);
    if (!known) continue;
    perDraft[n - 1]!.push(known);
    // Used now: to the end of the order, last to be forgotten.
    cache.delete(id);
    cache.set(id, known);
  }
  // Forgotten after this chunk's use, so that a chunk never loses its own candidates.
  for (const id of cache.keys()) {
    if (cache.size <= DUPLICATE_CACHE_ENTRIES) break;
    cache.delete(id);
  }
  return perDraft;
}
