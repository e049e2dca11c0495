// An in-memory cache of serialised public responses, keyed by what they show (the route, its
// parameters and a version string read from the database). A changed statement changes the
// version, so the old entry is simply never asked for again; entries also expire after a while,
// so a change the version does not capture still reaches readers. Concurrent requests for the
// same missing entry share one build (single flight), and concurrent reads of the same version
// share one query.
import { computeEtag } from './http-cache.ts';

export interface CachedResponse {
  body: Buffer;
  etag: string;
  lastModified: Date;
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
export const RESPONSE_CACHE_TTL_MS = 60_000;

export function toCachedResponse(built: BuiltResponse): CachedResponse {
  const body = typeof built.body === 'string' ? Buffer.from(built.body, 'utf8') : built.body;
  return { body, etag: computeEtag(body), lastModified: built.lastModified, contentType: built.contentType, statusCode: built.statusCode ?? 200 };
}

export class ResponseCache {
  private readonly entries = new Map<string, { response: CachedResponse; expiresAt: number }>();
  private readonly building = new Map<string, Promise<CachedResponse>>();

  constructor(
    private readonly options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {},
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
    this.entries.delete(key);
    this.entries.set(key, { response, expiresAt: now + (this.options.ttlMs ?? RESPONSE_CACHE_TTL_MS) });
    const max = this.options.maxEntries ?? RESPONSE_CACHE_MAX_ENTRIES;
    while (this.entries.size > max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** Runs `load` once for all callers that ask for the same key while it is running. */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    const pending = this.running.get(key);
    if (pending) return pending;
    const promise = load().finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return promise;
  }
}
