// HTTP validators for public responses (RFC 9110): a strong ETag from the bytes sent, a
// Last-Modified from the newest change to what is shown, and the conditional-request rules.
// Pure functions; the routes apply them.
import { createHash } from 'node:crypto';

/** A CDN or browser may keep a page a minute, then serve it stale while it revalidates. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';
/** Errors and missing pages: short, so a page published a moment later shows up soon. */
export const ERROR_CACHE_CONTROL = 'public, max-age=10';

/** Strong ETag of a body: any byte that differs gives another tag. */
export function computeEtag(body: Buffer | string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** HTTP dates have whole seconds; Last-Modified must not claim a later time than the change. */
export function toHttpDate(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toUTCString();
}

export function latestOf(...dates: (Date | null | undefined)[]): Date {
  let latest = 0;
  for (const d of dates) if (d && d.getTime() > latest) latest = d.getTime();
  return new Date(latest);
}

/**
 * True when the client's copy is current: If-None-Match decides when present (weak comparison,
 * as RFC 9110 13.1.2 prescribes for GET); otherwise If-Modified-Since.
 */
export function isNotModified(
  headers: { 'if-none-match'?: string | string[] | undefined; 'if-modified-since'?: string | undefined },
  validators: { etag: string; lastModified: Date },
): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const tags = (Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch).split(',').map((t) => t.trim());
    return tags.some((tag) => tag === '*' || tag.replace(/^W\//, '') === validators.etag);
  }
  const ifModifiedSince = headers['if-modified-since'];
  if (!ifModifiedSince) return false;
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(since)) return false;
  return Math.floor(validators.lastModified.getTime() / 1000) * 1000 <= since;
}
