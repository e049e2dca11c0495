// GET /api/messages: stored messages, newest first, filtered by pipeline status.
// GET /api/messages/:id/raw: the email exactly as received (message/rfc822), for editors.
// POST /api/messages/:id/draft: make a draft statement of an email the pipeline set aside.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErasedError, NotFoundError } from '../../../errors.ts';
import { countMessagesByStatus, findMessages, findRawMessage } from '../../../ingest/message-queries.ts';
import type { AppDeps } from '../../app-deps.ts';
import { draftFromMessage } from '../../../ingest/draft-from-message.ts';
import { COUNT_LIMIT, decodeCursor, toPage } from '../../../db/pagination.ts';
import { statementDetailSchema } from '../../schemas/statement.ts';
import { EDITOR_SECURITY } from './security.ts';
import { sendDetail } from './statements.ts';
import { isoDateTimeNullable, pageQuerySchema, problemSchema, toIso, uuidParamSchema } from '../../schemas/common.ts';

const messageStatusSchema = z.enum(['received', 'drafted', 'ignored', 'failed']);

export const messageSummarySchema = z.object({
  id: z.uuid(),
  status: messageStatusSchema,
  statusReason: z.string().nullable().describe('Why it was ignored or failed.'),
  error: z.string().nullable(),
  notStatement: z.boolean().describe('Extraction judged it not to be a statement (kept, not drafted).'),
  source: z.string(),
  messageId: z.string().nullable().describe('The Message-ID header.'),
  from: z.object({ name: z.string().nullable(), address: z.string().nullable() }),
  subject: z.string().nullable(),
  sentAt: isoDateTimeNullable,
  receivedAt: z.string(),
  size: z.number().int(),
  sha256: z.string(),
});

type MessageRow = Awaited<ReturnType<typeof findMessages>>[number];

export function toMessageSummary(m: MessageRow): z.infer<typeof messageSummarySchema> {
  return {
    id: m.id,
    status: m.status,
    statusReason: m.statusReason,
    error: m.error,
    notStatement: m.notStatement,
    source: m.source,
    messageId: m.messageIdHeader,
    from: { name: m.fromName, address: m.fromAddress },
    subject: m.subject,
    sentAt: toIso(m.sentAt),
    receivedAt: m.receivedAt.toISOString(),
    size: m.size,
    sha256: m.sha256,
  };
}

export default async function messageRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;

  r.get('/messages', {
    schema: {
      tags: ['messages'],
      summary: 'Stored messages, newest first',
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
      querystring: pageQuerySchema.extend({
        status: messageStatusSchema.optional(),
        notStatement: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
      }).strict(),
      response: {
        200: z.object({
          items: z.array(messageSummarySchema),
          nextCursor: z.string().nullable(),
          counts: z.record(messageStatusSchema, z.number().int()),
          countLimit: z.number().int().describe('Counts stop here: a count equal to it means at least that many.'),
        }),
        400: problemSchema,
        401: problemSchema,
      },
    },
  }, async (request) => {
    const { limit, cursor, status, notStatement } = request.query;
    const rows = await findMessages(db, { status, notStatement, cursor: decodeCursor(cursor), limit });
    const page = toPage(rows, limit, (m) => m.receivedAt);
    return { items: page.items.map(toMessageSummary), nextCursor: page.nextCursor, counts: await countMessagesByStatus(db), countLimit: COUNT_LIMIT };
  });

  r.get('/messages/:id/raw', {
    schema: {
      tags: ['messages'],
      summary: 'The email exactly as received (.eml)',
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
      params: uuidParamSchema,
      response: { 200: z.any().describe('The raw email, message/rfc822'), 404: problemSchema, 401: problemSchema, 410: problemSchema.describe('The email was erased') },
    },
  }, async (request, reply) => {
    const message = await findRawMessage(db, request.params.id);
    if (!message) throw new NotFoundError('message', request.params.id);
    if (message.erasedAt) throw new ErasedError('email', message.erasedAt);
    return reply
      .type('message/rfc822')
      .header('content-disposition', `attachment; filename="message-${message.id}.eml"`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(Buffer.from(message.raw));
  });

  r.post('/messages/:id/draft', {
    schema: {
      tags: ['messages'],
      summary: 'Make a draft statement of an email the pipeline set aside',
      description:
        'For an email with status `ignored` (mailing-list or newsletter mail, an auto-reply, or one judged not a statement): ' +
        'extraction runs again without the rules that set it aside, and the new draft (201, with its ETag) says who asked for it. ' +
        'Any other status answers 409; an email with nothing to draft, 422.',
      security: EDITOR_SECURITY,
      params: uuidParamSchema,
      response: { 201: statementDetailSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema },
    },
  }, async (request, reply) => {
    const { statementId } = await draftFromMessage(db, { messageId: request.params.id, actor: request.editor!, trustedAuthservIds: options.deps.config.trustedAuthservIds });
    request.log.info({ messageId: request.params.id, statementId, editorId: request.editor!.id }, 'draft made from an ignored email');
    reply.code(201).header('location', `/api/statements/${statementId}`);
    return sendDetail(db, reply, statementId);
  });
}
