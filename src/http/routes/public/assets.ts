// GET /assets/public.css: the stylesheet of the public pages, read once at start.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { PUBLIC_CSS_PATH } from '../../../publishing/public-urls.ts';
import { toCachedResponse } from '../../../publishing/response-cache.ts';
import { sendPublic } from './send-public.ts';

const STYLESHEET_URL = new URL('../../views/public/public.css', import.meta.url);

export default async function publicAssetRoutes(app: FastifyInstance) {
  const css = toCachedResponse({
    body: readFileSync(STYLESHEET_URL),
    contentType: 'text/css; charset=utf-8',
    lastModified: new Date(),
  });
  app.get(PUBLIC_CSS_PATH, { schema: { hide: true } }, async (request, reply) => sendPublic(request, reply, css));
}
