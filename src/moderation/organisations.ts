// The organisation registry: name, short name, country, website, and the sender addresses and
// domains known to be theirs. Guarantees: names are unique (409 naming the other one); addresses
// and domains are stored lower-case and de-duplicated; updates are guarded on the version when
// one is given; each change is audited in its transaction. When an organisation is created or
// gains addresses or domains, drafts from those senders that have no organisation yet get it,
// each as a normal edit (new version, revision, audit) so editors see who set it and why.
import { z } from 'zod';
import type { Db, DbTx } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { findKnownOrganisation } from '../extract/organisation.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import { staleVersionError } from './transitions.ts';
import { withUniqueConflict } from './unique-violation.ts';

const DOMAIN = /^@?(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export const organisationInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'the name cannot be empty').max(300),
  shortName: z.string().trim().max(60).nullable().default(null).describe('Acronym, e.g. "KCTU".'),
  country: z.string().trim().max(100).nullable().default(null),
  website: z.url({ protocol: /^https?$/, error: 'use a full address starting with https://' }).nullable().default(null),
  senderAddresses: z.array(z.email('not an email address').max(254)).max(200).default([]).describe('Addresses the organisation sends from.'),
  senderDomains: z.array(z.string().trim().regex(DOMAIN, 'use a domain such as "example.org"')).max(100).default([]).describe('Mail domains that are theirs; subdomains count too.'),
});
export const organisationChangesSchema = z.strictObject({
  name: z.string().trim().min(1, 'the name cannot be empty').max(300).optional(),
  shortName: z.string().trim().max(60).nullable().optional(),
  country: z.string().trim().max(100).nullable().optional(),
  website: z.url({ protocol: /^https?$/, error: 'use a full address starting with https://' }).nullable().optional(),
  senderAddresses: z.array(z.email('not an email address').max(254)).max(200).optional(),
  senderDomains: z.array(z.string().trim().regex(DOMAIN, 'use a domain such as "example.org"')).max(100).optional(),
});

export type OrganisationInput = z.input<typeof organisationInputSchema>;
export type OrganisationChanges = z.input<typeof organisationChangesSchema>;

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const summary = parsed.error.issues.map((i) => `${i.path.join('.') || 'organisation'}: ${i.message}`).join('; ');
  throw new ValidationError(`The organisation is not valid: ${summary}.`);
}

const unique = (values: string[]) => [...new Set(values.map((v) => v.trim().toLowerCase().replace(/^@/, '')).filter(Boolean))];
const blankToNull = (value: string | null | undefined) => (value === undefined ? undefined : value ? value : null);

export async function listOrganisations(db: DbTx) {
  return db.organisation.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { statements: true } } } });
}

export async function findOrganisation(db: DbTx, id: string) {
  return db.organisation.findUnique({ where: { id }, include: { _count: { select: { statements: true } } } });
}

/** Every organisation's name and short name, by name: the statement form's suggestions. */
export async function listOrganisationNames(db: DbTx) {
  return db.organisation.findMany({ orderBy: { name: 'asc' }, select: { name: true, shortName: true } });
}

/** The organisation of the registry with this name, whatever its case, or null. */
export async function findOrganisationByName(db: DbTx, name: string) {
  return db.organisation.findFirst({ where: { name: { equals: name, mode: 'insensitive' } }, select: { id: true, name: true } });
}

async function ensureNameFree(tx: DbTx, name: string, exceptId?: string) {
  const taken = await findOrganisationByName(tx, name);
  if (taken && taken.id !== exceptId) throw new ConflictError(`The organisation "${taken.name}" is already in the list. Edit that one instead.`, { existingId: taken.id });
}

/**
 * Drafts with no organisation whose statement came from one of the organisation's addresses or
 * domains get it (same matching as extraction at ingest: for a forward, the forwarded message's
 * sender, not the member who forwarded it). Returns the ids it changed.
 */
export async function applyOrganisationToDrafts(
  tx: DbTx,
  organisation: { id: string; name: string; shortName: string | null; senderAddresses: string[]; senderDomains: string[] },
  actor: AuditActor,
  now: Date,
): Promise<string[]> {
  if (!organisation.senderAddresses.length && !organisation.senderDomains.length) return [];
  const drafts = await tx.statement.findMany({
    where: { status: 'draft', organisationId: null, OR: [{ senderAddress: { not: null } }, { message: { fromAddress: { not: null } } }] },
    select: { id: true, version: true, organisationName: true, organisationShort: true, senderAddress: true, message: { select: { fromAddress: true } } },
  });
  const changed: string[] = [];
  for (const draft of drafts) {
    // Drafts made before sender_address existed have only the email's From.
    if (!findKnownOrganisation(draft.senderAddress ?? draft.message?.fromAddress ?? undefined, [organisation])) continue;
    const version = draft.version + 1;
    const updated = await tx.statement.updateMany({
      where: { id: draft.id, version: draft.version, organisationId: null },
      data: { organisationId: organisation.id, organisationName: organisation.name, organisationShort: organisation.shortName, version, contentUpdatedAt: now },
    });
    if (updated.count !== 1) continue; // an editor changed it meanwhile: theirs wins
    const diff = {
      organisationId: { from: null, to: organisation.id },
      ...(draft.organisationName !== organisation.name ? { organisationName: { from: draft.organisationName, to: organisation.name } } : {}),
      ...(draft.organisationShort !== organisation.shortName ? { organisationShort: { from: draft.organisationShort, to: organisation.shortName } } : {}),
    };
    await tx.statementRevision.create({ data: { statementId: draft.id, version, editorId: typeof actor === 'string' ? null : actor.id, changes: diff as Prisma.InputJsonValue, createdAt: now } });
    await recordAudit(tx, { actor, action: 'statement.edit', targetType: 'statement', targetId: draft.id, details: { version, fields: Object.keys(diff), via: 'organisation registry', organisationId: organisation.id }, at: now });
    changed.push(draft.id);
  }
  return changed;
}

export async function createOrganisation(db: Db, input: { organisation: OrganisationInput; actor: AuditActor; now: Date }) {
  const o = parse(organisationInputSchema, input.organisation);
  const taken = () => new ConflictError(`The organisation "${o.name}" is already in the list. Edit that one instead.`);
  return withUniqueConflict(() => db.$transaction(async (tx) => {
    await ensureNameFree(tx, o.name);
    const created = await tx.organisation.create({
      data: {
        name: o.name,
        shortName: blankToNull(o.shortName) ?? null,
        country: blankToNull(o.country) ?? null,
        website: o.website,
        senderAddresses: unique(o.senderAddresses),
        senderDomains: unique(o.senderDomains),
        createdAt: input.now,
      },
    });
    await recordAudit(tx, { actor: input.actor, action: 'organisation.create', targetType: 'organisation', targetId: created.id, details: { name: created.name }, at: input.now });
    const draftsUpdated = await applyOrganisationToDrafts(tx, created, input.actor, input.now);
    return { organisation: created, draftsUpdated };
  }), taken);
}

export async function updateOrganisation(db: Db, input: { id: string; expectedVersion?: number | undefined; changes: OrganisationChanges; actor: AuditActor; now: Date }) {
  const changes = parse(organisationChangesSchema, input.changes);
  const taken = () => new ConflictError(`The organisation "${changes.name}" is already in the list. Edit that one instead.`);
  return withUniqueConflict(() => db.$transaction(async (tx) => {
    const current = await tx.organisation.findUnique({ where: { id: input.id } });
    if (!current) throw new NotFoundError('organisation', input.id);
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) throw staleVersionError('organisation', input.expectedVersion, current.version);
    if (changes.name && changes.name !== current.name) await ensureNameFree(tx, changes.name, current.id);
    const next = {
      name: changes.name,
      shortName: blankToNull(changes.shortName),
      country: blankToNull(changes.country),
      website: changes.website,
      senderAddresses: changes.senderAddresses && unique(changes.senderAddresses),
      senderDomains: changes.senderDomains && unique(changes.senderDomains),
    };
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, value] of Object.entries(next) as [keyof typeof next, unknown][]) {
      if (value !== undefined && JSON.stringify(value) !== JSON.stringify(current[key])) diff[key] = { from: current[key], to: value };
    }
    if (Object.keys(diff).length === 0) return { organisation: current, draftsUpdated: [] as string[] };
    const data = Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, v.to]));
    const updated = await tx.organisation.updateMany({ where: { id: current.id, version: current.version }, data: { ...data, version: current.version + 1 } });
    if (updated.count !== 1) throw staleVersionError('organisation', input.expectedVersion ?? current.version, current.version + 1);
    await recordAudit(tx, { actor: input.actor, action: 'organisation.update', targetType: 'organisation', targetId: current.id, details: { changes: diff }, at: input.now });
    const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: current.id } });
    const draftsUpdated = diff.senderAddresses || diff.senderDomains ? await applyOrganisationToDrafts(tx, organisation, input.actor, input.now) : [];
    return { organisation, draftsUpdated };
  }), taken);
}

/** Deletes an organisation; its statements keep their organisation name, and lose the link. */
export async function deleteOrganisation(db: Db, input: { id: string; actor: AuditActor; now: Date }): Promise<void> {
  await db.$transaction(async (tx) => {
    const current = await tx.organisation.findUnique({ where: { id: input.id }, select: { id: true, name: true } });
    if (!current) throw new NotFoundError('organisation', input.id);
    await tx.organisation.delete({ where: { id: current.id } });
    await recordAudit(tx, { actor: input.actor, action: 'organisation.delete', targetType: 'organisation', targetId: current.id, details: { name: current.name }, at: input.now });
  });
}
