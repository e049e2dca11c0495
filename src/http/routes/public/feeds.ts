// GET /feed.json, /feed.atom, /topics/:slug/feed.json, /topics/:slug/feed.atom. Each request gets
// the version of what the feed shows (a cheap aggregate, reused for FEED_VERSION_MAX_AGE_MS and
// shared by concurrent requests) and serves the feed serialised under that version; only a
// changed version builds again. The body comes from the feed builders, which name every field
// they output, so no response schema is needed to keep fields from leaking.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../../errors.ts';
import { buildFeedResponse } from '../../../publishing/feeds.ts';
import { readStatementsVersion, readTopicVersion, findTopicBySlug } from '../../../publishing/queries.ts';
import type { FeedFormat } from '../../../publishing/public-urls.ts';
import { decodeCursor } from '../../../db/pagination.ts';
import { feedSecurityHeaders, sendPublic } from './send-public.ts';
import { slugParamsSchema, type PublicRoutesOptions } from './route-options.ts';

const feedQuerySchema = z.object({
  cursor: z.string().max(200).optional().describe('Opaque cursor from the next_url of the previous page.'),
});

const FEEDS: { format: FeedFormat; file: string; summary: string; produces: string }[] = [
  { format: 'json', file: 'feed.json', summary: 'JSON Feed 1.1', produces: 'application/feed+json' },
  { format: 'atom', file: 'feed.atom', summary: 'Atom (RFC 4287)', produces: 'application/atom+xml' },
];

export class TopicNotFoundError extends DomainError {
  constructor(slug: string) {
    super('topic_not_found', 404, `There is no topic "${slug}". Check the address; the list of topics is on the home page.`, { slug });
  }
}

export default async function publicFeedRoutes(app: FastifyInstance, options: PublicRoutesOptions) {
  const { db, publicBaseUrl: baseUrl, cache, versions } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const securityHeaders = feedSecurityHeaders(baseUrl);

  for (const feed of FEEDS) {
    r.get(`/${feed.file}`, {
      helmet: false,
      schema: {
        tags: ['public'],
        summary: `${feed.summary} of every published statement, newest first (withdrawn ones as stubs)`,
        produces: [feed.produces],
        querystring: feedQuerySchema,
      },
    }, async (request, reply) => {
      const cursor = decodeCursor(request.query.cursor);
      const { version } = (await versions.get('all', async () => ({ topic: null, version: await readStatementsVersion(db) })))!;
      const response = await cache.get(`${feed.file}|${request.query.cursor ?? ''}|${version.key}`, () =>
        buildFeedResponse(db, { baseUrl, format: feed.format, cursor, lastModified: version.lastModified }),
      );
      return sendPublic(request, reply.headers(securityHeaders), response);
    });

    r.get(`/topics/:slug/${feed.file}`, {
      helmet: false,
      schema: {
        tags: ['public'],
        summary: `${feed.summary} of one topic's published statements; a closed topic's feed is expired`,
        produces: [feed.produces],
        params: slugParamsSchema,
        querystring: feedQuerySchema,
      },
    }, async (request, reply) => {
      const cursor = decodeCursor(request.query.cursor);
      const shown = await versions.get(`topic:${request.params.slug}`, async () => {
        const topic = await findTopicBySlug(db, request.params.slug);
        return topic ? { topic, version: await readTopicVersion(db, topic) } : null;
      });
      if (!shown?.topic) throw new TopicNotFoundError(request.params.slug);
      const { topic, version } = shown;
      const response = await cache.get(`topic/${feed.file}|${topic.id}|${request.query.cursor ?? ''}|${version.key}`, () =>
        buildFeedResponse(db, { baseUrl, format: feed.format, topic, cursor, lastModified: version.lastModified }),
      );
      return sendPublic(request, reply.headers(securityHeaders), response);
    });
  }
}
