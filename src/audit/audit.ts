// The audit log: who did what to which thing, and when. Guarantees: every write that changes
// editorial state calls recordAudit with the same transaction as the change itself, so an entry
// exists exactly when the change was committed. Entries are only ever inserted.
//
// One writer, one INSERT, whichever way the change reaches the database (docs/architecture.md,
// "Reaching the database"): most changes run in a Prisma interactive transaction and pass it;
// the few written with node-postgres (erasure, the draft made from an ignored email) pass their
// pg client. Both run the same SQL text with the same parameters.
import type pg from 'pg';
import type { DbTx } from '../db/client.ts';

/** An editor (anything with id and email, such as request.editor), or a named non-person. */
export type AuditActor = { id: string; email: string } | 'system' | 'cli' | 'anonymous';

export type AuditTargetType = 'statement' | 'topic' | 'organisation' | 'editor' | 'session' | 'rejection_reason';

export interface AuditInput {
  actor: AuditActor;
  action: string;
  targetType?: AuditTargetType | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
  /** When it happened; defaults to the database clock. */
  at?: Date;
}

/** Where an entry can be written: a Prisma client or transaction, or a node-postgres client. */
export type AuditWriter = DbTx | Pick<pg.ClientBase, 'query'>;

export function actorFields(actor: AuditActor): { actorId: string | null; actorLabel: string } {
  return typeof actor === 'string' ? { actorId: null, actorLabel: actor } : { actorId: actor.id, actorLabel: actor.email };
}

export const INSERT_AUDIT_ENTRY = `INSERT INTO audit_entries (actor_id, actor_label, action, target_type, target_id, details, at)
     VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb, coalesce($7::timestamptz, now()))`;

export async function recordAudit(writer: AuditWriter, input: AuditInput): Promise<void> {
  const actor = actorFields(input.actor);
  const params = [
    actor.actorId,
    actor.actorLabel,
    input.action,
    input.targetType ?? null,
    input.targetId ?? null,
    JSON.stringify(input.details ?? {}),
    input.at?.toISOString() ?? null,
  ];
  if ('$executeRawUnsafe' in writer) await writer.$executeRawUnsafe(INSERT_AUDIT_ENTRY, ...params);
  else await writer.query(INSERT_AUDIT_ENTRY, params);
}
