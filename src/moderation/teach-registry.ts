// Editors teach the organisation registry from a statement: "mail from this sender (address, or
// the organisation's own domain) is from this organisation, with this short name". Guarantees,
// all in one transaction with the statement's version checked first:
// - the organisation is found (the statement's link, else its name) or added to the registry;
//   the address or domain is added to it, and the short name set when the statement gives one;
// - an address another organisation listed moves to this one (an exact address wins over a
//   domain at ingest, so the next email gets this organisation); a domain is never taken from
//   another organisation nor learned when many people share it (sender-domains.ts);
// - the statement is linked to the organisation, and the other drafts from that sender whose
//   organisation no editor set get it too, with the registry's confidence, each as an edit
//   (new version, revision, audit) so their history says who set it and why;
// - every registry change is audited (organisation.create, organisation.remember_sender,
//   organisation.update for an address moved away).
// Later emails from the sender get the organisation from the registry at ingest (pipeline.ts
// loads the registry for every batch), with the registry's confidence.
import type { Db, DbTx } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import { planSenderRegistry, type RegistryOrganisation, type RememberChoice, type RememberKind, type SenderRegistryView } from './sender-registry-plan.ts';
import { domainOfAddress } from './sender-domains.ts';
import { staleVersionError } from './transitions.ts';
import { withUniqueConflict } from './unique-violation.ts';

/** The confidence extraction gives an organisation the registry knows by its sender (src/extract/organisation.ts). */
export const REGISTRY_CONFIDENCE = 0.95;
/** Open drafts looked at per teaching: the newest, which are the ones editors are working on. */
const MAX_DRAFTS_UPDATED = 200;
/** Room for those drafts' writes (Prisma's default for an interactive transaction is 5 s). */
const TRANSACTION_TIMEOUT_MS = 20_000;

const ORGANISATION_SELECT = { id: true, name: true, shortName: true, website: true, senderAddresses: true, senderDomains: true, version: true } as const;
const ORGANISATION_FIELDS = ['organisationName', 'organisationId', 'organisationShort'];

async function readRegistry(db: DbTx) {
  // The registry is small (one row per organisation) and read whole by ingest for every batch.
  return db.organisation.findMany({ select: ORGANISATION_SELECT, orderBy: { createdAt: 'asc' } });
}

async function readStatementFacts(db: DbTx, id: string) {
  const row = await db.statement.findUnique({
    where: { id },
    select: {
      id: true, version: true, status: true, senderAddress: true, organisationId: true, organisationName: true, organisationShort: true, extraction: true,
      message: { select: { fromAddress: true } },
      revisions: { where: { editorId: { not: null } }, select: { changes: true } },
    },
  });
  if (!row) throw new NotFoundError('statement', id);
  const facts = {
    senderAddress: row.senderAddress,
    messageFromAddress: row.message?.fromAddress ?? null,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    organisationShort: row.organisationShort,
    editorChanges: row.revisions.map((r) => r.changes),
  };
  return { row, facts };
}

/** What the registry knows of the statement's sender, and what the editor can teach it. */
export async function findSenderRegistryView(db: DbTx, statementId: string): Promise<SenderRegistryView & { statementVersion: number }> {
  const [{ row, facts }, organisations] = await Promise.all([readStatementFacts(db, statementId), readRegistry(db)]);
  return { ...planSenderRegistry(facts, organisations), statementVersion: row.version };
}

export interface RememberSenderInput {
  statementId: string;
  /** The statement version the editor looked at; undefined: whatever is current. */
  expectedVersion: number | undefined;
  remember: RememberChoice;
  actor: AuditActor;
  now: Date;
}

export interface RememberSenderResult {
  organisationId: string;
  created: boolean;
  remembered: { kind: RememberKind; value: string } | null;
  shortName: string | null;
  /** Organisations that listed the address before (it moved to this one). */
  movedFrom: { id: string; name: string }[];
  /** The other drafts from this sender that got the organisation. */
  draftsUpdated: string[];
  statementVersion: number;
}

const withValue = (list: string[], value: string) => (list.some((v) => v.toLowerCase() === value) ? list : [...list, value]);
const editorId = (actor: AuditActor) => (typeof actor === 'string' ? null : actor.id);
const organisationConfidence = (extraction: unknown): number => {
  const field = (extraction as { fields?: { organisation?: { confidence?: unknown } } } | null)?.fields?.organisation;
  return typeof field?.confidence === 'number' ? field.confidence : 0;
};
const withOrganisationConfidence = (extraction: unknown) => {
  const current = (extraction && typeof extraction === 'object' ? extraction : {}) as { fields?: Record<string, unknown> };
  return { ...current, fields: { ...(current.fields ?? {}), organisation: { source: 'registry', confidence: REGISTRY_CONFIDENCE } } } as Prisma.InputJsonValue;
};

/**
 * Gives a statement the registry's organisation: the link, the name and short name as the
 * registry has them, and the registry's confidence; a new version with its revision and audit.
 */
async function setFromRegistry(
  tx: Prisma.TransactionClient,
  statement: { id: string; version: number; organisationId: string | null; organisationName: string | null; organisationShort: string | null; extraction: unknown },
  organisation: { id: string; name: string; shortName: string | null },
  /** keepName: the statement an editor taught from keeps the name they wrote, and is only linked. */
  input: { actor: AuditActor; now: Date; keepName?: boolean; statementId: string },
): Promise<number | null> {
  const next = {
    organisationId: organisation.id,
    organisationName: input.keepName ? statement.organisationName : organisation.name,
    organisationShort: input.keepName ? statement.organisationShort || organisation.shortName : organisation.shortName,
  };
  const diff = Object.fromEntries(
    (Object.keys(next) as (keyof typeof next)[]).filter((k) => statement[k] !== next[k]).map((k) => [k, { from: statement[k], to: next[k] }]),
  );
  // A draft that already had this organisation from a guess keeps it, now with the registry's
  // confidence, so the queue stops flagging it.
  const unsure = organisationConfidence(statement.extraction) < REGISTRY_CONFIDENCE;
  if (Object.keys(diff).length === 0 && (input.keepName || !unsure)) return null;
  const version = statement.version + 1;
  const updated = await tx.statement.updateMany({
    where: { id: statement.id, version: statement.version },
    data: { ...next, extraction: withOrganisationConfidence(statement.extraction), version, contentUpdatedAt: input.now },
  });
  if (updated.count !== 1) return null; // changed meanwhile: the other change wins
  if (Object.keys(diff).length) {
    await tx.statementRevision.create({ data: { statementId: statement.id, version, editorId: editorId(input.actor), changes: diff as Prisma.InputJsonValue, createdAt: input.now } });
  }
  await recordAudit(tx, {
    actor: input.actor, action: 'statement.edit', targetType: 'statement', targetId: statement.id, at: input.now,
    details: { version, fields: Object.keys(diff), via: 'organisation registry', organisationId: organisation.id, taughtFrom: input.statementId, confidence: REGISTRY_CONFIDENCE },
  });
  return version;
}

/** Other drafts from the remembered sender, newest first, with whether an editor set their organisation. */
async function findDraftsFromSender(tx: DbTx, remembered: { kind: RememberKind; value: string }, exceptId: string) {
  const match = remembered.kind === 'address' ? { equals: remembered.value, mode: 'insensitive' as const } : { endsWith: remembered.value, mode: 'insensitive' as const };
  const rows = await tx.statement.findMany({
    where: { status: 'draft', id: { not: exceptId }, OR: [{ senderAddress: match }, { senderAddress: null, message: { fromAddress: match } }] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: MAX_DRAFTS_UPDATED,
    select: {
      id: true, version: true, organisationId: true, organisationName: true, organisationShort: true, extraction: true, senderAddress: true,
      message: { select: { fromAddress: true } },
      revisions: { where: { editorId: { not: null } }, select: { changes: true } },
    },
  });
  const covers = (address: string | null | undefined) => {
    const a = address?.toLowerCase();
    if (!a) return false;
    if (remembered.kind === 'address') return a === remembered.value;
    const domain = domainOfAddress(a);
    return domain !== null && (domain === remembered.value || domain.endsWith(`.${remembered.value}`));
  };
  return rows
    .filter((r) => covers(r.senderAddress ?? r.message?.fromAddress))
    .filter((r) => !r.revisions.some((rev) => rev.changes && typeof rev.changes === 'object' && ORGANISATION_FIELDS.some((f) => f in (rev.changes as object))));
}

async function rememberSenderOrganisation(db: Db, input: RememberSenderInput): Promise<RememberSenderResult> {
  return db.$transaction(async (tx) => {
    const { row, facts } = await readStatementFacts(tx, input.statementId);
    if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) throw staleVersionError('statement', input.expectedVersion, row.version);
    const organisations = await readRegistry(tx);
    const view = planSenderRegistry(facts, organisations);
    const offer = view.offer;
    if (!offer) throw new ConflictError(`There is nothing for the registry to learn from this statement: ${view.nothingToTeach}`);
    const kind = input.remember === 'auto' ? offer.remember : input.remember;
    if (kind === 'domain' && !offer.domain) throw new ValidationError(`${offer.domainRefusal} Remember the address instead ("remember": "address").`, { field: 'remember' });
    const remembered = offer.senderKnown ? null : { kind, value: kind === 'domain' ? offer.domain! : offer.address };
    const audit = (action: string, targetId: string, details: Record<string, unknown>) =>
      recordAudit(tx, { actor: input.actor, action, targetType: 'organisation', targetId, details, at: input.now });

    const current = organisations.find((o) => o.id === offer.organisationId);
    let organisation: RegistryOrganisation & { version: number };
    if (!current) {
      organisation = await tx.organisation.create({
        data: {
          name: offer.organisationName,
          shortName: offer.organisationShort,
          senderAddresses: remembered?.kind === 'address' ? [remembered.value] : [],
          senderDomains: remembered?.kind === 'domain' ? [remembered.value] : [],
          createdAt: input.now,
        },
        select: ORGANISATION_SELECT,
      });
      await audit('organisation.create', organisation.id, { name: organisation.name, fromStatement: input.statementId });
    } else {
      const data = {
        ...(offer.organisationShort ? { shortName: offer.organisationShort } : {}),
        ...(remembered?.kind === 'address' ? { senderAddresses: withValue(current.senderAddresses, remembered.value) } : {}),
        ...(remembered?.kind === 'domain' ? { senderDomains: withValue(current.senderDomains, remembered.value) } : {}),
      };
      const updated = await tx.organisation.updateMany({ where: { id: current.id, version: current.version }, data: { ...data, version: current.version + 1 } });
      if (updated.count !== 1) throw staleVersionError('organisation', current.version, current.version + 1);
      organisation = { ...current, ...data, version: current.version + 1 };
    }
    const changes = {
      ...(remembered ? { [remembered.kind === 'address' ? 'senderAddresses' : 'senderDomains']: { added: remembered.value } } : {}),
      ...(offer.organisationShort && current?.shortName !== offer.organisationShort ? { shortName: { from: current?.shortName ?? null, to: offer.organisationShort } } : {}),
    };

    // An address is one organisation's: the one the editor named takes it from any other (an
    // exact address wins over a domain at ingest, so it must go even when the domain is learned).
    const movedFrom: { id: string; name: string }[] = [];
    if (remembered) {
      const sender = offer.address;
      for (const other of organisations.filter((o) => o.id !== organisation.id && o.senderAddresses.some((a) => a.toLowerCase() === sender))) {
        const kept = other.senderAddresses.filter((a) => a.toLowerCase() !== sender);
        const moved = await tx.organisation.updateMany({ where: { id: other.id, version: other.version }, data: { senderAddresses: kept, version: other.version + 1 } });
        if (moved.count !== 1) throw staleVersionError('organisation', other.version, other.version + 1);
        await audit('organisation.update', other.id, { changes: { senderAddresses: { from: other.senderAddresses, to: kept } }, via: `remembered for ${organisation.name}`, fromStatement: input.statementId });
        movedFrom.push({ id: other.id, name: other.name });
      }
    }

    const linked = await setFromRegistry(tx, row, organisation, { actor: input.actor, now: input.now, keepName: true, statementId: input.statementId });
    const draftsUpdated: string[] = [];
    if (remembered || offer.organisationShort) {
      const key = remembered ?? (view.known ? { kind: view.known.matchedBy, value: view.known.value } : null);
      for (const draft of key ? await findDraftsFromSender(tx, key, row.id) : []) {
        if (await setFromRegistry(tx, draft, organisation, { actor: input.actor, now: input.now, statementId: input.statementId })) draftsUpdated.push(draft.id);
      }
    }
    await audit('organisation.remember_sender', organisation.id, { statementId: input.statementId, remembered, changes, movedFrom: movedFrom.map((m) => m.id), draftsUpdated });
    return {
      organisationId: organisation.id,
      created: !current,
      remembered,
      shortName: organisation.shortName,
      movedFrom,
      draftsUpdated,
      statementVersion: linked ?? row.version,
    };
  }, { timeout: TRANSACTION_TIMEOUT_MS });
}

/** rememberSenderOrganisation, with a name taken meanwhile by another organisation as a 409. */
export async function rememberSender(db: Db, input: RememberSenderInput): Promise<RememberSenderResult> {
  return withUniqueConflict(
    () => rememberSenderOrganisation(db, input),
    () => new ConflictError('Someone added an organisation with this name at the same moment. Reload the page and try again.'),
  );
}
