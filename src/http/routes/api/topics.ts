// Topics (the public pages that group statements), for every editor:
//   GET /api/topics, POST /api/topics, GET/PATCH/DELETE /api/topics/:id, PUT /api/topics/:id/order
// If-Match is optional here (a topic has one or two editors); when sent, a stale one gets 412.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { NotFoundError } from '../../../errors.ts';
import { createTopic, deleteTopic, findTopicWithStatements, listTopics, setTopicOrder, topicChangesSchema, topicInputSchema, updateTopic } from '../../../moderation/topics.ts';
import { problemSchema, toIsoDay, uuidParamSchema } from '../../schemas/common.ts';
import { toTopic, topicDetailSchema, topicListItemSchema } from '../../schemas/registry.ts';
import { ifMatchHeaderSchemaDescription, optionalIfMatch, setEtag } from './preconditions.ts';
import { EDITOR_SECURITY as security } from './security.ts';

const ifMatchHeaders = z.object({ 'if-match': z.string().optional().describe(ifMatchHeaderSchemaDescription) });

export default async function topicRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options.deps;
  const now = options.deps.now ?? (() => new Date());

  /** The topic with its statements, its version as the ETag. */
  async function sendDetail(reply: FastifyReply, id: string) {
    const topic = await findTopicWithStatements(db, id);
    if (!topic) throw new NotFoundError('topic', id);
    setEtag(reply, topic.version);
    return {
      ...toTopic(topic, config.publicBaseUrl),
      statements: topic.statements.map((s) => ({ ...s, statementDate: toIsoDay(s.statementDate) })),
    };
  }

  r.get('/topics', {
    schema: { tags: ['topics'], summary: 'All topics, open ones first, with statement counts', security, response: { 200: z.object({ items: z.array(topicListItemSchema) }), 401: problemSchema } },
  }, async () => {
    const topics = await listTopics(db);
    return { items: topics.map((t) => ({ ...toTopic(t, config.publicBaseUrl), statementCount: t.statementCount, publishedCount: t.publishedCount })) };
  });

  r.post('/topics', {
    schema: {
      tags: ['topics'],
      summary: 'Create a topic (slug made from the title unless given)',
      security,
      body: topicInputSchema,
      response: { 201: topicDetailSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema },
    },
  }, async (request, reply) => {
    const topic = await createTopic(db, { topic: request.body, actor: request.editor!, now: now() });
    return reply.code(201).send(await sendDetail(reply, topic.id));
  });

  r.get('/topics/:id', {
    schema: { tags: ['topics'], summary: 'A topic with its statements in page order', security, params: uuidParamSchema, response: { 200: topicDetailSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema } },
  }, async (request, reply) => {
    return sendDetail(reply, request.params.id);
  });

  r.patch('/topics/:id', {
    schema: {
      tags: ['topics'],
      summary: 'Change title, slug, introduction or open/closed',
      security,
      params: uuidParamSchema,
      headers: ifMatchHeaders,
      body: topicChangesSchema,
      response: { 200: topicDetailSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 412: problemSchema },
    },
  }, async (request, reply) => {
    await updateTopic(db, { id: request.params.id, expectedVersion: optionalIfMatch(request), changes: request.body, actor: request.editor!, now: now() });
    return sendDetail(reply, request.params.id);
  });

  r.put('/topics/:id/order', {
    schema: {
      tags: ['topics'],
      summary: "Set the order of the topic's statements",
      description: 'statementIds lists every statement in the topic once, first to last. Add or remove statements with PATCH /api/statements/:id { topicId }.',
      security,
      params: uuidParamSchema,
      headers: ifMatchHeaders,
      body: z.strictObject({ statementIds: z.array(z.uuid()).max(10_000) }),
      response: { 200: topicDetailSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 412: problemSchema },
    },
  }, async (request, reply) => {
    await setTopicOrder(db, { topicId: request.params.id, statementIds: request.body.statementIds, expectedVersion: optionalIfMatch(request), actor: request.editor!, now: now() });
    return sendDetail(reply, request.params.id);
  });

  r.delete('/topics/:id', {
    schema: {
      tags: ['topics'],
      summary: 'Delete a topic with no published statements (close it otherwise)',
      security,
      params: uuidParamSchema,
      response: { 204: z.null().describe('Deleted'), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
    },
  }, async (request, reply) => {
    await deleteTopic(db, { id: request.params.id, actor: request.editor!, now: now() });
    return reply.code(204).send(null);
  });
}
