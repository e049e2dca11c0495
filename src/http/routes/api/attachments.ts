// GET /api/attachments/:id: an attachment of a stored email, for editors. Always a download
// (Content-Disposition: attachment, nosniff), never rendered inline: its content is the sender's
// (attachment-download.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { NotFoundError } from '../../../errors.ts';
import { findAttachmentContent } from '../../../moderation/statement-queries.ts';
import { problemSchema, uuidParamSchema } from '../../schemas/common.ts';
import { EDITOR_SECURITY } from './security.ts';
import { sendAttachmentDownload } from '../../attachment-download.ts';

export default async function attachmentRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;

  r.get('/attachments/:id', {
    schema: {
      tags: ['messages'],
      summary: 'Download an attachment of a stored email',
      security: EDITOR_SECURITY,
      params: uuidParamSchema,
      response: { 200: z.any().describe('The file\'s bytes as the sender attached them; typed as a PDF/DOCX/ODT/DOC when its bytes are one, else application/octet-stream'), 400: problemSchema, 401: problemSchema, 404: problemSchema },
    },
  }, async (request, reply) => {
    const attachment = await findAttachmentContent(db, request.params.id);
    if (!attachment) throw new NotFoundError('attachment', request.params.id);
    return sendAttachmentDownload(reply, attachment);
  });
}
