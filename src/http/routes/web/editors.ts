// Admin pages: the editors (add one, change role, deactivate or reactivate) and the list of
// rejection reasons offered when rejecting a statement.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { DomainError } from '../../../errors.ts';
import { addEditor, listEditors, updateEditorAccount } from '../../../moderation/editor-accounts.ts';
import { createRejectionReason, deleteRejectionReason, listRejectionReasons } from '../../../moderation/rejection-reasons.ts';
import { uuidParamSchema } from '../../schemas/common.ts';
import { redirectWithNotice, renderPage } from './render.ts';

const newEditorFormSchema = z.object({
  email: z.string().max(254).default(''),
  name: z.string().max(200).default(''),
  password: z.string().max(1000).default(''),
  role: z.enum(['editor', 'admin']).catch('editor'),
});

const accountFormSchema = z.object({
  role: z.enum(['editor', 'admin']).optional(),
  active: z.enum(['true', 'false']).optional(),
});

export default async function editorAdminRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());
  const adminOnly = { preHandler: app.requireAdmin };

  const showPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { problem?: string | null; newEditor?: { email: string; name: string; role: string }; reasonText?: string } = {},
    status = 200,
  ) => {
    const [editors, reasons] = await Promise.all([listEditors(db), listRejectionReasons(db)]);
    return renderPage(request, reply, 'editors', {
      title: 'Editors',
      section: 'editors',
      editors,
      reasons,
      problem: extra.problem ?? null,
      newEditor: extra.newEditor ?? { email: '', name: '', role: 'editor' },
      reasonText: extra.reasonText ?? '',
    }, status);
  };

  r.get('/editors', adminOnly, async (request, reply) => showPage(request, reply));

  r.post('/editors', adminOnly, async (request, reply) => {
    const form = newEditorFormSchema.parse(request.body ?? {});
    try {
      await addEditor(db, { editor: { email: form.email.trim(), password: form.password, name: form.name.trim() || null, role: form.role }, actor: request.editor!, now: now() });
      return redirectWithNotice(reply, '/editor/editors', 'editor_created');
    } catch (error) {
      if (error instanceof DomainError && error.statusCode < 500) {
        return showPage(request, reply, { problem: error.message, newEditor: { email: form.email, name: form.name, role: form.role } }, error.statusCode);
      }
      throw error;
    }
  });

  r.post('/editors/:id', { schema: { params: uuidParamSchema }, ...adminOnly }, async (request, reply) => {
    const form = accountFormSchema.parse(request.body ?? {});
    try {
      await updateEditorAccount(db, {
        id: request.params.id,
        changes: { role: form.role, active: form.active === undefined ? undefined : form.active === 'true' },
        actor: request.editor!,
        now: now(),
      });
      return redirectWithNotice(reply, '/editor/editors', 'editor_saved');
    } catch (error) {
      if (error instanceof DomainError && error.statusCode < 500) return showPage(request, reply, { problem: error.message }, error.statusCode);
      throw error;
    }
  });

  r.post('/rejection-reasons', adminOnly, async (request, reply) => {
    const text = z.object({ text: z.string().max(2000).default('') }).parse(request.body ?? {}).text;
    try {
      await createRejectionReason(db, { text, actor: request.editor!, now: now() });
      return redirectWithNotice(reply, '/editor/editors#reasons', 'editor_saved');
    } catch (error) {
      if (error instanceof DomainError && error.statusCode < 500) return showPage(request, reply, { problem: error.message, reasonText: text }, error.statusCode);
      throw error;
    }
  });

  r.post('/rejection-reasons/:id/delete', { schema: { params: uuidParamSchema }, ...adminOnly }, async (request, reply) => {
    await deleteRejectionReason(db, { id: request.params.id, actor: request.editor!, now: now() });
    return redirectWithNotice(reply, '/editor/editors#reasons', 'editor_saved');
  });
}
