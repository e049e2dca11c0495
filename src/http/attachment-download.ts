// An email attachment downloaded by an editor (GET /api/attachments/:id and
// /editor/attachments/:id). Its bytes and declared type are the sender's: a type such as
// application/javascript or text/html, served from our origin, could run as a same-origin
// script or page. So the file is always a download (Content-Disposition: attachment), never
// sniffed, under a CSP that lets nothing run, and typed only as what its bytes were verified to
// be (a PDF, DOCX, ODT or DOC), else as bare bytes.
import type { FastifyReply } from 'fastify';
import { verifiedDocumentType } from '../publishing/public-statement.ts';
import { contentDisposition } from './content-disposition.ts';

export interface DownloadableAttachment {
  id: string;
  filename: string | null;
  documentType: string | null;
  content: Uint8Array;
}

/** The Content-Type an editor's download is served with. */
export function editorDownloadType(documentType: string | null): string {
  return verifiedDocumentType(documentType)?.contentType ?? 'application/octet-stream';
}

export function sendAttachmentDownload(reply: FastifyReply, attachment: DownloadableAttachment) {
  return reply
    .type(editorDownloadType(attachment.documentType))
    .header('content-disposition', contentDisposition(attachment.filename, `attachment-${attachment.id}`))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'no-store')
    .send(Buffer.from(attachment.content));
}
