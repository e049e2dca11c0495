// The audit log: who did what to which thing, and when. Guarantees: every write that changes
// editorial state calls recordAudit with the same transaction client as the change itself, so an
// entry exists exactly when the change was committed. Entries are only ever inserted.
import type pg from 'pg';
import type { DbTx } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { EditorIdentity } from '../editors/editors.ts';

/** An editor (anything with id and email, such as request.editor), or a named non-person. */
export type AuditActor = Pick<EditorIdentity, 'id' | 'email'> | 'system' | 'cli' | 'anonymous';

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

export function actorFields(actor: AuditActor): { actorId: string | null; actorLabel: string } {
  return typeof actor === 'string' ? { actorId: null, actorLabel: actor } : { actorId: actor.id, actorLabel: actor.email };
}

export async function recordAudit(tx: DbTx, input: AuditInput): Promise<void> {
  await tx.auditEntry.create({
    data: {
      ...actorFields(input.actor),
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      details: (input.details ?? {}) as Prisma.InputJsonValue,
      ...(input.at ? { at: input.at } : {}),
    },
  });
}

/** recordAudit for the few writes made on a node-postgres transaction (src/db/client.ts). */
export async function recordAuditSql(client: Pick<pg.ClientBase, 'query'>, input: AuditInput): Promise<void> {
  const actor = actorFields(input.actor);
  await client.query(
    `INSERT INTO audit_entries (actor_id, actor_label, action, target_type, target_id, details, at)
     VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb, coalesce($7::timestamptz, now()))`,
    [actor.actorId, actor.actorLabel, input.action, input.targetType ?? null, input.targetId ?? null, JSON.stringify(input.details ?? {}), input.at ?? null],
  );
}
