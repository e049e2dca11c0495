// What the admin API says about a statement. Only fields named here can leave the server.
import { z } from 'zod';
import type { findStatementById, findStatements } from '../../moderation/statement-queries.ts';
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
  senderVerified: z.boolean(),
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

export const statementDetailSchema = statementSummarySchema.extend({
  bodyHtml: z.string().describe('Sanitised HTML.'),
  bodyText: z.string(),
  signatories: z.array(signatorySchema),
  forwardedBy: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  unpublishReason: z.string().nullable(),
  message: z
    .object({
      id: z.uuid(),
      messageId: z.string().nullable(),
      from: z.object({ name: z.string().nullable(), address: z.string().nullable() }),
      to: z.array(z.string()),
      subject: z.string().nullable(),
      sentAt: isoDateTimeNullable,
      receivedAt: z.string(),
      rawUrl: z.string().describe('The .eml exactly as received.'),
      attachments: z.array(
        z.object({ id: z.uuid(), filename: z.string().nullable(), contentType: z.string(), size: z.number().int(), sha256: z.string(), inline: z.boolean() }),
      ),
    })
    .nullable(),
});

type SummaryRow = Awaited<ReturnType<typeof findStatements>>[number];
type DetailRow = NonNullable<Awaited<ReturnType<typeof findStatementById>>>;

function readExtraction(value: unknown): z.infer<typeof statementSummarySchema>['extraction'] {
  const parsed = z.object({ fields: z.record(z.string(), provenanceSchema).default({}), warnings: z.array(z.string()).default([]) }).safeParse(value);
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

export function toStatementDetail(s: DetailRow): z.infer<typeof statementDetailSchema> {
  const signatories = z.array(signatorySchema).safeParse(s.signatories);
  return {
    ...toStatementSummary(s),
    bodyHtml: s.bodyHtml,
    bodyText: s.bodyText,
    signatories: signatories.success ? signatories.data : [],
    forwardedBy: s.forwardedBy,
    rejectionReason: s.rejectionReason,
    unpublishReason: s.unpublishReason,
    message: s.message
      ? {
          id: s.message.id,
          messageId: s.message.messageIdHeader,
          from: { name: s.message.fromName, address: s.message.fromAddress },
          to: s.message.toAddresses,
          subject: s.message.subject,
          sentAt: toIso(s.message.sentAt),
          receivedAt: s.message.receivedAt.toISOString(),
          rawUrl: `/api/messages/${s.message.id}/raw`,
          attachments: s.message.attachments,
        }
      : null,
  };
}
