// GET /editor/activity: the audit trail, newest first, filterable by who, what kind of action
// and target, paged by entry id.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../../app.ts';
import { findAuditEntries } from '../../../moderation/audit-queries.ts';
import { renderPage } from './render.ts';

export const ACTIVITY_PAGE_SIZE = 50;

export const ACTION_GROUPS = [
  { value: 'statement.', label: 'Statements: edits and decisions' },
  { value: 'topic.', label: 'Topics' },
  { value: 'organisation.', label: 'Organisations' },
  { value: 'editor.', label: 'Editors' },
  { value: 'session.', label: 'Sign-ins and sign-outs' },
  { value: 'rejection_reason.', label: 'Rejection reasons' },
] as const;

const activityQuerySchema = z.object({
  actor: z.string().max(254).optional().catch(undefined),
  action: z.string().max(100).regex(/^[a-z_.]+$/).optional().catch(undefined),
  target: z.uuid().optional().catch(undefined),
  before: z.string().regex(/^\d{1,19}$/).optional().catch(undefined),
});

const TARGET_PAGES: Record<string, string> = { statement: '/editor/statements/', topic: '/editor/topics/', organisation: '/editor/organisations/' };

/** A readable one-line summary of an entry's details (reason, fields, version, from/to). */
export function summariseDetails(details: unknown): string {
  if (!details || typeof details !== 'object') return '';
  const d = details as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.from === 'string' && typeof d.to === 'string') parts.push(`${d.from} → ${d.to}`);
  if (Array.isArray(d.fields)) parts.push(`changed ${d.fields.join(', ')}`);
  if (typeof d.reason === 'string') parts.push(`reason: ${d.reason}`);
  if (typeof d.title === 'string') parts.push(`“${d.title}”`);
  if (typeof d.duplicateOfTitle === 'string') parts.push(`duplicate of “${d.duplicateOfTitle}”`);
  if (typeof d.email === 'string') parts.push(d.email);
  if (typeof d.version === 'number') parts.push(`version ${d.version}`);
  return parts.join('; ');
}

export default async function activityRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const { db } = options.deps;

  app.get('/activity', async (request, reply) => {
    const query = activityQuerySchema.parse(request.query ?? {});
    const [rows, editors] = await Promise.all([
      findAuditEntries(db, {
        actor: query.actor || undefined,
        action: query.action || undefined,
        targetId: query.target,
        before: query.before ? BigInt(query.before) : undefined,
        limit: ACTIVITY_PAGE_SIZE,
      }),
      db.editor.findMany({ orderBy: { email: 'asc' }, select: { email: true, name: true } }),
    ]);
    const entries = rows.slice(0, ACTIVITY_PAGE_SIZE).map((e) => ({
      id: e.id.toString(),
      at: e.at,
      actor: e.actorLabel,
      action: e.action,
      targetUrl: e.targetType && e.targetId && TARGET_PAGES[e.targetType] ? `${TARGET_PAGES[e.targetType]}${e.targetId}` : null,
      targetType: e.targetType,
      summary: summariseDetails(e.details),
    }));
    const keep = new URLSearchParams();
    if (query.actor) keep.set('actor', query.actor);
    if (query.action) keep.set('action', query.action);
    if (query.target) keep.set('target', query.target);
    const last = entries[entries.length - 1];
    if (rows.length > ACTIVITY_PAGE_SIZE && last) keep.set('before', last.id);
    return renderPage(request, reply, 'activity', {
      title: 'Activity',
      section: 'activity',
      entries,
      editors,
      groups: ACTION_GROUPS,
      actor: query.actor ?? '',
      action: query.action ?? '',
      target: query.target ?? '',
      olderUrl: rows.length > ACTIVITY_PAGE_SIZE ? `/editor/activity?${keep.toString()}` : null,
    });
  });
}
