// Topics: the public pages that group statements ("Statements: Asian socialists condemn ...").
// Guarantees: slugs are unique and never reused by a different topic silently (409 says so);
// updates are guarded on the topic's version when one is given; the order of a topic is set in
// one transaction from the complete list of its statements (a missing or foreign id is a 400, so
// two editors cannot interleave half-orders); a topic with published statements cannot be
// deleted (close it instead); every change is audited in the same transaction.
import { z } from 'zod';
import type { Db, DbTx } from '../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import { slugify } from '../publishing/slug.ts';
import { staleVersionError } from './transitions.ts';
import { withUniqueConflict } from './unique-violation.ts';

const SLUG = /^[\p{Ll}\p{Lo}\p{N}]+(?:-[\p{Ll}\p{Lo}\p{N}]+)*$/u;

export const topicInputSchema = z.strictObject({
  title: z.string().trim().min(1, 'the title cannot be empty').max(300),
  slug: z
    .string()
    .trim()
    .max(100)
    .regex(SLUG, 'use lower-case letters, digits and single hyphens, e.g. "ukraine-war"')
    .optional()
    .describe('The URL name of the public page (/topics/<slug>); made from the title when left out.'),
  introduction: z.string().max(20_000).default('').describe('Shown above the statements on the public page (plain text).'),
  open: z.boolean().default(true).describe('Open topics are listed for new statements; closed ones stay public.'),
});
export const topicChangesSchema = topicInputSchema.partial().extend({ introduction: z.string().max(20_000).optional(), open: z.boolean().optional() });

export type TopicInput = z.input<typeof topicInputSchema>;
export type TopicChanges = z.input<typeof topicChangesSchema>;

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const summary = parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  throw new ValidationError(`The ${what} is not valid: ${summary}.`);
}

export async function listTopics(db: DbTx) {
  const topics = await db.topic.findMany({ orderBy: [{ open: 'desc' }, { createdAt: 'desc' }] });
  const counts = await db.statement.groupBy({ by: ['topicId', 'status'], where: { topicId: { not: null } }, _count: { _all: true } });
  return topics.map((topic) => {
    const mine = counts.filter((c) => c.topicId === topic.id);
    return {
      ...topic,
      statementCount: mine.reduce((n, c) => n + c._count._all, 0),
      publishedCount: mine.find((c) => c.status === 'published')?._count._all ?? 0,
    };
  });
}

/** The topics a statement's form and the queue's filter offer: open ones first, by title. */
export async function listTopicChoices(db: DbTx) {
  return db.topic.findMany({ orderBy: [{ open: 'desc' }, { title: 'asc' }], select: { id: true, title: true, slug: true, open: true } });
}

export async function findTopicIdBySlug(db: DbTx, slug: string): Promise<string | null> {
  return (await db.topic.findUnique({ where: { slug }, select: { id: true } }))?.id ?? null;
}

/** A topic with its statements in page order (unordered ones last, oldest first). */
export async function findTopicWithStatements(db: DbTx, id: string) {
  return db.topic.findUnique({
    where: { id },
    include: {
      statements: {
        orderBy: [{ topicPosition: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
        select: { id: true, slug: true, title: true, status: true, version: true, organisationName: true, statementDate: true, topicPosition: true },
      },
    },
  });
}

async function ensureSlugFree(tx: DbTx, slug: string, exceptId?: string): Promise<void> {
  const taken = await tx.topic.findUnique({ where: { slug }, select: { id: true, title: true } });
  if (taken && taken.id !== exceptId) {
    throw new ConflictError(`The topic "${taken.title}" already uses the address /topics/${slug}. Choose another slug.`, { field: 'slug' });
  }
}

export async function createTopic(db: Db, input: { topic: TopicInput; actor: AuditActor; now: Date }) {
  const topic = parse(topicInputSchema, input.topic, 'topic');
  const slug = topic.slug ?? slugify(topic.title);
  if (!slug) throw new ValidationError('The title gives no usable slug: add a slug such as "ukraine-war".', { field: 'slug' });
  const taken = () => new ConflictError(`Another topic already uses the address /topics/${slug}. Choose another slug.`, { field: 'slug' });
  return withUniqueConflict(() => db.$transaction(async (tx) => {
    await ensureSlugFree(tx, slug);
    const created = await tx.topic.create({ data: { title: topic.title, slug, introduction: topic.introduction, open: topic.open, createdAt: input.now } });
    await recordAudit(tx, { actor: input.actor, action: 'topic.create', targetType: 'topic', targetId: created.id, details: { title: created.title, slug }, at: input.now });
    return created;
  }), taken);
}

export async function updateTopic(db: Db, input: { id: string; expectedVersion?: number | undefined; changes: TopicChanges; actor: AuditActor; now: Date }) {
  const changes = parse(topicChangesSchema, input.changes, 'topic');
  const taken = () => new ConflictError(`Another topic already uses the address /topics/${changes.slug}. Choose another slug.`, { field: 'slug' });
  return withUniqueConflict(() => db.$transaction(async (tx) => {
    const current = await tx.topic.findUnique({ where: { id: input.id } });
    if (!current) throw new NotFoundError('topic', input.id);
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) throw staleVersionError('topic', input.expectedVersion, current.version);
    if (changes.slug && changes.slug !== current.slug) await ensureSlugFree(tx, changes.slug, current.id);
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ['title', 'slug', 'introduction', 'open'] as const) {
      if (changes[key] !== undefined && changes[key] !== current[key]) diff[key] = { from: current[key], to: changes[key] };
    }
    if (Object.keys(diff).length === 0) return current;
    const data = Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, v.to]));
    const updated = await tx.topic.updateMany({ where: { id: current.id, version: current.version }, data: { ...data, version: current.version + 1 } });
    if (updated.count !== 1) throw staleVersionError('topic', input.expectedVersion ?? current.version, current.version + 1);
    await recordAudit(tx, { actor: input.actor, action: 'topic.update', targetType: 'topic', targetId: current.id, details: { changes: diff }, at: input.now });
    return tx.topic.findUniqueOrThrow({ where: { id: current.id } });
  }), taken);
}

export async function deleteTopic(db: Db, input: { id: string; actor: AuditActor; now: Date }): Promise<void> {
  await db.$transaction(async (tx) => {
    const topic = await tx.topic.findUnique({ where: { id: input.id }, select: { id: true, title: true, slug: true } });
    if (!topic) throw new NotFoundError('topic', input.id);
    const published = await tx.statement.count({ where: { topicId: topic.id, status: 'published' } });
    if (published > 0) {
      throw new ConflictError(`The topic "${topic.title}" has ${published} published statement${published === 1 ? '' : 's'}, and its public page would disappear. Close the topic instead, or move its statements first.`, { publishedCount: published });
    }
    await tx.statement.updateMany({ where: { topicId: topic.id }, data: { topicId: null, topicPosition: null } });
    await tx.topic.delete({ where: { id: topic.id } });
    await recordAudit(tx, { actor: input.actor, action: 'topic.delete', targetType: 'topic', targetId: topic.id, details: { title: topic.title, slug: topic.slug }, at: input.now });
  });
}

/**
 * Sets the order of a topic's statements: `statementIds` must name every statement in the topic,
 * each once, first to last. Statement versions do not change (the order is the topic's).
 */
export async function setTopicOrder(db: Db, input: { topicId: string; statementIds: string[]; expectedVersion?: number | undefined; actor: AuditActor; now: Date }) {
  return db.$transaction(async (tx) => {
    const topic = await tx.topic.findUnique({ where: { id: input.topicId }, select: { id: true, version: true } });
    if (!topic) throw new NotFoundError('topic', input.topicId);
    if (input.expectedVersion !== undefined && input.expectedVersion !== topic.version) throw staleVersionError('topic', input.expectedVersion, topic.version);
    const members = await tx.statement.findMany({ where: { topicId: topic.id }, select: { id: true } });
    const memberIds = new Set(members.map((m) => m.id));
    const given = new Set(input.statementIds);
    const missing = [...memberIds].filter((id) => !given.has(id));
    const foreign = input.statementIds.filter((id) => !memberIds.has(id));
    if (given.size !== input.statementIds.length || missing.length || foreign.length) {
      throw new ValidationError(
        'The order must list every statement of this topic exactly once. Reload the topic and send its full list again.' +
          (missing.length ? ` Missing: ${missing.join(', ')}.` : '') +
          (foreign.length ? ` Not in this topic: ${foreign.join(', ')}.` : ''),
        { missing, notInTopic: foreign },
      );
    }
    for (const [index, id] of input.statementIds.entries()) {
      await tx.statement.updateMany({ where: { id, topicId: topic.id }, data: { topicPosition: index + 1 } });
    }
    const bumped = await tx.topic.updateMany({ where: { id: topic.id, version: topic.version }, data: { version: topic.version + 1 } });
    if (bumped.count !== 1) throw staleVersionError('topic', input.expectedVersion ?? topic.version, topic.version + 1);
    await recordAudit(tx, { actor: input.actor, action: 'topic.order', targetType: 'topic', targetId: topic.id, details: { statementIds: input.statementIds }, at: input.now });
    return { id: topic.id, version: topic.version + 1 };
  });
}
