// Public HTML pages: GET / (open topics, latest statements), GET /topics/:slug (a topic laid out
// like the publication's pages) and GET /statements/:slug (one statement with its original
// files). Unknown or non-public addresses get a plain HTML 404; a withdrawn statement a 410.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERROR_CACHE_CONTROL, latestOf } from '../../../publishing/http-cache.ts';
import { formatDateLabel } from '../../../publishing/public-statement.ts';
import {
  buildIndexPageModel,
  buildMessagePageModel,
  buildStatementPageModel,
  buildTopicPageModel,
} from '../../../publishing/page-models.ts';
import { statementUrl, topicUrl } from '../../../publishing/public-urls.ts';
import {
  findLatestPublishedStatements,
  findOpenTopics,
  findPublicStatementBySlug,
  findTopicBySlug,
  findTopicStatements,
  readIndexVersion,
  readTopicVersion,
} from '../../../publishing/queries.ts';
import { toCachedResponse } from '../../../publishing/response-cache.ts';
import { slugParamsSchema, type PublicRoutesOptions } from './route-options.ts';
import { sendPublic } from './send-public.ts';

export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';
/** How many of the newest statements the home page lists. */
export const LATEST_STATEMENTS_ON_INDEX = 10;

export default async function publicPageRoutes(app: FastifyInstance, options: PublicRoutesOptions) {
  const { db, publicBaseUrl: baseUrl, cache } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function sendMessagePage(reply: FastifyReply, status: number, heading: string, text: string, canonicalUrl: string) {
    const html = await app.view('public/message', buildMessagePageModel(baseUrl, heading, text, canonicalUrl));
    return reply.code(status).header('cache-control', ERROR_CACHE_CONTROL).type(HTML_CONTENT_TYPE).send(html);
  }

  r.get('/', { schema: { tags: ['public'], summary: 'Home page: open topics and the latest statements (HTML)', produces: ['text/html'] } }, async (request, reply) => {
    const version = await readIndexVersion(db);
    const response = await cache.get(`index|${version.key}`, async () => {
      const [topics, latest] = await Promise.all([findOpenTopics(db), findLatestPublishedStatements(db, LATEST_STATEMENTS_ON_INDEX)]);
      const html = await app.view('public/index', buildIndexPageModel(baseUrl, topics, latest));
      return { body: html, contentType: HTML_CONTENT_TYPE, lastModified: version.lastModified };
    });
    return sendPublic(request, reply, response);
  });

  r.get('/topics/:slug', {
    schema: { tags: ['public'], summary: 'A topic page: its introduction, then one section per published statement (HTML)', produces: ['text/html'], params: slugParamsSchema },
  }, async (request, reply) => {
    const topic = await findTopicBySlug(db, request.params.slug);
    if (!topic) {
      return sendMessagePage(reply, 404, 'Page not found', 'There is no topic at this address. It may have been renamed; the home page lists every open topic.', topicUrl(baseUrl, request.params.slug));
    }
    const version = await readTopicVersion(db, topic);
    const response = await cache.get(`topic-page|${topic.id}|${version.key}`, async () => {
      const statements = await findTopicStatements(db, topic.id);
      const html = await app.view('public/topic', buildTopicPageModel(baseUrl, topic, statements));
      return { body: html, contentType: HTML_CONTENT_TYPE, lastModified: version.lastModified };
    });
    return sendPublic(request, reply, response);
  });

  // One statement is one indexed query: no version read, no cache; the ETag is still the hash of
  // the page, so a 304 saves the transfer.
  r.get('/statements/:slug', {
    schema: { tags: ['public'], summary: 'One published statement with its original files (HTML)', produces: ['text/html'], params: slugParamsSchema },
  }, async (request, reply) => {
    const row = await findPublicStatementBySlug(db, request.params.slug);
    if (!row) {
      return sendMessagePage(reply, 404, 'Statement not found', 'There is no published statement at this address. Check the link, or find the statement from the home page.', statementUrl(baseUrl, request.params.slug));
    }
    const lastModified = latestOf(row.updatedAt, row.contentUpdatedAt, row.publishedAt, row.unpublishedAt, row.organisation?.updatedAt, row.topic?.updatedAt);
    if (row.status !== 'published') {
      const withdrawn = row.unpublishedAt ? ` on ${formatDateLabel(row.unpublishedAt)}` : '';
      const html = await app.view('public/message', buildMessagePageModel(baseUrl, 'Statement withdrawn', `This statement was withdrawn${withdrawn}. Its text is no longer published.`, statementUrl(baseUrl, row.slug)));
      return sendPublic(request, reply, toCachedResponse({ body: html, contentType: HTML_CONTENT_TYPE, lastModified, statusCode: 410 }));
    }
    const html = await app.view('public/statement', buildStatementPageModel(baseUrl, row));
    return sendPublic(request, reply, toCachedResponse({ body: html, contentType: HTML_CONTENT_TYPE, lastModified }));
  });

}
