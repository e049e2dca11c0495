// The public side: feeds, pages, original files and the stylesheet. Nothing here needs a session;
// everything here shows only published content (see src/publishing/queries.ts).
import type { FastifyInstance } from 'fastify';
import type { DbTx } from '../../../db/client.ts';
import { FEED_VERSION_MAX_AGE_MS, ResponseCache, VersionCache } from '../../../publishing/response-cache.ts';
import publicAssetRoutes from './assets.ts';
import publicAttachmentRoutes from './attachments.ts';
import publicFeedRoutes from './feeds.ts';
import publicPageRoutes from './pages.ts';
import submissionRoutes from './submissions.ts';
import type { FeedVersion, PublicRoutesOptions } from './route-options.ts';

export interface PublicRoutesDeps {
  db: DbTx;
  config: { publicBaseUrl: string };
  /** How long a feed may answer from its last version read (ms); tests use 0 to see every change at once. */
  publicFeedVersionMaxAgeMs?: number | undefined;
  now?: (() => Date) | undefined;
}

export default async function publicRoutes(app: FastifyInstance, { deps }: { deps: PublicRoutesDeps }) {
  const now = deps.now;
  const options: PublicRoutesOptions = {
    db: deps.db,
    publicBaseUrl: deps.config.publicBaseUrl,
    cache: new ResponseCache(),
    versions: new VersionCache<FeedVersion | null>({
      maxAgeMs: deps.publicFeedVersionMaxAgeMs ?? FEED_VERSION_MAX_AGE_MS,
      now: now ? () => now().getTime() : Date.now,
    }),
  };
  await app.register(publicAssetRoutes);
  await app.register(publicFeedRoutes, options);
  await app.register(publicPageRoutes, options);
  await app.register(publicAttachmentRoutes, options);
  await app.register(submissionRoutes, options);
}
