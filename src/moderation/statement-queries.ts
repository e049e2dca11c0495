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

/**
 * The SQL of a page of the queue; `plan` is planSearch's answer for a filter with a search.
 *
 * The page's ids are found first, from the filtered columns alone, then its rows are read by
 * primary key. Found with every column at once, the first page of drafts walked the (created_at,
 * id) index and read each newer statement's row to check its status: at 100,000 statements
 * with the newest 2,000 published, 2,150 buffers and 5.5 ms against 25 and 0.7 ms for a deeper
 * page (bench/scale.ts, EXPLAIN ANALYZE). Asked for ids alone, the (status, created_at, id) index
 * answers it without reading a row, wherever the drafts begin. (Ordering by status first does
 * not help: with status equal to a constant the planner drops it from the order.)
 */
export function statementPageQuery(filter: StatementFilter & { cursor?: Cursor | undefined; limit: number }, plan: SearchPlan | null): QueueQuery {
  const sql = new SqlBuilder();
  if (filter.status) sql.where(`s.status = ${sql.param(filter.status)}::"StatementStatus"`);
  addFilterConditions(sql, filter);
  if (filter.cursor) sql.where(`(s.created_at, s.id) < (${sql.param(filter.cursor.at)}::timestamptz, ${sql.param(filter.cursor.id)}::uuid)`);
  // Filters (alias s) find the page; its rows (alias r) are read by primary key.
  const text = `
    SELECT r.id::text AS id, r.slug, r.status::text AS status, r.version, r.title,
           r.organisation_id::text AS "organisationId", r.organisation_name AS "organisationName",
           r.organisation_short AS "organisationShort", to_char(r.statement_date, 'YYYY-MM-DD') AS "statementDate",
           r.language, r.message_id::text AS "messageId", r.sender_verified AS "senderVerified",
           r.likely_duplicate_of_id::text AS "likelyDuplicateOfId", r.duplicate_of_id::text AS "duplicateOfId",
           r.extraction, r.created_at AS "createdAt", r.updated_at AS "updatedAt", r.published_at AS "publishedAt",
           t.id::text AS "topicId", t.slug AS "topicSlug", t.title AS "topicTitle",
           EXISTS (SELECT 1 FROM statement_corrections c WHERE c.statement_id = r.id AND c.status = 'pending') AS "pendingCorrection"
      FROM (SELECT s.id FROM statements s
             ${sql.whereClause()}
             ORDER BY s.created_at DESC, s.id DESC
             LIMIT ${sql.param(filter.limit + 1)}) page
      JOIN statements r ON r.id = page.id
      LEFT JOIN topics t ON t.id = r.topic_id
     ORDER BY r.created_at DESC, r.id DESC`;
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

/**
 * A row of the queue's SQL as the row type. Field by field: an object rest and spread of the
 * row cost about 0.3 ms per page of 50 on the request's thread (a CPU profile under load).
 */
function toListRow(r: Record<string, unknown>): StatementListRow {
  const statementDate = r.statementDate as string | null;
  return {
    id: r.id as string,
    slug: r.slug as string,
    status: r.status as StatementStatus,
    version: r.version as number,
    title: r.title as string,
    organisationId: r.organisationId as string | null,
    organisationName: r.organisationName as string | null,
    organisationShort: r.organisationShort as string | null,
    statementDate: statementDate === null ? null : new Date(`${statementDate}T00:00:00Z`),
    language: r.language as string | null,
    topic: r.topicId ? { id: r.topicId as string, slug: r.topicSlug as string, title: r.topicTitle as string } : null,
    messageId: r.messageId as string | null,
    senderVerified: r.senderVerified as boolean,
    likelyDuplicateOfId: r.likelyDuplicateOfId as string | null,
    duplicateOfId: r.duplicateOfId as string | null,
    extraction: r.extraction,
    createdAt: r.createdAt as Date,
    updatedAt: r.updatedAt as Date,
    publishedAt: r.publishedAt as Date | null,
    pendingCorrection: r.pendingCorrection as boolean,
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
