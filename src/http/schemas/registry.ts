// What the API says about topics, organisations and rejection reasons.
import { z } from 'zod';
import { statementStatusSchema } from './statement.ts';

export const topicSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  introduction: z.string(),
  open: z.boolean(),
  version: z.number().int().describe('Send it back as If-Match when you change the topic (optional).'),
  publicUrl: z.string().describe('Its public page.'),
  feedUrl: z.string().describe('Its public JSON Feed.'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const topicListItemSchema = topicSchema.extend({
  statementCount: z.number().int(),
  publishedCount: z.number().int(),
});

export const topicDetailSchema = topicSchema.extend({
  statements: z.array(
    z.object({
      id: z.uuid(),
      slug: z.string(),
      title: z.string(),
      status: statementStatusSchema,
      version: z.number().int(),
      organisationName: z.string().nullable(),
      statementDate: z.string().nullable(),
      topicPosition: z.number().int().nullable(),
    }),
  ).describe('In page order.'),
});

type TopicRow = { id: string; slug: string; title: string; introduction: string; open: boolean; version: number; createdAt: Date; updatedAt: Date };

export function toTopic(t: TopicRow, publicBaseUrl: string): z.infer<typeof topicSchema> {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    id: t.id,
    slug: t.slug,
    title: t.title,
    introduction: t.introduction,
    open: t.open,
    version: t.version,
    publicUrl: `${base}/topics/${encodeURIComponent(t.slug)}`,
    feedUrl: `${base}/topics/${encodeURIComponent(t.slug)}/feed.json`,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export const organisationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  shortName: z.string().nullable(),
  country: z.string().nullable(),
  website: z.string().nullable(),
  senderAddresses: z.array(z.string()),
  senderDomains: z.array(z.string()),
  version: z.number().int(),
  statementCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export function toOrganisation(o: {
  id: string; name: string; shortName: string | null; country: string | null; website: string | null;
  senderAddresses: string[]; senderDomains: string[]; version: number; createdAt: Date; updatedAt: Date; _count?: { statements: number };
}): z.infer<typeof organisationSchema> {
  return {
    id: o.id,
    name: o.name,
    shortName: o.shortName,
    country: o.country,
    website: o.website,
    senderAddresses: o.senderAddresses,
    senderDomains: o.senderDomains,
    version: o.version,
    statementCount: o._count?.statements ?? 0,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export const rejectionReasonSchema = z.object({ id: z.uuid(), text: z.string(), createdAt: z.string() });
