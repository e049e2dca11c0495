// What the public route plugins share: the database, the base URL and the caches, created once
// per app by ./index.ts (so two apps in one process, as in tests, never share a cache).
import { z } from 'zod';
import type { DbTx } from '../../../db/client.ts';
import type { PublicTopicRow, PublicVersion } from '../../../publishing/queries.ts';
import type { ResponseCache, VersionCache } from '../../../publishing/response-cache.ts';

/** What a feed shows and its version; the topic is null for the feed of everything. */
export interface FeedVersion {
  topic: PublicTopicRow | null;
  version: PublicVersion;
}

export interface PublicRoutesOptions {
  db: DbTx;
  publicBaseUrl: string;
  cache: ResponseCache;
  versions: VersionCache<FeedVersion | null>;
}

export const slugParamsSchema = z.object({ slug: z.string().min(1).max(300) });
