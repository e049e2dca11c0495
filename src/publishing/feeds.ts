// Builds the body of a feed page (JSON Feed or Atom, everything or one topic) from the database.
// The routes cache what this returns, keyed by the version of what it shows.
import type { DbTx } from '../db/client.ts';
import { htmlToText } from '../html/sanitize.ts';
import { encodeCursor, type Cursor } from '../db/pagination.ts';
import { ATOM_CONTENT_TYPE, buildAtomFeed } from './atom-feed.ts';
import { buildJsonFeed, JSON_FEED_CONTENT_TYPE, type FeedMeta } from './json-feed.ts';
import { toStatementView } from './public-statement.ts';
import { feedUrl, homeUrl, topicUrl, withCursor, type FeedFormat } from './public-urls.ts';
import { findFeedStatements, type PublicTopicRow } from './queries.ts';
import type { BuiltResponse } from './response-cache.ts';

/** Items per feed page; older items are reached through next_url (Atom: rel="next"). */
export const FEED_PAGE_SIZE = 50;
export const SITE_NAME = 'Statements';
const DESCRIPTION_MAX_CHARS = 300;

export interface FeedRequest {
  baseUrl: string;
  format: FeedFormat;
  topic?: Pick<PublicTopicRow, 'id' | 'slug' | 'title' | 'introduction' | 'open'> | undefined;
  cursor?: Cursor | undefined;
  /** Last-Modified of the whole feed, from its version. */
  lastModified: Date;
  limit?: number;
}

export function describeTopic(topic: Pick<PublicTopicRow, 'title' | 'introduction'>): string {
  const intro = htmlToText(topic.introduction).replace(/\s+/g, ' ').trim();
  if (!intro) return `Statements: ${topic.title}`;
  return intro.length > DESCRIPTION_MAX_CHARS ? `${intro.slice(0, DESCRIPTION_MAX_CHARS - 1).trimEnd()}…` : intro;
}

export function feedMetaFor(request: FeedRequest, nextCursor: string | null): FeedMeta & { jsonFeedUrl: string; pageUrl: string } {
  const { baseUrl, format, topic } = request;
  const self = feedUrl(baseUrl, format, topic?.slug);
  return {
    title: topic ? topic.title : SITE_NAME,
    description: topic ? describeTopic(topic) : `Every statement published on ${new URL(baseUrl).host}, newest first.`,
    homePageUrl: topic ? topicUrl(baseUrl, topic.slug) : homeUrl(baseUrl),
    feedUrl: self,
    pageUrl: withCursor(self, request.cursor ? encodeCursor(request.cursor) : null),
    jsonFeedUrl: feedUrl(baseUrl, 'json', topic?.slug),
    nextUrl: nextCursor ? withCursor(self, nextCursor) : null,
    expired: topic ? !topic.open : false,
  };
}

export async function buildFeedResponse(db: DbTx, request: FeedRequest): Promise<BuiltResponse> {
  const limit = request.limit ?? FEED_PAGE_SIZE;
  const rows = await findFeedStatements(db, { topicId: request.topic?.id, cursor: request.cursor, limit });
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  const nextCursor = rows.length > limit && last?.firstPublishedAt ? encodeCursor({ at: last.firstPublishedAt, id: last.id }) : null;
  const views = shown.map((row) => toStatementView(row, { baseUrl: request.baseUrl }));
  const meta = feedMetaFor(request, nextCursor);
  if (request.format === 'json') {
    return { body: JSON.stringify(buildJsonFeed(meta, views)), contentType: JSON_FEED_CONTENT_TYPE, lastModified: request.lastModified };
  }
  const atom = buildAtomFeed(
    { ...meta, updated: request.lastModified, authorName: new URL(request.baseUrl).host },
    views,
  );
  return { body: atom, contentType: ATOM_CONTENT_TYPE, lastModified: request.lastModified };
}
