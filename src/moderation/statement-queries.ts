// Reads of statements shared by the admin API, the editors' pages and the CLI: the queue with
// its filters and full-text search, one statement with its source message, counts per status.
//
// The queue is one SQL statement per page, every filter in its WHERE and a LIMIT, so its cost
// is that of one page whatever the archive holds (pending corrections included: an index probe
// per row of the page, not a second query): pages walk the (status,) created_at, id
// indexes; search reads the stored, GIN-indexed `search_vector` (migration bounded_queries);
// counts stop at COUNT_LIMIT. Written with node-postgres on the pool under the given client
// (planner settings per query, cancel on abort; docs/architecture.md); they stop when `signal`
// aborts (the client went away).
import { poolOf, type Db, type DbTx } from '../db/client.ts';
import type { StatementStatus } from '../generated/prisma/enums.ts';
import { COUNT_LIMIT, type Cursor } from '../db/pagination.ts';
import { queryCancellable, SqlBuilder } from '../db/sql.ts';

export type { StatementStatus };

export const STATEMENT_STATUSES = ['draft', 'approved', 'published', 'unpublished', 'rejected'] as const;

export interface StatementFilter {
  status?: StatementStatus | undefined;
  /** A topic id or slug; "none" for statements in no topic. */
  topic?: string | undefined;
  /** An organisation id, or words of its name (case-insensitive). */
  organisation?: string | undefined;
  language?: string | undefined;
  /** The statement's own date, inclusive, YYYY-MM-DD. */
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
  /** Full-text search over title, organisation and body; every word must match (as a prefix). */
  q?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Words of a search longer than this are not useful and make tsquery work hard. */
const MAX_SEARCH_WORDS = 12;

/**
 * A prefix tsquery from what an editor typed: letters and digits only, so no input can be a
 * tsquery syntax error, and "solidar" finds "solidarity". Null when nothing searchable is left.
 */
export function toPrefixTsQuery(q: string): string | null {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_SEARCH_WORDS);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

/** A LIKE pattern that matches `text` anywhere, with its own %, _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One row of the queue: what toStatementSummary needs. */
export interface StatementListRow {
  id: string;
  slug: string;
  status: StatementStatus;
  version: number;
  title: string;
  organisationId: string | null;
  organisationName: string | null;
  organisationShort: string | null;
  statementDate: Date | null;
  language: string | null;
  topic: { id: string; slug: string; title: string } | null;
  messageId: string | null;
  senderVerified: boolean;
  likelyDuplicateOfId: string | null;
  duplicateOfId: string | null;
  extraction: unknown;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  /** The sender sent a correction no editor has applied or dismissed yet. */
  pendingCorrection: boolean;
}

/** Adds the conditions of every filter except status to `sql` (alias `s` for statements). */
function addFilterConditions(sql: SqlBuilder, filter: Omit<StatementFilter, 'status'>): void {
  if (filter.topic === 'none') sql.where('s.topic_id IS NULL');
  else if (filter.topic) {
    if (UUID.test(filter.topic)) sql.where(`s.topic_id = ${sql.param(filter.topic)}::uuid`);
    else sql.where(`s.topic_id = (SELECT id FROM topics WHERE slug = ${sql.param(filter.topic)})`);
  }
  if (filter.organisation) {
    if (UUID.test(filter.organisation)) sql.where(`s.organisation_id = ${sql.param(filter.organisation)}::uuid`);
    else {
      const name = sql.param(containsPattern(filter.organisation));
      const short = sql.param(filter.organisation.toLowerCase());
      sql.where(`(s.organisation_name ILIKE ${name} OR lower(s.organisation_short) = ${short})`);
    }
  }
  if (filter.language) sql.where(`s.language = ${sql.param(filter.language)}`);
  if (filter.dateFrom) sql.where(`s.statement_date >= ${sql.param(filter.dateFrom)}::date`);
  if (filter.dateTo) sql.where(`s.statement_date <= ${sql.param(filter.dateTo)}::date`);
  const query = filter.q?.trim() ? toPrefixTsQuery(filter.q) : null;
  // Words with nothing searchable in them ("—", "!!") match nothing, as before.
  if (filter.q?.trim()) sql.where(query ? `s.search_vector @@ to_tsquery('simple', ${sql.param(query)})` : 'false');
}

/**
 * A search's matches are counted up to this first, from the GIN index alone: fewer, and the
 * index finds them all and the page is sorted from them; more (a common word), and the page is
 * read by walking the newest statements, where matches are dense. PostgreSQL's estimate for a
 * prefix query cannot tell the two apart (it walked 95,000 statements for a word in one).
 */
export const SEARCH_PROBE_LIMIT = 2_000;
const FROM_SEARCH_INDEX = ['enable_seqscan = off', 'enable_indexscan = off'];
const WALKING_NEWEST = ['enable_seqscan = off', 'enable_bitmapscan = off'];

export interface SearchPlan {
  /** The probe reached SEARCH_PROBE_LIMIT. */
  common: boolean;
}

export interface QueryOptions {
  /** Aborts the query (the client went away). */
  signal?: AbortSignal | undefined;
  /** planSearch's answer for this filter, when already asked. */
  plan?: SearchPlan | null;
}

/** For a filter with a search: how common its words are (one bounded GIN probe). Null without a search. */
export async function planSearch(db: Db, filter: Omit<StatementFilter, 'status'>, options: QueryOptions = {}): Promise<SearchPlan | null> {
  if (!filter.q?.trim()) return null;
  const sql = new SqlBuilder();
  addFilterConditions(sql, filter);
  const { rows } = await queryCancellable<{ n: number }>(
    poolOf(db),
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM statements s ${sql.whereClause()} LIMIT ${sql.param(SEARCH_PROBE_LIMIT)}) probe`,
    sql.params,
    options.signal,
    FROM_SEARCH_INDEX,
  );
  return { common: rows[0]!.n >= SEARCH_PROBE_LIMIT };
}

async function planFor(db: Db, filter: Omit<StatementFilter, 'status'>, options: QueryOptions): Promise<SearchPlan | null> {
  return options.plan !== undefined ? options.plan : planSearch(db, filter, options);
}

/** A statement of the queue as it runs: its SQL, parameters and planner settings (EXPLAIN-able). */
export interface QueueQuery {
  text: string;
  values: unknown[];
  settings: readonly string[];
}

/** The SQL of a page of the queue; `plan` is planSearch's answer for a filter with a search. */
export function statementPageQuery(filter: StatementFilter & { cursor?: Cursor | undefined; limit: number }, plan: SearchPlan | null): QueueQuery {
  const sql = new SqlBuilder();
  if (filter.status) sql.where(`s.status = ${sql.param(filter.status)}::"StatementStatus"`);
  addFilterConditions(sql, filter);
  if (filter.cursor) sql.where(`(s.created_at, s.id) < (${sql.param(filter.cursor.at)}::timestamptz, ${sql.param(filter.cursor.id)}::uuid)`);
  const text = `
    SELECT s.id::text AS id, s.slug, s.status::text AS status, s.version, s.title,
           s.organisation_id::text AS "organisationId", s.organisation_name AS "organisationName",
           s.organisation_short AS "organisationShort", to_char(s.statement_date, 'YYYY-MM-DD') AS "statementDate",
           s.language, s.message_id::text AS "messageId", s.sender_verified AS "senderVerified",
           s.likely_duplicate_of_id::text AS "likelyDuplicateOfId", s.duplicate_of_id::text AS "duplicateOfId",
           s.extraction, s.created_at AS "createdAt", s.updated_at AS "updatedAt", s.published_at AS "publishedAt",
           t.id::text AS "topicId", t.slug AS "topicSlug", t.title AS "topicTitle",
           EXISTS (SELECT 1 FROM statement_corrections c WHERE c.statement_id = s.id AND c.status = 'pending') AS "pendingCorrection"
      FROM statements s
      LEFT JOIN topics t ON t.id = s.topic_id
     ${sql.whereClause()}
     ORDER BY s.created_at DESC, s.id DESC
     LIMIT ${sql.param(filter.limit + 1)}`;
  return { text, values: sql.params, settings: plan ? (plan.common ? WALKING_NEWEST : FROM_SEARCH_INDEX) : [] };
}

/** A page of the queue, newest first; limit+1 rows tell whether more follow. */
export async function findStatements(
  db: Db,
  filter: StatementFilter & { cursor?: Cursor | undefined; limit: number },
  options: QueryOptions = {},
): Promise<StatementListRow[]> {
  const query = statementPageQuery(filter, await planFor(db, filter, options));
  const { rows } = await queryCancellable<Record<string, unknown>>(poolOf(db), query.text, query.values, options.signal, query.settings);
  return rows.map(toListRow);
}

function toListRow(r: Record<string, unknown>): StatementListRow {
  const { topicId, topicSlug, topicTitle, statementDate, ...rest } = r;
  return {
    ...(rest as Omit<StatementListRow, 'topic' | 'statementDate'>),
    statementDate: typeof statementDate === 'string' ? new Date(`${statementDate}T00:00:00Z`) : null,
    topic: topicId ? { id: topicId as string, slug: topicSlug as string, title: topicTitle as string } : null,
  };
}

/**
 * Counts per status of the statements matching the other filters (the queue's tabs), and for a
 * search its plan. Without a search, one bounded index walk per status, each stopping at
 * COUNT_LIMIT. With one, a single read of the GIN index: the
 * first SEARCH_PROBE_LIMIT matches say whether the words are common, and the first COUNT_LIMIT
 * of them give the counts (when they add up to COUNT_LIMIT, there are more). Asked apart, the
 * probe and the counts each built the index's bitmap of every match: for a word in all of
 * 100,000 statements, 100 ms or more each (bench/scale.ts). Pass the plan on to findStatements.
 */
export async function countAndPlan(
  db: Db,
  filter: Omit<StatementFilter, 'status'> = {},
  options: QueryOptions = {},
): Promise<{ counts: Record<StatementStatus, number>; plan: SearchPlan | null }> {
  const query = statusCountsQuery(filter);
  const { rows } = await queryCancellable<{ status: StatementStatus; n: number; probed?: number }>(poolOf(db), query.text, query.values, options.signal, query.settings);
  const counts = Object.fromEntries(STATEMENT_STATUSES.map((s) => [s, 0])) as Record<StatementStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  const probed = rows.reduce((sum, row) => sum + (row.probed ?? 0), 0);
  return { counts, plan: filter.q?.trim() ? { common: probed >= SEARCH_PROBE_LIMIT } : null };
}

/** The SQL of countAndPlan. */
export function statusCountsQuery(filter: Omit<StatementFilter, 'status'>): QueueQuery {
  const sql = new SqlBuilder();
  if (filter.q?.trim()) {
    addFilterConditions(sql, filter);
    const where = sql.whereClause();
    const text = `SELECT status::text AS status, count(*) FILTER (WHERE n <= ${sql.param(COUNT_LIMIT)})::int AS n, count(*)::int AS probed
              FROM (SELECT m.status, row_number() OVER () AS n
                      FROM (SELECT s.status FROM statements s ${where} LIMIT ${sql.param(SEARCH_PROBE_LIMIT)}) m) matches
             GROUP BY status`;
    return { text, values: sql.params, settings: FROM_SEARCH_INDEX };
  }
  sql.where('s.status = st.status');
  addFilterConditions(sql, filter);
  const text = `SELECT st.status::text AS status,
                   (SELECT count(*) FROM (SELECT 1 FROM statements s ${sql.whereClause()} LIMIT ${sql.param(COUNT_LIMIT)}) capped)::int AS n
              FROM unnest(enum_range(NULL::"StatementStatus")) AS st(status)`;
  return { text, values: sql.params, settings: [] };
}

/** Counts that stopped at COUNT_LIMIT: one of them reached it, or (a search) together they did. */
export function countsCapped(counts: Record<StatementStatus, number>): boolean {
  const values = Object.values(counts);
  return values.some((n) => n >= COUNT_LIMIT) || values.reduce((a, b) => a + b, 0) >= COUNT_LIMIT;
}

export async function findStatementById(db: DbTx, id: string) {
  return db.statement.findUnique({
    where: { id },
    include: {
      topic: { select: { id: true, slug: true, title: true } },
      duplicateOf: { select: { id: true, title: true, status: true } },
      message: {
        select: {
          id: true,
          messageIdHeader: true,
          fromAddress: true,
          fromName: true,
          subject: true,
          sentAt: true,
          receivedAt: true,
          toAddresses: true,
          headers: true,
          attachments: { select: { id: true, filename: true, contentType: true, size: true, sha256: true, inline: true, documentType: true, extractedText: true } },
        },
      },
      revisions: { orderBy: { version: 'desc' }, include: { editor: { select: { id: true, email: true, name: true } } } },
    },
  });
}

/** An attachment's bytes for download by editors. */
export async function findAttachmentContent(db: DbTx, id: string) {
  return db.attachment.findUnique({ where: { id }, select: { id: true, filename: true, contentType: true, size: true, documentType: true, content: true } });
}
