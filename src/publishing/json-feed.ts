// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) of published statements, built from
// statement views. Pure. A withdrawn statement stays in the feed as a stub without its text, so
// aggregators that copied it learn that it was withdrawn.
import { formatDateLabel, type StatementView } from './public-statement.ts';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';
export const JSON_FEED_CONTENT_TYPE = 'application/feed+json; charset=utf-8';

export interface FeedMeta {
  title: string;
  description: string;
  homePageUrl: string;
  /** The feed's URL, the same on every page: readers identify the feed by it. */
  feedUrl: string;
  /** The URL of the next page, when there is one. */
  nextUrl: string | null;
  language?: string;
  /** A closed topic's feed will not gain items. */
  expired?: boolean;
}

export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html?: string;
  content_text: string;
  summary?: string;
  date_published?: string;
  date_modified?: string;
  authors?: { name: string; url?: string }[];
  language?: string;
  tags?: string[];
  attachments?: { url: string; mime_type: string; title: string; size_in_bytes: number }[];
  _statement: StatementExtension;
}

/** What JSON Feed has no field for. `about` tells a reader of the feed what this object is. */
export interface StatementExtension {
  about: string;
  status: StatementView['status'];
  date?: string | null;
  organisation?: { name: string; short_name: string | null; country: string | null } | null;
  signatories?: { name: string; role: string | null }[];
  topic?: { slug: string; title: string; url: string } | null;
  corrected_at?: string;
  withdrawn_at?: string;
}

export interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language?: string;
  expired?: boolean;
  next_url?: string;
  items: JsonFeedItem[];
}

/** The anchor on the public index page that documents the `_statement` extension. */
export const FEED_DOCS_ANCHOR = 'about-feeds';

export function buildJsonFeed(meta: FeedMeta, statements: StatementView[]): JsonFeed {
  return {
    version: JSON_FEED_VERSION,
    title: meta.title,
    home_page_url: meta.homePageUrl,
    feed_url: meta.feedUrl,
    description: meta.description,
    ...(meta.language ? { language: meta.language } : {}),
    ...(meta.expired ? { expired: true } : {}),
    ...(meta.nextUrl ? { next_url: meta.nextUrl } : {}),
    items: statements.map((s) => toJsonFeedItem(s, `${meta.homePageUrl}#${FEED_DOCS_ANCHOR}`)),
  };
}

export function toJsonFeedItem(s: StatementView, about: string): JsonFeedItem {
  if (s.status === 'withdrawn') return toWithdrawnItem(s, about);
  const tags = [s.topic?.title, s.organisation?.country].filter((t): t is string => Boolean(t));
  return {
    id: s.url,
    url: s.url,
    title: s.title,
    content_html: s.bodyHtml,
    content_text: s.bodyText,
    ...(s.publishedAt ? { date_published: s.publishedAt.toISOString() } : {}),
    ...(s.modifiedAt ? { date_modified: s.modifiedAt.toISOString() } : {}),
    ...(s.organisation ? { authors: [{ name: s.organisation.name, ...(s.organisation.website ? { url: s.organisation.website } : {}) }] } : {}),
    ...(s.language ? { language: s.language } : {}),
    ...(tags.length ? { tags } : {}),
    ...(s.attachments.length
      ? { attachments: s.attachments.map((a) => ({ url: a.url, mime_type: a.contentType, title: a.filename, size_in_bytes: a.size })) }
      : {}),
    _statement: {
      about,
      status: s.status,
      date: s.date?.iso ?? null,
      organisation: s.organisation
        ? { name: s.organisation.name, short_name: s.organisation.shortName, country: s.organisation.country }
        : null,
      signatories: s.signatories,
      topic: s.topic,
      ...(s.correctedAt ? { corrected_at: s.correctedAt.toISOString() } : {}),
    },
  };
}

export const WITHDRAWN_TITLE = 'Withdrawn statement';

export function withdrawnNotice(withdrawnAt: Date | null): string {
  return withdrawnAt
    ? `This statement was withdrawn on ${formatDateLabel(withdrawnAt)}. Its text is no longer published.`
    : 'This statement was withdrawn. Its text is no longer published.';
}

/** Only the identity and dates of a withdrawn statement: no title, text, author or files. */
function toWithdrawnItem(s: StatementView, about: string): JsonFeedItem {
  return {
    id: s.url,
    url: s.url,
    title: WITHDRAWN_TITLE,
    content_text: withdrawnNotice(s.withdrawnAt),
    ...(s.publishedAt ? { date_published: s.publishedAt.toISOString() } : {}),
    ...(s.withdrawnAt ? { date_modified: s.withdrawnAt.toISOString() } : {}),
    _statement: {
      about,
      status: 'withdrawn',
      ...(s.withdrawnAt ? { withdrawn_at: s.withdrawnAt.toISOString() } : {}),
    },
  };
}
