// GET /api/statements (the queue, newest first) and GET /api/statements/:id.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../../app.ts';
import { NotFoundError } from '../../../errors.ts';
import { countStatementsByStatus, findStatementById, findStatements } from '../../../moderation/statement-queries.ts';
import { decodeCursor, pageQuerySchema, toPage } from '../../pagination.ts';
import { problemSchema, uuidParamSchema } from '../../schemas/common.ts';
import {
  statementDetailSchema,
  statementStatusSchema,
  statementSummarySchema,
  toStatementDetail,
  toStatementSummary,
} from '../../schemas/statement.ts';

export default async function statementRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;

  r.get('/statements', {
    schema: {
      tags: ['statements'],
      summary: 'The queue: statements, newest first',
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
      querystring: pageQuerySchema.extend({ status: statementStatusSchema.optional() }).strict(),
      response: {
        200: z.object({
          items: z.array(statementSummarySchema),
          nextCursor: z.string().nullable(),
          counts: z.record(statementStatusSchema, z.number().int()),
        }),
        400: problemSchema,
        401: problemSchema,
      },
    },
  }, async (request) => {
    const { limit, cursor, status } = request.query;
    const rows = await findStatements(db, { status, cursor: decodeCursor(cursor), limit });
    const page = toPage(rows, limit, (s) => s.createdAt);
    return { items: page.items.map(toStatementSummary), nextCursor: page.nextCursor, counts: await countStatementsByStatus(db) };
  });

  r.get('/statements/:id', {
    schema: {
      tags: ['statements'],
      summary: 'One statement with its source message and attachments',
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
      params: uuidParamSchema,
      response: { 200: statementDetailSchema, 401: problemSchema, 404: problemSchema },
    },
  }, async (request, reply) => {
    const statement = await findStatementById(db, request.params.id);
    if (!statement) throw new NotFoundError('statement', request.params.id);
    reply.header('etag', `"${statement.version}"`);
    return toStatementDetail(statement);
  });
}
