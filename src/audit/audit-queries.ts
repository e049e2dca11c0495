// Reads of the audit log for GET /api/audit and the activity page: newest first, filtered by
// actor, action (exact, or a prefix such as "statement.") and target, paged by id alone (ids come
// from one sequence, so they grow with time).
import type { DbTx } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export interface AuditFilter {
  /** An editor id, or a label such as an email address, "system" or "cli". */
  actor?: string | undefined;
  /** "statement.approve", or a prefix ending in a dot: "statement." */
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** The id of the last entry of the previous page. */
  before?: bigint | undefined;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findAuditEntries(db: DbTx, filter: AuditFilter) {
  const where: Prisma.AuditEntryWhereInput = {};
  if (filter.actor) where.OR = UUID.test(filter.actor) ? [{ actorId: filter.actor }] : [{ actorLabel: filter.actor.toLowerCase() }, { actorLabel: filter.actor }];
  if (filter.action) where.action = filter.action.endsWith('.') ? { startsWith: filter.action } : filter.action;
  if (filter.targetType) where.targetType = filter.targetType;
  if (filter.targetId) where.targetId = filter.targetId;
  // Ids grow with time (one sequence), so "before id" is a stable cursor for newest-first pages.
  if (filter.before !== undefined) where.id = { lt: filter.before };
  return db.auditEntry.findMany({ where, orderBy: { id: 'desc' }, take: filter.limit + 1 });
}

export async function findAuditEntriesForTarget(db: DbTx, targetType: string, targetId: string, limit = 100) {
  return db.auditEntry.findMany({ where: { targetType, targetId }, orderBy: { id: 'desc' }, take: limit });
}
