// The public view of one statement: what a reader may see, built from a statement row (or an
// editor's unsaved statement, for the preview). Pure: no database, no clock. The body is
// sanitised again here, at output, whatever was stored: the stored HTML was sanitised at ingest
// and edit, but a second pass means a bug or a hand-edited row there cannot reach a reader.
import { z } from 'zod';
import { cleanFileName, MAX_FILE_NAME_CHARS } from '../file-names.ts';
import { htmlToText, sanitizeEmailHtml, textToHtml } from '../html/sanitize.ts';
import { statementAttachmentUrl, statementUrl, topicUrl } from './public-urls.ts';

/** The fields of a statement the public views read. A Prisma row with these selected fits. */
export interface PublicStatementInput {
  id?: string;
  slug: string;
  status?: string;
  title: string;
  bodyHtml: string;
  bodyText: string;
  organisationName: string | null;
  organisationShort: string | null;
  organisation?: { name: string; shortName: string | null; country: string | null; website?: string | null } | null;
  statementDate: Date | null;
  language: string | null;
  signatories: unknown;
  topic?: { slug: string; title: string } | null;
  publishedAt?: Date | null;
  firstPublishedAt?: Date | null;
  contentUpdatedAt?: Date | null;
  unpublishedAt?: Date | null;
  message?: { attachments: PublicAttachmentInput[] } | null;
}

export interface PublicAttachmentInput {
  id: string;
  filename: string | null;
  contentType: string;
  size: number;
  inline?: boolean;
  /** What the bytes are (attachments.document_type), or null: see originalFileType. */
  documentType: string | null;
}

/** published: as first published; corrected: edited after publication; withdrawn: unpublished. */
export type PublicStatus = 'published' | 'corrected' | 'withdrawn';

export interface StatementView {
  slug: string;
  url: string;
  title: string;
  /** Sanitised HTML, safe to output raw. */
  bodyHtml: string;
  bodyText: string;
  organisation: { name: string; shortName: string | null; country: string | null; website: string | null } | null;
  /** The statement's own date (not the publication date). */
  date: { iso: string; label: string } | null;
  language: string | null;
  signatories: { name: string; role: string | null }[];
  topic: { slug: string; title: string; url: string } | null;
  attachments: AttachmentView[];
  status: PublicStatus;
  publishedAt: Date | null;
  /** Set when the statement was corrected after it was first published. */
  correctedAt: Date | null;
  /** correctedAt written like every other date on the page ("4 March 2022"). */
  correctedLabel: string | null;
  /**
   * The last change readers should hear of after the first publication: a correction, or
   * publishing again after a withdrawal. Null when there was none.
   */
  modifiedAt: Date | null;
  withdrawnAt: Date | null;
}

export interface AttachmentView {
  id: string;
  url: string;
  filename: string;
  contentType: string;
  size: number;
  sizeLabel: string;
  kind: string;
}

/**
 * An edit within this long of the first publication is the publication itself (publishing may
 * stamp contentUpdatedAt a moment after firstPublishedAt), not a correction.
 */
export const CORRECTION_GRACE_MS = 1_000;

export type DocumentType = 'pdf' | 'docx' | 'odt' | 'doc';

const ORIGINAL_FILE_TYPES: { documentType: DocumentType; extension: string; contentType: string; kind: string }[] = [
  { documentType: 'pdf', extension: '.pdf', contentType: 'application/pdf', kind: 'PDF' },
  { documentType: 'docx', extension: '.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'Word document' },
  { documentType: 'doc', extension: '.doc', contentType: 'application/msword', kind: 'Word document' },
  { documentType: 'odt', extension: '.odt', contentType: 'application/vnd.oasis.opendocument.text', kind: 'OpenDocument text' },
];

/** The document type its bytes were verified as (attachments.document_type), or undefined. */
export function verifiedDocumentType(documentType: string | null | undefined) {
  return ORIGINAL_FILE_TYPES.find((t) => t.documentType === documentType);
}

/**
 * The original-document type of an attachment (PDF, DOCX, DOC, ODT), or undefined for anything
 * else (images, signatures, calendar files are never published). Two things must agree:
 * - what the sender claimed: the declared type, or, as mail clients often send documents as
 *   application/octet-stream, the file name's extension when the declared type says nothing;
 * - what the bytes are (`documentType`, which PostgreSQL reads from the magic bytes: see the
 *   attachments.document_type column).
 * A file whose bytes are not what it claims (an HTML page named "statement.pdf") is no original.
 * The type we serve is always the one from this table, never the sender's.
 */
export function originalFileType(attachment: Pick<PublicAttachmentInput, 'filename' | 'contentType' | 'inline' | 'documentType'>) {
  if (attachment.inline || !attachment.documentType) return undefined;
  const declared = attachment.contentType.toLowerCase().split(';')[0]!.trim();
  const name = (attachment.filename ?? '').toLowerCase();
  const verified = verifiedDocumentType(attachment.documentType);
  if (!verified) return undefined;
  const claimed = verified.contentType === declared || ((declared === 'application/octet-stream' || declared === '') && name.endsWith(verified.extension));
  return claimed ? verified : undefined;
}

/**
 * The name a published original is listed and downloaded under: cleaned (no controls, no
 * bidirectional tricks, at most MAX_FILE_NAME_CHARS) and ending in its verified type's
 * extension, so that what a reader sees ("….pdf") is what the file is.
 */
export function publicFileName(filename: string | null | undefined, type: { extension: string }): string {
  let stem = cleanFileName(filename, Number.POSITIVE_INFINITY);
  if (stem.toLowerCase().endsWith(type.extension)) stem = stem.slice(0, -type.extension.length);
  const chars = Array.from(stem.replace(/[\s.]+$/u, '')); // code points: a cut never splits a surrogate pair
  const room = MAX_FILE_NAME_CHARS - type.extension.length;
  const shortened = chars.length > room ? `${chars.slice(0, room - 1).join('')}…` : chars.join('');
  return `${shortened || 'statement'}${type.extension}`;
}

const signatorySchema = z.object({ name: z.string().trim().min(1), role: z.string().nullish() });

/** Signatories as stored (JSON); an entry that is not { name, role? } is left out, not fatal. */
export function readSignatories(value: unknown): { name: string; role: string | null }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const parsed = signatorySchema.safeParse(entry);
    return parsed.success ? [{ name: parsed.data.name, role: parsed.data.role?.trim() || null }] : [];
  });
}

const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

/** A BCP 47-looking language tag, or null: the value lands in lang="" and xml:lang="". */
export function toLanguageTag(language: string | null | undefined): string | null {
  const trimmed = language?.trim() ?? '';
  return LANGUAGE_TAG.test(trimmed) ? trimmed : null;
}

const dateLabelFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function formatDateLabel(date: Date): string {
  return dateLabelFormat.format(date);
}

/** A calendar date stored as DATE comes back as midnight UTC; show it as that day everywhere. */
export function toDateView(date: Date | null | undefined): { iso: string; label: string } | null {
  if (!date || Number.isNaN(date.getTime())) return null;
  return { iso: date.toISOString().slice(0, 10), label: formatDateLabel(date) };
}

export function formatSize(bytes: number): string {
  if (bytes < 1_000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1_000)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The safe public HTML of a statement: sanitised again, or its text as paragraphs. */
export function publicBodyHtml(input: Pick<PublicStatementInput, 'bodyHtml' | 'bodyText'>): string {
  const html = input.bodyHtml.trim() ? sanitizeEmailHtml(input.bodyHtml) : '';
  return html || textToHtml(input.bodyText);
}

export function publicStatusOf(input: PublicStatementInput): PublicStatus {
  if (input.status === 'unpublished') return 'withdrawn';
  const first = input.firstPublishedAt ?? input.publishedAt;
  if (first && input.contentUpdatedAt && input.contentUpdatedAt.getTime() - first.getTime() > CORRECTION_GRACE_MS) {
    return 'corrected';
  }
  return 'published';
}

export interface StatementViewOptions {
  baseUrl: string;
  /** Where attachment links point (the editors' preview may use its own URLs). */
  attachmentUrl?: (attachment: PublicAttachmentInput) => string;
}

/** When the statement was last changed after its first publication (see StatementView.modifiedAt). */
export function modifiedAtOf(input: PublicStatementInput, status: PublicStatus): Date | null {
  if (status === 'withdrawn') return input.unpublishedAt ?? null;
  const first = input.firstPublishedAt ?? input.publishedAt;
  if (!first) return null;
  const later = [status === 'corrected' ? input.contentUpdatedAt : null, input.publishedAt].filter(
    (d): d is Date => Boolean(d) && d!.getTime() - first.getTime() > CORRECTION_GRACE_MS,
  );
  return later.length ? new Date(Math.max(...later.map((d) => d.getTime()))) : null;
}

export function toStatementView(input: PublicStatementInput, options: StatementViewOptions): StatementView {
  const { baseUrl } = options;
  const status = publicStatusOf(input);
  const org = input.organisation;
  const organisationName = input.organisationName?.trim() || org?.name || null;
  const bodyHtml = publicBodyHtml(input);
  const attachmentUrl = options.attachmentUrl ?? ((a: PublicAttachmentInput) => statementAttachmentUrl(baseUrl, input.slug, a.id));
  return {
    slug: input.slug,
    url: statementUrl(baseUrl, input.slug),
    title: input.title,
    bodyHtml,
    bodyText: input.bodyText.trim() || htmlToText(bodyHtml),
    organisation: organisationName
      ? {
          name: organisationName,
          shortName: input.organisationShort?.trim() || org?.shortName || null,
          country: org?.country || null,
          website: org?.website || null,
        }
      : null,
    date: toDateView(input.statementDate),
    language: toLanguageTag(input.language),
    signatories: readSignatories(input.signatories),
    topic: input.topic ? { slug: input.topic.slug, title: input.topic.title, url: topicUrl(baseUrl, input.topic.slug) } : null,
    attachments: (input.message?.attachments ?? []).flatMap((a) => {
      const type = originalFileType(a);
      if (!type) return [];
      return [
        {
          id: a.id,
          url: attachmentUrl(a),
          filename: publicFileName(a.filename, type),
          contentType: type.contentType,
          size: a.size,
          sizeLabel: formatSize(a.size),
          kind: type.kind,
        },
      ];
    }),
    status,
    publishedAt: input.firstPublishedAt ?? input.publishedAt ?? null,
    correctedAt: status === 'corrected' ? (input.contentUpdatedAt ?? null) : null,
    correctedLabel: status === 'corrected' && input.contentUpdatedAt ? formatDateLabel(input.contentUpdatedAt) : null,
    modifiedAt: modifiedAtOf(input, status),
    withdrawnAt: status === 'withdrawn' ? (input.unpublishedAt ?? null) : null,
  };
}
