// Data access for the public side. Every function here selects only what a reader may see (no
// sender, no raw message, no editorial notes) and filters by state itself, so a route cannot
// forget to: published statements are shown; a statement that was published and then withdrawn
// (unpublished) appears only as a stub in feeds; nothing else exists publicly.
import { Prisma, type DbTx } from '../db/client.ts';
import { afterCursor, type Cursor } from '../db/pagination.ts';

/** Shown in full on pages and in feeds. */
export const PUBLISHED_WHERE = { status: 'published', firstPublishedAt: { not: null } } satisfies Prisma.StatementWhereInput;

/** In feeds: published statements, and withdrawn ones as stubs. */
export const IN_FEED_WHERE = {
  firstPublishedAt: { not: null },
  status: { in: ['published', 'unpublished'] },
} satisfies Prisma.StatementWhereInput;

export const publicStatementSelect = {
  id: true,
  slug: true,
  status: true,
  title: true,
  bodyHtml: true,
  bodyText: true,
  organisationName: true,
  organisationShort: true,
  statementDate: true,
  language: true,
  signatories: true,
  topicPosition: true,
  publishedAt: true,
  firstPublishedAt: true,
  contentUpdatedAt: true,
  unpublishedAt: true,
  updatedAt: true,
  organisation: { select: { name: true, shortName: true, country: true, website: true, updatedAt: true } },
  topic: { select: { slug: true, title: true, updatedAt: true } },
  message: {
    select: { attachments: { select: { id: true, filename: true, contentType: true, size: true, inline: true, documentType: true }, orderBy: { createdAt: 'asc' } } },
  },
} satisfies Prisma.StatementSelect;

export type PublicStatementRow = Prisma.StatementGetPayload<{ select: typeof publicStatementSelect }>;

/** One page of a feed, newest first by first publication; limit+1 rows tell whether more follow. */
export async function findFeedStatements(
  db: DbTx,
  filter: { topicId?: string | undefined; cursor?: Cursor | undefined; limit: number },
): Promise<PublicStatementRow[]> {
  return db.statement.findMany({
    where: {
      ...IN_FEED_WHERE,
      ...(filter.topicId ? { topicId: filter.topicId } : {}),
      ...afterCursor('firstPublishedAt', filter.cursor),
    },
    orderBy: [{ firstPublishedAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    select: publicStatementSelect,
  });
}

/** The published statements of a topic page, in the editors' order. */
export async function findTopicStatements(db: DbTx, topicId: string): Promise<PublicStatementRow[]> {
  return db.statement.findMany({
    where: { ...PUBLISHED_WHERE, topicId },
    orderBy: [{ topicPosition: { sort: 'asc', nulls: 'last' } }, { firstPublishedAt: 'asc' }, { id: 'asc' }],
    select: publicStatementSelect,
  });
}

/** A statement readers may know of: published, or withdrawn (shown as withdrawn, without text). */
export async function findPublicStatementBySlug(db: DbTx, slug: string): Promise<PublicStatementRow | null> {
  return db.statement.findFirst({ where: { ...IN_FEED_WHERE, slug }, select: publicStatementSelect });
}

export async function findLatestPublishedStatements(db: DbTx, limit: number): Promise<PublicStatementRow[]> {
  return db.statement.findMany({
    where: PUBLISHED_WHERE,
    orderBy: [{ firstPublishedAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: publicStatementSelect,
  });
}

export const publicTopicSelect = { id: true, slug: true, title: true, introduction: true, open: true, updatedAt: true } satisfies Prisma.TopicSelect;
export type PublicTopicRow = Prisma.TopicGetPayload<{ select: typeof publicTopicSelect }>;

export async function findTopicBySlug(db: DbTx, slug: string): Promise<PublicTopicRow | null> {
  return db.topic.findUnique({ where: { slug }, select: publicTopicSelect });
}

/** Open topics for the index page, with how many published statements each shows. */
export async function findOpenTopics(db: DbTx) {
  const topics = await db.topic.findMany({
    where: { open: true },
    select: { ...publicTopicSelect, _count: { select: { statements: { where: PUBLISHED_WHERE } } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
  });
  return topics.map(({ _count, ...topic }) => ({ ...topic, statementCount: _count.statements }));
}

/**
 * The bytes of an original document of a published statement, or null. The attachment must
 * belong to the message of that very statement: knowing an attachment id is not enough.
 */
export async function findPublishedAttachment(db: DbTx, statementSlug: string, attachmentId: string) {
  const statement = await db.statement.findFirst({
    where: { ...PUBLISHED_WHERE, slug: statementSlug },
    select: { messageId: true, contentUpdatedAt: true, publishedAt: true },
  });
  if (!statement?.messageId) return null;
  const attachment = await db.attachment.findFirst({
    where: { id: attachmentId, messageId: statement.messageId },
    select: { id: true, filename: true, contentType: true, size: true, inline: true, documentType: true, sha256: true, content: true, createdAt: true },
  });
  return attachment ? { ...attachment, publishedAt: statement.publishedAt } : null;
}

export interface PublicVersion {
  /** Changes whenever anything the response shows may have changed. */
  key: string;
  /** The newest change to what is shown (Last-Modified). */
  lastModified: Date;
}

interface VersionRow {
  count: number;
  versions: string;
  updated_at: Date | null;
  shown_at: Date | null;
  organisations: string;
  organisations_at: Date | null;
  topics: string;
  topics_at: Date | null;
}

function toVersion(prefix: string, row: VersionRow | undefined, extraDate?: Date | null): PublicVersion {
  const r = row ?? { count: 0, versions: '0', updated_at: null, shown_at: null, organisations: '0', organisations_at: null, topics: '0', topics_at: null };
  const dates = [r.updated_at, r.shown_at, r.organisations_at, r.topics_at, extraDate ?? null];
  const ms = dates.map((d) => (d ? d.getTime() : 0));
  return {
    key: [prefix, r.count, r.versions, r.organisations, r.topics, ...ms].join(':'),
    lastModified: new Date(Math.max(...ms)),
  };
}

/**
 * One cheap aggregate over the statements a feed or page may show (published and withdrawn,
 * everywhere or in one topic): their count, summed versions (every edit and move bumps a
 * statement's version) and newest timestamps, and the same for their organisations and topics.
 */
export async function readStatementsVersion(db: DbTx, topicId?: string): Promise<PublicVersion> {
  const inTopic = topicId ? Prisma.sql`AND s.topic_id = ${topicId}::uuid` : Prisma.empty;
  const rows = await db.$queryRaw<VersionRow[]>`
    SELECT count(*)::int AS count, coalesce(sum(s.version), 0)::text AS versions,
           max(s.updated_at) AS updated_at,
           max(greatest(s.content_updated_at, s.published_at, s.unpublished_at)) AS shown_at,
           coalesce(sum(o.version), 0)::text AS organisations, max(o.updated_at) AS organisations_at,
           coalesce(sum(t.version), 0)::text AS topics, max(t.updated_at) AS topics_at
    FROM statements s
    LEFT JOIN organisations o ON o.id = s.organisation_id
    LEFT JOIN topics t ON t.id = s.topic_id
    WHERE s.status IN ('published', 'unpublished') AND s.first_published_at IS NOT NULL ${inTopic}`;
  return toVersion(topicId ? `topic-${topicId}` : 'all', rows[0]);
}

/** The version of a topic's own fields plus everything it shows. */
export async function readTopicVersion(db: DbTx, topic: Pick<PublicTopicRow, 'id' | 'updatedAt' | 'open'>): Promise<PublicVersion> {
  const statements = await readStatementsVersion(db, topic.id);
  const lastModified = new Date(Math.max(statements.lastModified.getTime(), topic.updatedAt.getTime()));
  return { key: `${statements.key}:${topic.updatedAt.getTime()}:${topic.open}`, lastModified };
}

/** The index page shows every open topic and the newest statements. */
export async function readIndexVersion(db: DbTx): Promise<PublicVersion> {
  const [statements, topics] = await Promise.all([
    readStatementsVersion(db),
    db.topic.aggregate({ where: { open: true }, _count: { _all: true }, _sum: { version: true }, _max: { updatedAt: true } }),
  ]);
  const topicsAt = topics._max.updatedAt?.getTime() ?? 0;
  return {
    key: `${statements.key}:${topics._count._all}:${topics._sum.version ?? 0}:${topicsAt}`,
    lastModified: new Date(Math.max(statements.lastModified.getTime(), topicsAt)),
  };
}
