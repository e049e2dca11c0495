// Topic pages: list, create, edit (title, slug, introduction, open/closed), add statements,
// remove them, and order them with "move up / move down" buttons (plain forms, no script).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { ConflictError, DomainError, NotFoundError } from '../../../errors.ts';
import { editStatement } from '../../../moderation/edit-statement.ts';
import { findStatementsWithoutTopic, findStatementVersion } from '../../../moderation/statement-lookups.ts';
import { createTopic, findTopicWithStatements, listTopics, setTopicOrder, updateTopic } from '../../../moderation/topics.ts';
import { uuidParamSchema } from '../../schemas/common.ts';
import { redirectWithNotice, renderPage } from './render.ts';

const topicFormSchema = z.object({
  title: z.string().max(300).default(''),
  slug: z.string().max(100).default(''),
  introduction: z.string().max(20_000).default(''),
  open: z.string().optional(),
  version: z.coerce.number().int().min(1).optional(),
});

type TopicForm = { title: string; slug: string; introduction: string; open: boolean; version?: number | undefined };

function readTopicForm(body: unknown): TopicForm {
  const parsed = topicFormSchema.safeParse(body ?? {});
  const data = parsed.success ? parsed.data : { title: '', slug: '', introduction: '', open: undefined, version: undefined };
  return { title: data.title.trim(), slug: data.slug.trim(), introduction: data.introduction.replace(/\r\n/g, '\n'), open: data.open === 'on', version: data.version };
}

const moveSchema = z.object({ statementId: z.uuid(), direction: z.enum(['up', 'down']), version: z.coerce.number().int().min(1) });
const addSchema = z.object({ statementId: z.uuid({ error: 'Pick a statement to add.' }) });
const removeSchema = z.object({ statementId: z.uuid() });

export default async function topicRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());

  const showTopic = async (request: FastifyRequest, reply: FastifyReply, id: string, extra: { form?: TopicForm; problem?: string } = {}, status = 200) => {
    const topic = await findTopicWithStatements(db, id);
    if (!topic) throw new NotFoundError('topic', id);
    const candidates = await findStatementsWithoutTopic(db);
    return renderPage(request, reply, 'topic', {
      title: topic.title,
      section: 'topics',
      topic,
      form: extra.form ?? { title: topic.title, slug: topic.slug, introduction: topic.introduction, open: topic.open, version: topic.version },
      candidates,
      problem: extra.problem ?? null,
      publicUrl: `/topics/${encodeURIComponent(topic.slug)}`,
      feedUrl: `/topics/${encodeURIComponent(topic.slug)}/feed.json`,
      atomUrl: `/topics/${encodeURIComponent(topic.slug)}/feed.atom`,
    }, status);
  };

  const showNew = (request: FastifyRequest, reply: FastifyReply, form: TopicForm, problem: string | null = null, status = 200) =>
    renderPage(request, reply, 'topic-new', { title: 'New topic', section: 'topics', form, problem }, status);

  r.get('/topics', async (request, reply) => {
    const topics = await listTopics(db);
    return renderPage(request, reply, 'topics', { title: 'Topics', section: 'topics', topics });
  });

  r.get('/topics/new', async (request, reply) => showNew(request, reply, { title: '', slug: '', introduction: '', open: true }));

  r.post('/topics', async (request, reply) => {
    const form = readTopicForm(request.body);
    try {
      const topic = await createTopic(db, {
        topic: { title: form.title, ...(form.slug ? { slug: form.slug } : {}), introduction: form.introduction, open: form.open },
        actor: request.editor!,
        now: now(),
      });
      return redirectWithNotice(reply, `/editor/topics/${topic.id}`, 'topic_created');
    } catch (error) {
      if (error instanceof DomainError && error.statusCode < 500) return showNew(request, reply, form, error.message, error.statusCode);
      throw error;
    }
  });

  r.get('/topics/:id', { schema: { params: uuidParamSchema } }, async (request, reply) => showTopic(request, reply, request.params.id));

  r.post('/topics/:id', { schema: { params: uuidParamSchema } }, async (request, reply) => {
    const form = readTopicForm(request.body);
    try {
      await updateTopic(db, {
        id: request.params.id,
        expectedVersion: form.version,
        changes: { title: form.title, ...(form.slug ? { slug: form.slug } : {}), introduction: form.introduction, open: form.open },
        actor: request.editor!,
        now: now(),
      });
      return redirectWithNotice(reply, `/editor/topics/${request.params.id}`, 'topic_saved');
    } catch (error) {
      if (error instanceof DomainError && error.statusCode < 500 && error.statusCode !== 404) {
        const problem = error.statusCode === 412
          ? 'Someone else changed this topic while you were editing it. Your text is kept in the form below; check the topic and save again.'
          : error.message;
        const fresh = await findTopicWithStatements(db, request.params.id);
        return showTopic(request, reply, request.params.id, { form: { ...form, version: fresh?.version }, problem }, error.statusCode === 412 ? 409 : error.statusCode);
      }
      throw error;
    }
  });

  r.post('/topics/:id/move', { schema: { params: uuidParamSchema } }, async (request, reply) => {
    const { id } = request.params;
    const parsed = moveSchema.safeParse(request.body ?? {});
    if (!parsed.success) return showTopic(request, reply, id, { problem: 'That button did not send what it should. Reload the page and try again.' }, 400);
    const topic = await findTopicWithStatements(db, id);
    if (!topic) throw new NotFoundError('topic', id);
    const ids = topic.statements.map((s) => s.id);
    const from = ids.indexOf(parsed.data.statementId);
    const to = parsed.data.direction === 'up' ? from - 1 : from + 1;
    if (from < 0 || to < 0 || to >= ids.length) return redirectWithNotice(reply, `/editor/topics/${id}`);
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    try {
      await setTopicOrder(db, { topicId: id, statementIds: ids, expectedVersion: parsed.data.version, actor: request.editor!, now: now() });
    } catch (error) {
      if (error instanceof DomainError && (error.statusCode === 412 || error.statusCode === 400)) {
        return showTopic(request, reply, id, { problem: 'Someone else changed this topic a moment ago, so the order was not changed. Here is the topic as it is now: move the statement again.' }, 409);
      }
      throw error;
    }
    return redirectWithNotice(reply, `/editor/topics/${id}#order`, 'order_saved');
  });

  /** Moves a statement into a topic, or (topicId null) out of `fromTopicId` and nothing else. */
  const setStatementTopic = async (request: FastifyRequest, statementId: string, topicId: string | null, fromTopicId?: string) => {
    const statement = await findStatementVersion(db, statementId);
    if (!statement) throw new NotFoundError('statement', statementId);
    // A stale page or a second tab must not take a statement out of a topic it was not shown in.
    if (fromTopicId !== undefined && statement.topicId !== fromTopicId) {
      throw new ConflictError('That statement is no longer in this topic (someone moved it). Here is the topic as it is now.');
    }
    await editStatement(db, { id: statementId, expectedVersion: statement.version, changes: { topicId }, actor: request.editor!, now: now() });
  };

  r.post('/topics/:id/add', { schema: { params: uuidParamSchema } }, async (request, reply) => {
    const parsed = addSchema.safeParse(request.body ?? {});
    if (!parsed.success) return showTopic(request, reply, request.params.id, { problem: 'Pick a statement to add, then press “Add to this topic”.' }, 400);
    await setStatementTopic(request, parsed.data.statementId, request.params.id);
    return redirectWithNotice(reply, `/editor/topics/${request.params.id}#order`, 'topic_saved');
  });

  r.post('/topics/:id/remove', { schema: { params: uuidParamSchema } }, async (request, reply) => {
    const parsed = removeSchema.safeParse(request.body ?? {});
    if (!parsed.success) return showTopic(request, reply, request.params.id, { problem: 'That button did not send what it should. Reload the page and try again.' }, 400);
    try {
      await setStatementTopic(request, parsed.data.statementId, null, request.params.id);
    } catch (error) {
      if (error instanceof ConflictError) return showTopic(request, reply, request.params.id, { problem: error.message }, 409);
      throw error;
    }
    return redirectWithNotice(reply, `/editor/topics/${request.params.id}#order`, 'topic_saved');
  });
}
