// An in-memory cache of serialised public responses, keyed by what they show (the route, its
// parameters and a version string read from the database). A changed statement changes the
// version, so the old entry is simply never asked for again; entries also expire after a while,
// so a change the version does not capture still reaches readers. Concurrent requests for the
// same missing entry share one build (single flight), and concurrent reads of the same version
// share one query.
import { computeEtag, toHttpDate } from './http-cache.ts';

export interface CachedResponse {
  body: Buffer;
  etag: string;
  lastModified: Date;
  /** Last-Modified as an HTTP date, formatted once. */
  lastModifiedHttp: string;
  contentType: string;
  statusCode: number;
}

export interface BuiltResponse {
  body: string | Buffer;
  lastModified: Date;
  contentType: string;
  statusCode?: number;
}

export const RESPONSE_CACHE_MAX_ENTRIES = 500;
/** Bodies kept at most, in bytes: a feed page of 50 statements is about 130 kB. */
export const RESPONSE_CACHE_MAX_BYTES = 32 * 1024 * 1024;
export const RESPONSE_CACHE_TTL_MS = 60_000;

export function toCachedResponse(built: BuiltResponse): CachedResponse {
  const body = typeof built.body === 'string' ? Buffer.from(built.body, 'utf8') : built.body;
  return {
    body,
    etag: computeEtag(body),
    lastModified: built.lastModified,
    lastModifiedHttp: toHttpDate(built.lastModified),
    contentType: built.contentType,
    statusCode: built.statusCode ?? 200,
  };
}

export class ResponseCache {
  private readonly entries = new Map<string, { response: CachedResponse; expiresAt: number }>();
  private readonly building = new Map<string, Promise<CachedResponse>>();
  private bytes = 0;

  constructor(
    private readonly options: { maxEntries?: number; maxBytes?: number; ttlMs?: number; now?: () => number } = {},
  ) {}

  async get(key: string, build: () => Promise<BuiltResponse>): Promise<CachedResponse> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.response;
    const pending = this.building.get(key);
    if (pending) return pending;
    const promise = build()
      .then((built) => {
        const response = toCachedResponse(built);
        this.store(key, response, now);
        return response;
      })
      .finally(() => this.building.delete(key));
    this.building.set(key, promise);
    return promise;
  }

  private store(key: string, response: CachedResponse, now: number): void {
    this.remove(key);
    this.entries.set(key, { response, expiresAt: now + (this.options.ttlMs ?? RESPONSE_CACHE_TTL_MS) });
    this.bytes += response.body.length;
    const maxEntries = this.options.maxEntries ?? RESPONSE_CACHE_MAX_ENTRIES;
    const maxBytes = this.options.maxBytes ?? RESPONSE_CACHE_MAX_BYTES;
    // Oldest first; the entry just stored stays even when it alone is over the byte limit.
    while (this.entries.size > 1 && (this.entries.size > maxEntries || this.bytes > maxBytes)) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.response.body.length;
    this.entries.delete(key);
  }
}

/**
 * How long a feed's version, once read, answers for it. Under load this turns one version query
 * per request (each request waiting for a database round trip) into one per second; a change
 * then reaches the feeds at most this much later, well inside what a CDN holds (max-age=60).
 */
export const FEED_VERSION_MAX_AGE_MS = 1_000;
const VERSION_CACHE_MAX_ENTRIES = 1_000;

/**
 * Versions read from the database, reused for `maxAgeMs` after the read started (0: every call
 * reads). Callers asking while a read is running share it (single flight).
 */
export class VersionCache<T> {
  private readonly read = new Map<string, { value: T; startedAt: number }>();
  private readonly running = new Map<string, Promise<T>>();

  constructor(private readonly options: { maxAgeMs: number; now?: () => number }) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = (this.options.now ?? Date.now)();
    const known = this.read.get(key);
    if (known && now - known.startedAt < this.options.maxAgeMs) return Promise.resolve(known.value);
    const pending = this.running.get(key);
    if (pending) return pending;
    const promise = load()
      .then((value) => {
        // Misses (null: no such topic) are not kept, so made-up addresses cannot fill memory.
        if (this.options.maxAgeMs > 0 && value !== null) {
          if (this.read.size >= VERSION_CACHE_MAX_ENTRIES) this.read.clear();
          this.read.set(key, { value, startedAt: now });
        }
        return value;
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return promise;
  }
}
