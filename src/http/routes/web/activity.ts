// GET /editor/activity: the audit trail, newest first, filterable by who, what kind of action
// and target, paged by entry id.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { findAuditEntries, findAuditTargetNames } from '../../../audit/audit-queries.ts';
import { listEditorNames } from '../../../editors/editors.ts';
import { renderPage } from './render.ts';

export const ACTIVITY_PAGE_SIZE = 50;

export const ACTION_GROUPS = [
  { value: 'statement.', label: 'Statements: edits and decisions', adminOnly: false },
  { value: 'topic.', label: 'Topics', adminOnly: false },
  { value: 'organisation.', label: 'Organisations', adminOnly: false },
  { value: 'rejection_reason.', label: 'Rejection reasons', adminOnly: false },
  { value: 'editor.', label: 'Editors', adminOnly: true },
  { value: 'session.', label: 'Sign-ins and sign-outs', adminOnly: true },
] as const;

/** Editorial actions every editor may see; sign-ins (with IP addresses) and account changes are
 * for administrators, as GET /api/audit is. */
const EDITORIAL_PREFIXES = ACTION_GROUPS.filter((g) => !g.adminOnly).map((g) => g.value);

const activityQuerySchema = z.object({
  actor: z.string().max(254).optional().catch(undefined),
  action: z.string().max(100).regex(/^[a-z_.]+$/).optional().catch(undefined),
  target: z.uuid().optional().catch(undefined),
  before: z.string().regex(/^\d{1,19}$/).optional().catch(undefined),
});

const TARGET_PAGES: Record<string, string> = { statement: '/editor/statements/', topic: '/editor/topics/', organisation: '/editor/organisations/' };

export const ACTION_LABELS: Record<string, string> = {
  'statement.edit': 'Edited a statement',
  'statement.approve': 'Approved a statement',
  'statement.publish': 'Published a statement',
  'statement.unpublish': 'Unpublished a statement',
  'statement.reject': 'Rejected a statement',
  'statement.mark_duplicate': 'Marked a statement as duplicate',
  'statement.reopen': 'Reopened a statement',
  'statement.draft_from_email': 'Made a draft from an email set aside',
  'topic.create': 'Created a topic',
  'topic.update': 'Changed a topic',
  'topic.order': 'Reordered a topic',
  'topic.delete': 'Deleted a topic',
  'organisation.create': 'Added an organisation',
  'organisation.update': 'Changed an organisation',
  'organisation.delete': 'Deleted an organisation',
  'organisation.remember_sender': 'Taught the registry a sender of an organisation',
  'editor.create': 'Added an editor',
  'editor.role': 'Changed an editor’s role',
  'editor.deactivate': 'Deactivated an editor',
  'editor.reactivate': 'Reactivated an editor',
  'editor.update': 'Changed an editor',
  'session.sign_in': 'Signed in',
  'session.sign_out': 'Signed out',
  'session.sign_in_failed': 'Failed to sign in',
  'editor.password': 'Set a new password',
  'editor.password_check_failed': 'Typed a wrong current password',
  'rejection_reason.create': 'Added a rejection reason',
  'rejection_reason.delete': 'Removed a rejection reason',
};

const FIELD_WORDS: Record<string, string> = {
  bodyText: 'text', bodyHtml: 'text', topicId: 'topic', organisationName: 'organisation', organisationShort: 'short name',
  organisationId: 'organisation', statementDate: 'date', signatories: 'signatories', title: 'title', language: 'language',
};

/** A readable one-line summary of an entry's details (reason, fields, version, from/to). */
export function summariseDetails(details: unknown): string {
  if (!details || typeof details !== 'object') return '';
  const d = details as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.from === 'string' && typeof d.to === 'string') parts.push(`${d.from} → ${d.to}`);
  if (Array.isArray(d.fields)) parts.push(`changed ${[...new Set(d.fields.map((f) => FIELD_WORDS[String(f)] ?? String(f)))].join(', ')}`);
  if (d.changes && typeof d.changes === 'object') parts.push(`changed ${Object.keys(d.changes).join(', ')}`);
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
    const isAdmin = request.editor?.role === 'admin';
    const filter = {
      actor: query.actor || undefined,
      action: query.action || undefined,
      targetId: query.target,
      before: query.before ? BigInt(query.before) : undefined,
      limit: ACTIVITY_PAGE_SIZE,
    };
    const [rows, editors] = await Promise.all([
      findAuditEntries(db, isAdmin ? filter : { ...filter, actionPrefixes: EDITORIAL_PREFIXES }),
      listEditorNames(db),
    ]);
    const page = rows.slice(0, ACTIVITY_PAGE_SIZE);
    const names = await findAuditTargetNames(db, page);
    const entries = page.map((e) => ({
      id: e.id.toString(),
      at: e.at,
      actor: e.actorLabel,
      action: e.action,
      actionLabel: ACTION_LABELS[e.action] ?? e.action,
      targetUrl: e.targetType && e.targetId && TARGET_PAGES[e.targetType] ? `${TARGET_PAGES[e.targetType]}${e.targetId}` : null,
      targetName: (e.targetId && names.get(e.targetId)) || null,
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
      groups: ACTION_GROUPS.filter((g) => isAdmin || !g.adminOnly),
      isAdmin,
      actor: query.actor ?? '',
      action: query.action ?? '',
      target: query.target ?? '',
      olderUrl: rows.length > ACTIVITY_PAGE_SIZE ? `/editor/activity?${keep.toString()}` : null,
    });
  });
}
