// Static assets of the editors' pages, read once at start and served with a strong cache
// validator (they change only with a new release).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const ASSETS = {
  'editor.css': 'text/css; charset=utf-8',
  'editor.js': 'text/javascript; charset=utf-8',
} as const;

const ASSET_MAX_AGE_S = 300;

export default async function assetRoutes(app: FastifyInstance) {
  for (const [name, type] of Object.entries(ASSETS)) {
    const body = readFileSync(new URL(`./assets/${name}`, import.meta.url));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    app.get(`/assets/${name}`, async (request, reply) => {
      reply.header('etag', etag).header('cache-control', `public, max-age=${ASSET_MAX_AGE_S}`).type(type);
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.send(body);
    });
  }
}
