// GET /statements/:slug/attachments/:id: an original document (PDF, DOCX, DOC, ODT) of a
// published statement. Anything else (another statement's file, an image, a file of a draft or a
// withdrawn statement, a file whose bytes are not the document it claims to be) is a 404. Served
// as a download with the type its bytes were verified as, never the sender's, under a cleaned
// name ending in that type's extension.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../../errors.ts';
import { PUBLIC_CACHE_CONTROL, isNotModified, toHttpDate, latestOf } from '../../../publishing/http-cache.ts';
import { originalFileType, publicFileName } from '../../../publishing/public-statement.ts';
import { findPublishedAttachment } from '../../../publishing/queries.ts';
import type { PublicRoutesOptions } from './route-options.ts';
import { contentDisposition } from '../../content-disposition.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AttachmentNotFoundError extends DomainError {
  constructor() {
    super('attachment_not_found', 404, 'There is no published file at this address. Open the statement page for the current link to its original file.');
  }
}

export default async function publicAttachmentRoutes(app: FastifyInstance, options: PublicRoutesOptions) {
  const { db } = options;
  app.withTypeProvider<ZodTypeProvider>().get('/statements/:slug/attachments/:id', {
    schema: {
      tags: ['public'],
      summary: 'An original document (PDF/DOCX) of a published statement, as a download',
      produces: ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      params: z.object({ slug: z.string().min(1).max(300), id: z.string().max(100) }),
    },
  }, async (request, reply) => {
    if (!UUID_PATTERN.test(request.params.id)) throw new AttachmentNotFoundError();
    const attachment = await findPublishedAttachment(db, request.params.slug, request.params.id);
    const type = attachment ? originalFileType(attachment) : undefined;
    if (!attachment || !type) throw new AttachmentNotFoundError();
    const etag = `"${attachment.sha256.slice(0, 32)}"`;
    const lastModified = latestOf(attachment.createdAt, attachment.publishedAt);
    reply
      .header('etag', etag)
      .header('last-modified', toHttpDate(lastModified))
      .header('cache-control', PUBLIC_CACHE_CONTROL);
    if (isNotModified(request.headers, { etag, lastModified })) return reply.code(304).send();
    return reply
      .type(type.contentType)
      .header('content-disposition', contentDisposition(publicFileName(attachment.filename, type), `statement${type.extension}`))
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(attachment.content));
  });
}
