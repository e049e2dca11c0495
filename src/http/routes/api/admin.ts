// Settings kept by administrators, and the audit log:
//   GET /api/rejection-reasons (every editor), POST and DELETE /api/rejection-reasons (admins)
//   GET/POST /api/editors, PATCH /api/editors/:id (admins: role, active, name),
//   PUT /api/editors/:id/password (admins: set a new password; the editor's sessions end and,
//   unless told otherwise, their API tokens are revoked)
//   GET /api/audit (admins; filter by actor, action, target; paged newest first)
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { ValidationError } from '../../../errors.ts';
import { findAuditEntries } from '../../../audit/audit-queries.ts';
import { addEditor, listEditors, newEditorSchema, setEditorPassword, updateEditorAccount } from '../../../moderation/editor-accounts.ts';
import { MIN_PASSWORD_LENGTH } from '../../../editors/passwords.ts';
import { createRejectionReason, deleteRejectionReason, listRejectionReasons, rejectionReasonInputSchema } from '../../../moderation/rejection-reasons.ts';
import { auditEntrySchema, toAuditEntry } from '../../schemas/audit.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, problemSchema, uuidParamSchema } from '../../schemas/common.ts';
import { editorAccountSchema, editorRoleSchema, toEditorAccount } from '../../schemas/editor.ts';
import { rejectionReasonSchema } from '../../schemas/registry.ts';
import { EDITOR_SECURITY as security } from './security.ts';

const MAX_BIGINT = 2n ** 63n - 1n;

const toReason = (r: { id: string; text: string; createdAt: Date }) => ({ id: r.id, text: r.text, createdAt: r.createdAt.toISOString() });

export default async function adminRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());
  const admin = app.requireAdmin;

  r.get('/rejection-reasons', {
    schema: { tags: ['settings'], summary: 'Rejection reasons to pick from', security, response: { 200: z.object({ items: z.array(rejectionReasonSchema) }), 401: problemSchema } },
  }, async () => ({ items: (await listRejectionReasons(db)).map(toReason) }));

  r.post('/rejection-reasons', {
    preValidation: admin,
    schema: { tags: ['settings'], summary: 'Add a rejection reason (administrators)', security, body: rejectionReasonInputSchema, response: { 201: rejectionReasonSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema } },
  }, async (request, reply) => reply.code(201).send(toReason(await createRejectionReason(db, { text: request.body.text, actor: request.editor!, now: now() }))));

  r.delete('/rejection-reasons/:id', {
    preValidation: admin,
    schema: { tags: ['settings'], summary: 'Remove a rejection reason (administrators)', security, params: uuidParamSchema, response: { 204: z.null().describe('Removed'), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema } },
  }, async (request, reply) => {
    await deleteRejectionReason(db, { id: request.params.id, actor: request.editor!, now: now() });
    return reply.code(204).send(null);
  });

  r.get('/editors', {
    preValidation: admin,
    schema: { tags: ['editors'], summary: 'Editors and administrators (administrators)', security, response: { 200: z.object({ items: z.array(editorAccountSchema) }), 401: problemSchema, 403: problemSchema } },
  }, async () => ({ items: (await listEditors(db)).map(toEditorAccount) }));

  r.post('/editors', {
    preValidation: admin,
    schema: {
      tags: ['editors'],
      summary: 'Add an editor (administrators)',
      description: 'They sign in with this address and password (at least 10 characters); tell them to keep it safe.',
      security,
      body: newEditorSchema,
      response: { 201: editorAccountSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema },
    },
  }, async (request, reply) => reply.code(201).send(toEditorAccount(await addEditor(db, { editor: request.body, actor: request.editor!, now: now() }))));

  r.patch('/editors/:id', {
    preValidation: admin,
    schema: {
      tags: ['editors'],
      summary: 'Change role, name, or deactivate/reactivate an editor (administrators)',
      description: 'Deactivating ends their sessions and revokes their API tokens at once. The last active administrator cannot be demoted or deactivated.',
      security,
      params: uuidParamSchema,
      body: z.strictObject({ role: editorRoleSchema.optional(), active: z.boolean().optional(), name: z.string().trim().max(200).nullable().optional() }),
      response: { 200: editorAccountSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
    },
  }, async (request) => toEditorAccount(await updateEditorAccount(db, { id: request.params.id, changes: request.body, actor: request.editor!, now: now() })));

  r.put('/editors/:id/password', {
    preValidation: admin,
    schema: {
      tags: ['editors'],
      summary: 'Set a new password for an editor (administrators)',
      description: 'For an editor who forgot theirs, or whose password leaked: every session they have ends at once, and their API tokens are revoked unless `revokeApiTokens` is false. Tell them the new password by a safe channel.',
      security,
      params: uuidParamSchema,
      body: z.strictObject({
        password: z.string().min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`).max(1000),
        revokeApiTokens: z.boolean().default(true).describe("Revoke the editor's API tokens (default true)."),
      }),
      response: { 204: z.null().describe('Password set'), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
    },
  }, async (request, reply) => {
    await setEditorPassword(db, { id: request.params.id, password: request.body.password, revokeApiTokens: request.body.revokeApiTokens, actor: request.editor!, now: now() });
    return reply.code(204).send(null);
  });

  r.get('/audit', {
    preValidation: admin,
    schema: {
      tags: ['audit'],
      summary: 'The audit log, newest first (administrators)',
      security,
      querystring: z.strictObject({
        limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
        cursor: z.string().max(30).optional().describe('nextCursor of the previous page.'),
        actor: z.string().max(254).optional().describe('An editor id or email, or "system", "cli", "anonymous".'),
        action: z.string().max(100).optional().describe('An action such as statement.publish, or a prefix ending in a dot: statement.'),
        targetType: z.enum(['statement', 'topic', 'organisation', 'editor', 'session', 'rejection_reason']).optional(),
        targetId: z.string().max(100).optional(),
      }),
      response: { 200: z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() }), 400: problemSchema, 401: problemSchema, 403: problemSchema },
    },
  }, async (request) => {
    const { limit, cursor, ...filter } = request.query;
    // An audit id is a PostgreSQL bigint: 19 digits can still be past its largest value.
    if (cursor !== undefined && (!/^\d{1,19}$/.test(cursor) || BigInt(cursor) > MAX_BIGINT)) throw new ValidationError('The cursor is not valid. Use the nextCursor value of the previous page, or leave it out to start again.');
    const rows = await findAuditEntries(db, { ...filter, before: cursor ? BigInt(cursor) : undefined, limit });
    const items = rows.slice(0, limit);
    return { items: items.map(toAuditEntry), nextCursor: rows.length > limit ? items[items.length - 1]!.id.toString() : null };
  });
}
