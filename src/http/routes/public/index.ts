// The public side: feeds, pages, original files and the stylesheet. Nothing here needs a session;
// everything here shows only published content (see src/publishing/queries.ts).
import type { FastifyInstance } from 'fastify';
import type { DbTx } from '../../../db/client.ts';
import type { PublicVersion } from '../../../publishing/queries.ts';
import { ResponseCache, SingleFlight } from '../../../publishing/response-cache.ts';
import publicAssetRoutes from './assets.ts';
import publicAttachmentRoutes from './attachments.ts';
import publicFeedRoutes from './feeds.ts';
import publicPageRoutes from './pages.ts';

export interface PublicRoutesDeps {
  db: DbTx;
  config: { publicBaseUrl: string };
}

export default async function publicRoutes(app: FastifyInstance, { deps }: { deps: PublicRoutesDeps }) {
  const options = {
    db: deps.db,
    publicBaseUrl: deps.config.publicBaseUrl,
    cache: new ResponseCache(),
    versions: new SingleFlight<PublicVersion>(),
  };
  await app.register(publicAssetRoutes);
  await app.register(publicFeedRoutes, options);
  await app.register(publicPageRoutes, options);
  await app.register(publicAttachmentRoutes, options);
}
