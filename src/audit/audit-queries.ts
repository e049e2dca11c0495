// Reads of the audit log for GET /api/audit, the activity page and a statement's history: newest
// first, filtered by actor, action (exact, or a prefix such as "statement.") and target, paged
// by id alone (ids come from one sequence, so they grow with time).
import type { DbTx } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export interface AuditFilter {
  /** An editor id, or a label such as an email address, "system" or "cli". */
  actor?: string | undefined;
  /** "statement.approve", or a prefix ending in a dot: "statement." */
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** Only actions starting with one of these (what an editor who is not an administrator may see). */
  actionPrefixes?: readonly string[] | undefined;
  /** The id of the last entry of the previous page. */
  before?: bigint | undefined;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A page of entries, newest first; limit+1 rows tell whether more follow. */
export async function findAuditEntries(db: DbTx, filter: AuditFilter) {
  const conditions: Prisma.AuditEntryWhereInput[] = [];
  if (filter.actionPrefixes) {
    // An action outside the allowed prefixes matches nothing, whatever else the filter says.
    const prefixes = filter.action ? filter.actionPrefixes.filter((p) => filter.action!.startsWith(p)) : filter.actionPrefixes;
    if (prefixes.length === 0) return [];
    conditions.push({ OR: prefixes.map((p) => ({ action: { startsWith: p } })) });
  }
  if (filter.actor) conditions.push({ OR: UUID.test(filter.actor) ? [{ actorId: filter.actor }] : [{ actorLabel: filter.actor.toLowerCase() }, { actorLabel: filter.actor }] });
  if (filter.action) conditions.push({ action: filter.action.endsWith('.') ? { startsWith: filter.action } : filter.action });
  if (filter.targetType) conditions.push({ targetType: filter.targetType });
  if (filter.targetId) conditions.push({ targetId: filter.targetId });
  // Ids grow with time (one sequence), so "before id" is a stable cursor for newest-first pages.
  if (filter.before !== undefined) conditions.push({ id: { lt: filter.before } });
  return db.auditEntry.findMany({ where: { AND: conditions }, orderBy: { id: 'desc' }, take: filter.limit + 1 });
}

export async function findAuditEntriesForTarget(db: DbTx, targetType: string, targetId: string, limit = 100) {
  return db.auditEntry.findMany({ where: { targetType, targetId }, orderBy: { id: 'desc' }, take: limit });
}

/** Titles and names of the statements, topics and organisations a page of entries is about, by id. */
export async function findAuditTargetNames(db: DbTx, entries: { targetType: string | null; targetId: string | null }[]): Promise<Map<string, string>> {
  const idsOf = (type: string) => [...new Set(entries.filter((e) => e.targetType === type && e.targetId).map((e) => e.targetId!))];
  const [statements, topics, organisations] = await Promise.all([
    db.statement.findMany({ where: { id: { in: idsOf('statement') } }, select: { id: true, title: true } }),
    db.topic.findMany({ where: { id: { in: idsOf('topic') } }, select: { id: true, title: true } }),
    db.organisation.findMany({ where: { id: { in: idsOf('organisation') } }, select: { id: true, name: true } }),
  ]);
  return new Map([
    ...statements.map((s) => [s.id, s.title] as const),
    ...topics.map((t) => [t.id, t.title] as const),
    ...organisations.map((o) => [o.id, o.name] as const),
  ]);
}
