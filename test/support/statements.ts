// Creates statements, topics and organisations in any state directly with Prisma, for tests that
// need data without walking the editorial flow. Timestamps follow the state the statement is put
// in (a published statement has publishedAt/firstPublishedAt; an unpublished one also
// unpublishedAt), unless the caller gives them.
import { randomBytes, createHash } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import type { StatementStatus } from '../../src/generated/prisma/enums.ts';
import { statementSlug } from '../../src/publishing/slug.ts';

export interface TestAttachmentInput {
  filename: string;
  contentType: string;
  content: Buffer;
  inline?: boolean;
}

export interface CreateStatementInput {
  status?: StatementStatus;
  title?: string;
  slug?: string;
  bodyHtml?: string;
  bodyText?: string;
  organisationName?: string | null;
  organisationShort?: string | null;
  organisationId?: string | null;
  statementDate?: Date | null;
  language?: string | null;
  signatories?: { name: string; role?: string }[];
  topicId?: string | null;
  topicPosition?: number | null;
  createdAt?: Date;
  publishedAt?: Date | null;
  firstPublishedAt?: Date | null;
  contentUpdatedAt?: Date;
  unpublishedAt?: Date | null;
  unpublishReason?: string | null;
  rejectionReason?: string | null;
  /** Creates a message (with this sender) the statement comes from. */
  message?: {
    fromAddress?: string;
    fromName?: string;
    subject?: string;
    raw?: string;
    attachments?: TestAttachmentInput[];
  };
}

export type TestStatement = Awaited<ReturnType<typeof createStatement>>;

const DEFAULT_NOW = new Date('2026-03-01T12:00:00.000Z');

/** Creates one statement in the given state (default: published). */
export async function createStatement(db: Db, input: CreateStatementInput = {}) {
  const status = input.status ?? 'published';
  const id = crypto.randomUUID();
  const title = input.title ?? `Statement ${randomBytes(3).toString('hex')}`;
  const created = input.createdAt ?? DEFAULT_NOW;
  const wasPublished = status === 'published' || status === 'unpublished';
  const publishedAt = input.publishedAt !== undefined ? input.publishedAt : wasPublished ? created : null;
  const firstPublishedAt = input.firstPublishedAt !== undefined ? input.firstPublishedAt : publishedAt;
  const messageId = input.message ? await createTestMessage(db, input.message) : null;
  const bodyText = input.bodyText ?? `Text of ${title}.`;
  return db.statement.create({
    data: {
      id,
      slug: input.slug ?? statementSlug(title, id),
      status,
      title,
      bodyHtml: input.bodyHtml ?? `<p>${bodyText.replace(/[&<>]/g, '')}</p>`,
      bodyText,
      organisationName: input.organisationName !== undefined ? input.organisationName : 'Workers Front',
      organisationShort: input.organisationShort !== undefined ? input.organisationShort : 'WF',
      organisationId: input.organisationId ?? null,
      statementDate: input.statementDate !== undefined ? input.statementDate : new Date('2026-02-24T00:00:00.000Z'),
      language: input.language !== undefined ? input.language : 'en',
      signatories: input.signatories ?? [],
      topicId: input.topicId ?? null,
      topicPosition: input.topicPosition ?? null,
      messageId,
      createdAt: created,
      contentUpdatedAt: input.contentUpdatedAt ?? firstPublishedAt ?? created,
      approvedAt: status === 'draft' || status === 'rejected' ? null : created,
      publishedAt,
      firstPublishedAt,
      unpublishedAt: input.unpublishedAt !== undefined ? input.unpublishedAt : status === 'unpublished' ? created : null,
      unpublishReason: input.unpublishReason ?? (status === 'unpublished' ? 'Withdrawn at the sender’s request' : null),
      rejectionReason: input.rejectionReason ?? (status === 'rejected' ? 'Not a statement' : null),
    },
    include: { message: { include: { attachments: true } }, topic: true, organisation: true },
  });
}

async function createTestMessage(db: Db, input: NonNullable<CreateStatementInput['message']>): Promise<string> {
  const raw = Buffer.from(
    input.raw ??
      [
        `From: ${input.fromName ?? 'Press Office'} <${input.fromAddress ?? 'press@example.org'}>`,
        `Subject: ${input.subject ?? 'Statement'}`,
        '',
        'Body.',
      ].join('\r\n'),
  );
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const message = await db.message.create({
    data: {
      dedupKey: `test-${randomBytes(8).toString('hex')}`,
      source: 'import',
      sha256,
      size: raw.length,
      raw: new Uint8Array(raw),
      status: 'drafted',
      fromAddress: input.fromAddress ?? 'press@example.org',
      fromName: input.fromName ?? 'Press Office',
      subject: input.subject ?? 'Statement',
      textBody: raw.toString('utf8'),
      attachments: {
        create: (input.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          size: a.content.length,
          sha256: createHash('sha256').update(a.content).digest('hex'),
          content: new Uint8Array(a.content),
          inline: a.inline ?? false,
        })),
      },
    },
  });
  return message.id;
}

export interface CreateTopicInput {
  slug?: string;
  title?: string;
  introduction?: string;
  open?: boolean;
}

export async function createTopic(db: Db, input: CreateTopicInput = {}) {
  const suffix = randomBytes(3).toString('hex');
  return db.topic.create({
    data: {
      slug: input.slug ?? `topic-${suffix}`,
      title: input.title ?? `Topic ${suffix}`,
      introduction: input.introduction ?? '',
      open: input.open ?? true,
    },
  });
}

export async function createOrganisation(db: Db, input: { name?: string; shortName?: string | null; country?: string | null } = {}) {
  return db.organisation.create({
    data: {
      name: input.name ?? `Organisation ${randomBytes(3).toString('hex')}`,
      shortName: input.shortName ?? null,
      country: input.country ?? null,
    },
  });
}
