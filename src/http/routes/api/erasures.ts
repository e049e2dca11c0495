// POST /api/erasures (administrators): a sender's erasure request, as `statement-desk erase`.
// Erases the sender's emails, deletes their unpublished statements, and withdraws and empties
// the published ones only when asked to (includePublished). Audited; answers what was done.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { eraseSender } from '../../../retention/erase.ts';
import { problemSchema } from '../../schemas/common.ts';
import { EDITOR_SECURITY as security } from './security.ts';

const erasureRequestSchema = z.object({
  sender: z.string().min(3).max(320).describe("The sender's email address (any case)."),
  includePublished: z.boolean().default(false).describe('Also withdraw and empty their published statements.'),
});

const erasureResultSchema = z.object({
  messages: z.number().int().describe('Emails whose mail was erased (a tombstone stays, so a copy sent again is recognised).'),
  attachments: z.number().int(),
  statementsDeleted: z.number().int().describe('Unpublished statements (drafts, approved, rejected, withdrawn) deleted.'),
  statementsWithdrawn: z.number().int().describe('Published statements withdrawn and emptied (includePublished).'),
  publishedKept: z.number().int().describe('Published statements left as they are, with their emails.'),
});

export default async function erasureRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const now = options.deps.now ?? (() => new Date());
  r.post('/erasures', {
    preValidation: app.requireAdmin,
    schema: {
      tags: ['settings'],
      summary: "Erase a sender's emails and personal data (administrators)",
      security,
      body: erasureRequestSchema,
      response: { 200: erasureResultSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema },
    },
  }, async (request) =>
    eraseSender(options.deps.db, {
      address: request.body.sender,
      includePublished: request.body.includePublished,
      actor: request.editor!,
      now: now(),
    }),
  );
}
