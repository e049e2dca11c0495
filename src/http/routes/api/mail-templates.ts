// The wording of the mail sent to senders (administrators):
//   GET /api/mail-templates, PUT and DELETE /api/mail-templates/:kind/:language
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listMailTemplates, MAX_TEMPLATE_CHARS, resetMailTemplate, setMailTemplate } from '../../../answers/mail-templates.ts';
import type { AppDeps } from '../../app-deps.ts';
import { problemSchema } from '../../schemas/common.ts';
import { EDITOR_SECURITY as security } from './security.ts';

const templateSchema = z.object({
  kind: z.enum(['acknowledgement', 'published']),
  language: z.string(),
  bodyText: z.string().describe('The text in use. Placeholders: {title}, {statusUrl} (acknowledgement), {publicUrl} (published).'),
  builtIn: z.string().describe('The built-in text, used again after a reset.'),
  overridden: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
const keySchema = z.object({ kind: z.string().max(40), language: z.string().max(10) });

export default async function mailTemplateRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());
  const admin = app.requireAdmin;

  r.get('/mail-templates', {
    preValidation: admin,
    schema: { tags: ['settings'], summary: 'The mails sent to senders, per kind and language (administrators)', security, response: { 200: z.object({ items: z.array(templateSchema) }), 401: problemSchema, 403: problemSchema } },
  }, async () => ({ items: await listMailTemplates(db) }));

  r.put('/mail-templates/:kind/:language', {
    preValidation: admin,
    schema: {
      tags: ['settings'],
      summary: 'Reword a mail sent to senders (administrators)',
      description: 'Plain text; the HTML part is made from it. It must keep {statusUrl} (acknowledgement) or {publicUrl} (published).',
      security,
      params: keySchema,
      body: z.object({ bodyText: z.string().max(MAX_TEMPLATE_CHARS * 2) }),
      response: { 200: templateSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
    },
  }, async (request) => setMailTemplate(db, { ...request.params, bodyText: request.body.bodyText, actor: request.editor!, now: now() }));

  r.delete('/mail-templates/:kind/:language', {
    preValidation: admin,
    schema: { tags: ['settings'], summary: 'Go back to the built-in wording (administrators)', security, params: keySchema, response: { 204: z.null().describe('Reset'), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema } },
  }, async (request, reply) => {
    await resetMailTemplate(db, { ...request.params, actor: request.editor!, now: now() });
    return reply.code(204).send(null);
  });
}
