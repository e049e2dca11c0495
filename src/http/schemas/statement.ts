// What the admin API says about a statement. Only fields named here can leave the server.
import { z } from 'zod';
import type { findStatementById, findStatements } from '../../moderation/statement-queries.ts';
import { allowedActions, STATEMENT_ACTIONS } from '../../moderation/transitions.ts';
import { isoDateTimeNullable, toIso, toIsoDay } from './common.ts';

export const statementStatusSchema = z.enum(['draft', 'approved', 'published', 'unpublished', 'rejected']);

export const signatorySchema = z.object({ name: z.string(), role: z.string().nullable() });

const provenanceSchema = z.object({ source: z.string(), confidence: z.number() });

export const statementSummarySchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  status: statementStatusSchema,
  version: z.number().int().describe('Send it back as If-Match when you change the statement.'),
  title: z.string(),
  organisation: z.object({ id: z.uuid().nullable(), name: z.string().nullable(), shortName: z.string().nullable() }),
  statementDate: z.string().nullable().describe('The statement\'s own date, YYYY-MM-DD.'),
  language: z.string().nullable(),
  topic: z.object({ id: z.uuid(), slug: z.string(), title: z.string() }).nullable(),
  messageId: z.uuid().nullable(),
  senderVerified: z.boolean().describe('The registry knows the sender address and the trusted receiving server (TRUSTED_AUTHSERV_ID) authenticated it. Always false when TRUSTED_AUTHSERV_ID is unset.'),
  likelyDuplicateOfId: z.uuid().nullable(),
  duplicateOfId: z.uuid().nullable(),
  extraction: z.object({
    fields: z.record(z.string(), provenanceSchema),
    warnings: z.array(z.string()),
  }).describe('Where each field came from and how sure the rule was (0..1).'),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: isoDateTimeNullable,
});

const fieldChangeSchema = z.object({ from: z.unknown(), to: z.unknown() });

export const revisionSchema = z.object({
  version: z.number().int().describe('The version this edit created.'),
  at: z.string(),
  editor: z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() }).nullable().describe('Null when the editor was deleted, or the change came from the system.'),
  changes: z.record(z.string(), fieldChangeSchema).describe('{ field: { from, to } }'),
});

export const attachmentSchema = z.object({
  id: z.uuid(),
  filename: z.string().nullable(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  inline: z.boolean(),
  extractedText: z.string().nullable().describe('Text of a PDF or DOCX attachment, for checking the draft.'),
  downloadUrl: z.string().describe('GET it (with your credentials) to download the file.'),
});

export const statementDetailSchema = statementSummarySchema.extend({
  bodyHtml: z.string().describe('Sanitised HTML.'),
  bodyText: z.string(),
  signatories: z.array(signatorySchema),
  forwardedBy: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  unpublishReason: z.string().nullable(),
  duplicateOf: z.object({ id: z.uuid(), title: z.string(), status: statementStatusSchema }).nullable(),
  topicPosition: z.number().int().nullable(),
  allowedActions: z.array(z.enum(STATEMENT_ACTIONS)).describe('Workflow actions allowed from the current status.'),
  contentUpdatedAt: z.string().describe('Last change of a field readers see.'),
  approvedAt: isoDateTimeNullable,
  firstPublishedAt: isoDateTimeNullable,
  unpublishedAt: isoDateTimeNullable,
  message: z
    .object({
      id: z.uuid(),
      messageId: z.string().nullable(),
      from: z.object({ name: z.string().nullable(), address: z.string().nullable() }),
      to: z.array(z.string()),
      subject: z.string().nullable(),
      sentAt: isoDateTimeNullable,
      receivedAt: z.string(),
      headers: z.record(z.string(), z.array(z.string())).describe('Top-level headers, names lower-cased, in order.'),
      rawUrl: z.string().describe('The .eml exactly as received.'),
      attachments: z.array(attachmentSchema),
    })
    .nullable(),
  revisions: z.array(revisionSchema).describe('Edits, newest first.'),
});

type SummaryRow = Omit<Awaited<ReturnType<typeof findStatements>>[number], 'pendingCorrection'>;
type DetailRow = NonNullable<Awaited<ReturnType<typeof findStatementById>>>;

// The stored JSON columns are read through these, built once: a zod 4 schema compiles its parser
// on first use, so one built per call cost about 6 ms per queue page of 50 (bench/scale.ts).
const storedExtractionSchema = z.object({ fields: z.record(z.string(), provenanceSchema).default({}), warnings: z.array(z.string()).default([]) });
const storedHeadersSchema = z.record(z.string(), z.array(z.string()));
const storedChangesSchema = z.record(z.string(), fieldChangeSchema);
const storedSignatoriesSchema = z.array(signatorySchema);

function readExtraction(value: unknown): z.infer<typeof statementSummarySchema>['extraction'] {
  const parsed = storedExtractionSchema.safeParse(value);
  return parsed.success ? parsed.data : { fields: {}, warnings: [] };
}

export function toStatementSummary(s: SummaryRow): z.infer<typeof statementSummarySchema> {
  return {
    id: s.id,
    slug: s.slug,
    status: s.status,
    version: s.version,
    title: s.title,
    organisation: { id: s.organisationId, name: s.organisationName, shortName: s.organisationShort },
    statementDate: toIsoDay(s.statementDate),
    language: s.language,
    topic: s.topic,
    messageId: s.messageId,
    senderVerified: s.senderVerified,
    likelyDuplicateOfId: s.likelyDuplicateOfId,
    duplicateOfId: s.duplicateOfId,
    extraction: readExtraction(s.extraction),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    publishedAt: toIso(s.publishedAt),
  };
}

function readHeaders(value: unknown): Record<string, string[]> {
  const parsed = storedHeadersSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

function readChanges(value: unknown): Record<string, { from: unknown; to: unknown }> {
  const parsed = storedChangesSchema.safeParse(value);
  return parsed.success ? (parsed.data as Record<string, { from: unknown; to: unknown }>) : {};
}

export function toStatementDetail(s: DetailRow): z.infer<typeof statementDetailSchema> {
  const signatories = storedSignatoriesSchema.safeParse(s.signatories);
  return {
    ...toStatementSummary(s),
    bodyHtml: s.bodyHtml,
    bodyText: s.bodyText,
    signatories: signatories.success ? signatories.data : [],
    forwardedBy: s.forwardedBy,
    rejectionReason: s.rejectionReason,
    unpublishReason: s.unpublishReason,
    duplicateOf: s.duplicateOf,
    topicPosition: s.topicPosition,
    allowedActions: allowedActions(s.status),
    contentUpdatedAt: s.contentUpdatedAt.toISOString(),
    approvedAt: toIso(s.approvedAt),
    firstPublishedAt: toIso(s.firstPublishedAt),
    unpublishedAt: toIso(s.unpublishedAt),
    message: s.message
      ? {
          id: s.message.id,
          messageId: s.message.messageIdHeader,
          from: { name: s.message.fromName, address: s.message.fromAddress },
          to: s.message.toAddresses,
          subject: s.message.subject,
          sentAt: toIso(s.message.sentAt),
          receivedAt: s.message.receivedAt.toISOString(),
          headers: readHeaders(s.message.headers),
          rawUrl: `/api/messages/${s.message.id}/raw`,
          attachments: s.message.attachments.map((a) => ({ ...a, downloadUrl: `/api/attachments/${a.id}` })),
        }
      : null,
    revisions: s.revisions.map((r) => ({
      version: r.version,
      at: r.createdAt.toISOString(),
      editor: r.editor,
      changes: readChanges(r.changes),
    })),
  };
}
