// What the API says about audit entries.
import { z } from 'zod';

export const auditEntrySchema = z.object({
  id: z.string().describe('Increasing; also the cursor.'),
  at: z.string(),
  actor: z.object({ id: z.uuid().nullable(), label: z.string().describe('Editor email, or "system", "cli", "anonymous".') }),
  action: z.string().describe('e.g. statement.approve, statement.edit, session.sign_in, topic.update'),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export function toAuditEntry(e: { id: bigint; at: Date; actorId: string | null; actorLabel: string; action: string; targetType: string | null; targetId: string | null; details: unknown }): z.infer<typeof auditEntrySchema> {
  return {
    id: e.id.toString(),
    at: e.at.toISOString(),
    actor: { id: e.actorId, label: e.actorLabel },
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    details: e.details && typeof e.details === 'object' && !Array.isArray(e.details) ? (e.details as Record<string, unknown>) : {},
  };
}
