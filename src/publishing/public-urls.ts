// Public URLs, all built from PUBLIC_BASE_URL (config.publicBaseUrl, no trailing slash), so feeds
// carry permanent absolute URLs whatever host or proxy a request came through.

export function homeUrl(base: string): string {
  return `${base}/`;
}

export function statementUrl(base: string, slug: string): string {
  return `${base}/statements/${encodeURIComponent(slug)}`;
}

export function statementAttachmentUrl(base: string, slug: string, attachmentId: string): string {
  return `${statementUrl(base, slug)}/attachments/${attachmentId}`;
}

export function topicUrl(base: string, slug: string): string {
  return `${base}/topics/${encodeURIComponent(slug)}`;
}

export type FeedFormat = 'json' | 'atom';

/** The feed of everything (no topic slug) or of one topic. */
export function feedUrl(base: string, format: FeedFormat, topicSlug?: string): string {
  const file = format === 'json' ? 'feed.json' : 'feed.atom';
  return topicSlug === undefined ? `${base}/${file}` : `${topicUrl(base, topicSlug)}/${file}`;
}

export function withCursor(url: string, cursor: string | null | undefined): string {
  return cursor ? `${url}?cursor=${encodeURIComponent(cursor)}` : url;
}

export const PUBLIC_CSS_PATH = '/assets/public.css';
