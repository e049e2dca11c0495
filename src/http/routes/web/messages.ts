// The source email as editors see it: GET /editor/messages/:id (a page for emails that did not
// become a statement, with "Make a draft of it" for one the pipeline set aside: POST
// /editor/messages/:id/draft), GET /editor/messages/:id/original (the sanitised HTML for the
// sandboxed frame, under a CSP that forbids scripts and any remote load), and attachment downloads.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { DomainError, NotFoundError } from '../../../errors.ts';
import { draftFromMessage } from '../../../ingest/draft-from-message.ts';
import { escapeHtml } from '../../../html/sanitize.ts';
import { findAttachmentText, findMessageBodies, findMessageForEditor } from '../../../ingest/message-queries.ts';
import { editorPreparer, SanitizeFailedError } from '../../../ingest/preparer.ts';
import { uuidParamSchema } from '../../schemas/common.ts';
import { redirectWithNotice, renderPage } from './render.ts';
import { findAttachmentContent } from '../../../moderation/statement-queries.ts';
import { sendAttachmentDownload } from '../../attachment-download.ts';

/** The frame's document may only use inline styles and data: images; nothing runs or loads. */
export const ORIGINAL_FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'";
/** After the editor asks for remote images: images may load over http(s), still nothing runs. */
export const ORIGINAL_FRAME_WITH_IMAGES_CSP = ORIGINAL_FRAME_CSP.replace('img-src data:', 'img-src data: https: http:');

// The sanitiser turns <img src="http..."> into this link; only its own output matches, so only
// http(s) addresses it already checked and escaped become images again.
const IMAGE_LINK = /<a href="(https?:\/\/[^"<>]+)" rel="nofollow noopener noreferrer">\[image: ([^<]*?)\]<\/a>/g;

/**
 * Sanitised HTML with the remote images the sanitiser had turned into links shown again. The alt
 * text comes from text content, where the sanitiser escapes <, > and & but leaves quotes: a quote
 * must be escaped here, or an alt such as `x" style="...` writes attributes of its own.
 */
export function restoreRemoteImages(sanitisedHtml: string): string {
  return sanitisedHtml.replace(
    IMAGE_LINK,
    (_match, src: string, alt: string) => `<img src="${src}" alt="${alt.replace(/"/g, '&quot;')}" referrerpolicy="no-referrer" style="max-width:100%">`,
  );
}

const FRAME_STYLE = 'body{font-family:system-ui,sans-serif;line-height:1.5;color:#1d2330;margin:1rem;overflow-wrap:anywhere}pre{white-space:pre-wrap}img{max-width:100%}';

/**
 * The email's stored HTML made safe for the frame. It was sanitised at ingest; it is sanitised
 * again so that nothing stored before a sanitiser fix can reach the editor, in the editors'
 * parser worker (never on this thread: a hostile email held the whole server for a minute).
 */
async function frameHtml(htmlBody: string | null): Promise<{ html?: string; problem?: string }> {
  if (!htmlBody?.trim()) return {};
  try {
    return { html: (await editorPreparer().sanitize(htmlBody)).html };
  } catch (error) {
    if (error instanceof SanitizeFailedError) return { problem: error.message };
    throw error;
  }
}

/** A complete document around the email's body: its sanitised HTML, else its text. */
export function originalFrameDocument(bodies: { sanitizedHtml?: string; problem?: string; textBody: string | null }, options: { remoteImages?: boolean } = {}): string {
  const text = bodies.textBody?.trim() ? `<pre>${escapeHtml(bodies.textBody)}</pre>` : '';
  const content = bodies.sanitizedHtml?.trim()
    ? (options.remoteImages ? restoreRemoteImages : (html: string) => html)(bodies.sanitizedHtml)
    : bodies.problem
      ? `<p><em>The email's HTML cannot be shown (${escapeHtml(bodies.problem)}).${text ? ' Its text version:' : ' Download the original file to read it.'}</em></p>${text}`
      : text || '<p><em>This email has no text.</em></p>';
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><style>${FRAME_STYLE}</style><title>Original email</title></head><body>${content}</body></html>`;
}

export default async function messageRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  editorPreparer(options.deps.logger);

  const showMessage = async (request: FastifyRequest, reply: FastifyReply, id: string, problem: string | null = null, statusCode = 200) => {
    const message = await findMessageForEditor(db, id);
    if (!message) throw new NotFoundError('message', id);
    const headers = message.headers && typeof message.headers === 'object' ? (message.headers as Record<string, unknown>) : {};
    const headerList = Object.entries(headers).flatMap(([name, values]) => (Array.isArray(values) ? values : [values]).map((value) => ({ name, value: String(value) })));
    return renderPage(request, reply, 'message', { title: message.subject || 'Email', section: 'queue', message, headerList, problem }, statusCode);
  };

  r.get('/messages/:id', { schema: { params: uuidParamSchema } }, async (request, reply) => showMessage(request, reply, request.params.id));

  r.post('/messages/:id/draft', { schema: { params: uuidParamSchema } }, async (request, reply) => {
    try {
      const { statementId } = await draftFromMessage(db, { messageId: request.params.id, actor: request.editor!, trustedAuthservIds: options.deps.config.trustedAuthservIds });
      request.log.info({ messageId: request.params.id, statementId, editorId: request.editor!.id }, 'draft made from an ignored email');
      return redirectWithNotice(reply, `/editor/statements/${statementId}`, 'drafted_from_email');
    } catch (error) {
      if (error instanceof DomainError && [409, 422].includes(error.statusCode)) return showMessage(request, reply, request.params.id, error.message, error.statusCode);
      throw error;
    }
  });

  r.get('/messages/:id/original', {
    schema: { params: uuidParamSchema, querystring: z.object({ images: z.literal('remote').optional() }) },
  }, async (request, reply) => {
    const bodies = await findMessageBodies(db, request.params.id);
    if (!bodies) throw new NotFoundError('message', request.params.id);
    const remoteImages = request.query.images === 'remote';
    const { html, problem } = await frameHtml(bodies.htmlBody);
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', remoteImages ? ORIGINAL_FRAME_WITH_IMAGES_CSP : ORIGINAL_FRAME_CSP)
      .header('x-frame-options', 'SAMEORIGIN')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .send(originalFrameDocument({ sanitizedHtml: html, problem, textBody: bodies.textBody }, { remoteImages }));
  });

  // A forwarded message (message/rfc822 attachment) in the same sandboxed frame as the email: its
  // headers and text, as read at ingest (nothing is parsed on a request).
  r.get('/attachments/:id/original', { schema: { params: uuidParamSchema } }, async (request, reply) => {
    const attachment = await findAttachmentText(db, request.params.id);
    if (!attachment || attachment.contentType !== 'message/rfc822') throw new NotFoundError('forwarded message', request.params.id);
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', ORIGINAL_FRAME_CSP)
      .header('x-frame-options', 'SAMEORIGIN')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .send(originalFrameDocument({ textBody: attachment.extractedText }));
  });

  r.get('/attachments/:id', { schema: { params: uuidParamSchema } }, async (request, reply) => {
    const attachment = await findAttachmentContent(db, request.params.id);
    if (!attachment) throw new NotFoundError('attachment', request.params.id);
    // Always a download, never rendered in our origin: a hostile HTML or SVG "attachment" stays inert.
    return sendAttachmentDownload(reply, attachment);
  });
}
