// Editing a statement's fields. Guarantees: the write is a guarded update on the version the
// editor saw (a stale version is a 412 and nothing is written); a real change bumps the version
// and stores one StatementRevision (who, when, { field: { from, to } }) and one audit entry in
// the same transaction; HTML bodies are sanitised before they are stored (plain-text bodies are
// escaped into paragraphs) in the parser worker, never on the request thread (a body of 200,000
// nested elements stalled the server, then failed with a 500); contentUpdatedAt moves when a field readers see changes; the slug
// follows the title until the statement is first published, then never changes (URLs stay).
import { z } from 'zod';
import type { Db, DbTx } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { DomainError, NotFoundError, ValidationError } from '../errors.ts';
import { textToHtml } from '../html/sanitize.ts';
import { editorPreparer, SanitizeFailedError, type Preparer } from '../ingest/preparer.ts';
import type { SanitizedHtml } from '../ingest/prepare-worker.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import { statementSlug } from '../publishing/slug.ts';
import { staleVersionError } from './transitions.ts';

export const MAX_TITLE_CHARS = 500;
export const MAX_BODY_CHARS = 500_000;

/** A day, YYYY-MM-DD, from 0001-01-01 to 9999-12-31 (year 0000 passes ISO's pattern but not PostgreSQL's range). */
export const isoDaySchema = z.iso.date('use the form YYYY-MM-DD').refine((day) => !day.startsWith('0000'), 'use a year from 0001 to 9999');

export const signatoryInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'a signatory needs a name').max(300),
  role: z.string().trim().max(300).nullable().default(null),
});

/** The fields an editor can change. Every field is optional; null clears a field. */
export const statementChangesSchema = z
  .strictObject({
    title: z.string().trim().min(1, 'the title cannot be empty').max(MAX_TITLE_CHARS),
    organisationId: z.uuid().nullable().describe('An organisation from the registry; its name and short name are copied unless given.'),
    organisationName: z.string().trim().max(300).nullable(),
    organisationShort: z.string().trim().max(60).nullable(),
    statementDate: isoDaySchema.nullable().describe("The statement's own date, YYYY-MM-DD."),
    bodyHtml: z.string().max(MAX_BODY_CHARS).describe('HTML; sanitised before it is stored. Send bodyHtml or bodyText, not both.'),
    bodyText: z.string().max(MAX_BODY_CHARS).describe('Plain text; blank lines separate paragraphs.'),
    signatories: z.array(signatoryInputSchema).max(5000),
    language: z
      .string()
      .trim()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'use a language code such as "en", "fr" or "pt-BR"')
      .nullable(),
    topicId: z.uuid().nullable().describe('The topic page it belongs to (added at the end of its order); null removes it.'),
  })
  .partial();

export type StatementChanges = z.input<typeof statementChangesSchema>;

/** Fields readers see: changing one moves contentUpdatedAt (feeds show it as "updated"). */
const PUBLISHED_FIELDS = new Set(['title', 'organisationName', 'organisationShort', 'statementDate', 'bodyHtml', 'bodyText', 'signatories', 'language']);

export interface EditStatementInput {
  id: string;
  expectedVersion: number;
  changes: StatementChanges;
  actor: AuditActor;
  now: Date;
  /** Where an HTML body is sanitised: the editors' worker unless a test gives another. */
  preparer?: Preparer;
}

export interface EditStatementResult {
  id: string;
  version: number;
  /** Names of the fields that changed; empty when the edit changed nothing (no new version). */
  changed: string[];
}

type FieldChange = { from: unknown; to: unknown };

function parseChanges(changes: StatementChanges) {
  const parsed = statementChangesSchema.safeParse(changes);
  if (!parsed.success) {
    const summary = parsed.error.issues.map((i) => `${i.path.join('.') || 'changes'}: ${i.message}`).join('; ');
    throw new ValidationError(`The changes are not valid: ${summary}. Fix these fields and save again.`, { issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) });
  }
  if (parsed.data.bodyHtml !== undefined && parsed.data.bodyText !== undefined) {
    throw new ValidationError('Send the body once: as bodyHtml or as bodyText, not both.');
  }
  return parsed.data;
}

const emptyToNull = (value: string | null | undefined) => (value === undefined ? undefined : value === null || value === '' ? null : value);
const dayOf = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

async function nextTopicPosition(tx: DbTx, topicId: string): Promise<number> {
  const last = await tx.statement.aggregate({ where: { topicId }, _max: { topicPosition: true } });
  return (last._max.topicPosition ?? 0) + 1;
}

/** An HTML body made safe in the worker, before any transaction is open. */
async function sanitizedBody(html: string, preparer: Preparer): Promise<SanitizedHtml> {
  try {
    return await preparer.sanitize(html);
  } catch (error) {
    if (!(error instanceof SanitizeFailedError)) throw error;
    throw new DomainError('body_unreadable', 422, `The body's HTML could not be cleaned: ${error.message}. Simplify it, or send it as plain text (bodyText).`);
  }
}

export async function editStatement(db: Db, input: EditStatementInput): Promise<EditStatementResult> {
  const changes = parseChanges(input.changes);
  // In the editors' worker, before the transaction opens: hostile HTML stalls neither the server
  // nor a pooled connection.
  const sanitized = changes.bodyHtml === undefined ? undefined : await sanitizedBody(changes.bodyHtml, input.preparer ?? editorPreparer());
  return db.$transaction((tx) => editStatementIn(tx, input, sanitized));
}

/**
 * editStatement inside a transaction the caller holds (applying a correction also marks it
 * applied). An HTML body must come sanitised (`sanitized`); a text body needs nothing.
 */
export async function editStatementIn(tx: Prisma.TransactionClient, input: EditStatementInput, sanitized?: SanitizedHtml): Promise<EditStatementResult> {
  const changes = parseChanges(input.changes);
  if (changes.bodyHtml !== undefined && !sanitized) {
    // Sanitising runs in the editors' worker, never inside a transaction: editStatement does it.
    throw new Error('editStatementIn: sanitise bodyHtml first (editStatement does), then pass it in');
  }
  {
    const current = await tx.statement.findUnique({ where: { id: input.id } });
    if (!current) throw new NotFoundError('statement', input.id);
    if (current.version !== input.expectedVersion) throw staleVersionError('statement', input.expectedVersion, current.version);

    const diff: Record<string, FieldChange> = {};
    const data: Prisma.StatementUncheckedUpdateManyInput = {};
    const note = (field: string, from: unknown, to: unknown) => {
      if (JSON.stringify(from) !== JSON.stringify(to)) diff[field] = { from, to };
    };

    if (changes.title !== undefined) {
      note('title', current.title, changes.title);
      data.title = changes.title;
    }
    let organisationName = emptyToNull(changes.organisationName);
    let organisationShort = emptyToNull(changes.organisationShort);
    if (changes.organisationId !== undefined) {
      if (changes.organisationId !== null) {
        const organisation = await tx.organisation.findUnique({ where: { id: changes.organisationId }, select: { name: true, shortName: true } });
        if (!organisation) throw new ValidationError(`There is no organisation with id ${changes.organisationId}: pick one from the list of organisations.`, { field: 'organisationId' });
        organisationName ??= organisation.name;
        organisationShort ??= organisation.shortName;
      }
      note('organisationId', current.organisationId, changes.organisationId);
      data.organisationId = changes.organisationId;
    }
    if (organisationName !== undefined) {
      note('organisationName', current.organisationName, organisationName);
      data.organisationName = organisationName;
    }
    if (organisationShort !== undefined) {
      note('organisationShort', current.organisationShort, organisationShort);
      data.organisationShort = organisationShort;
    }
    if (changes.statementDate !== undefined) {
      note('statementDate', dayOf(current.statementDate), changes.statementDate);
      data.statementDate = changes.statementDate === null ? null : new Date(`${changes.statementDate}T00:00:00Z`);
    }
    if (changes.bodyHtml !== undefined || changes.bodyText !== undefined) {
      const bodyHtml = sanitized ? sanitized.html : textToHtml(changes.bodyText!.replace(/\r\n/g, '\n'));
      const bodyText = sanitized ? sanitized.text : changes.bodyText!.replace(/\r\n/g, '\n').trim();
      note('bodyHtml', current.bodyHtml, bodyHtml);
      note('bodyText', current.bodyText, bodyText);
      data.bodyHtml = bodyHtml;
      data.bodyText = bodyText;
    }
    if (changes.signatories !== undefined) {
      note('signatories', current.signatories, changes.signatories);
      data.signatories = changes.signatories as Prisma.InputJsonValue;
    }
    if (changes.language !== undefined) {
      note('language', current.language, emptyToNull(changes.language));
      data.language = emptyToNull(changes.language);
    }
    if (changes.topicId !== undefined && changes.topicId !== current.topicId) {
      if (changes.topicId !== null) {
        const topic = await tx.topic.findUnique({ where: { id: changes.topicId }, select: { id: true } });
        if (!topic) throw new ValidationError(`There is no topic with id ${changes.topicId}: pick one from the list of topics.`, { field: 'topicId' });
        data.topicPosition = await nextTopicPosition(tx, changes.topicId);
      } else {
        data.topicPosition = null;
      }
      note('topicId', current.topicId, changes.topicId);
      data.topicId = changes.topicId;
    }

    const changed = Object.keys(diff);
    if (changed.length === 0) return { id: current.id, version: current.version, changed };

    // Only the fields that really changed are written.
    for (const key of Object.keys(data) as (keyof typeof data)[]) {
      if (!(key in diff) && key !== 'topicPosition') delete data[key];
    }
    if (diff.title && !current.firstPublishedAt) data.slug = statementSlug(diff.title.to as string, current.id);
    if (changed.some((field) => PUBLISHED_FIELDS.has(field))) data.contentUpdatedAt = input.now;
    const version = current.version + 1;
    const updated = await tx.statement.updateMany({ where: { id: current.id, version: current.version }, data: { ...data, version } });
    if (updated.count !== 1) {
      const latest = await tx.statement.findUnique({ where: { id: current.id }, select: { version: true } });
      if (!latest) throw new NotFoundError('statement', input.id);
      throw staleVersionError('statement', input.expectedVersion, latest.version);
    }
    const editorId = typeof input.actor === 'string' ? null : input.actor.id;
    await tx.statementRevision.create({ data: { statementId: current.id, version, editorId, changes: diff as Prisma.InputJsonValue, createdAt: input.now } });
    await recordAudit(tx, { actor: input.actor, action: 'statement.edit', targetType: 'statement', targetId: current.id, details: { version, fields: changed }, at: input.now });
    return { id: current.id, version, changed };
  }
}

/** The revision history, newest first, with who made each edit. */
export async function findStatementRevisions(db: DbTx, statementId: string) {
  return db.statementRevision.findMany({
    where: { statementId },
    orderBy: { version: 'desc' },
    include: { editor: { select: { id: true, email: true, name: true } } },
  });
}
