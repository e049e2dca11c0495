// The statement page's one-click registry action: "remember this sender for this organisation"
// (POST /editor/statements/:id/sender-organisation, a plain form with the CSRF token and the
// version the page showed). The work is in src/moderation/teach-registry.ts, shared with the API.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { DomainError } from '../../../errors.ts';
import { rememberSender } from '../../../moderation/teach-registry.ts';
import { uuidParamSchema } from '../../schemas/common.ts';
import { redirectWithNotice, renderPage } from './render.ts';
import { loadStatementPage } from './statement-page.ts';

const formSchema = z.object({
  version: z.coerce.number().int().min(1).max(2_147_483_647),
  remember: z.enum(['auto', 'address', 'domain']).default('auto'),
});

export default async function senderOrganisationPageRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const now = options.deps.now ?? (() => new Date());

  r.post('/statements/:id/sender-organisation', { schema: { params: uuidParamSchema } }, async (request, reply) => {
    const { id } = request.params;
    const form = formSchema.safeParse(request.body ?? {});
    const problemPage = async (problem: string, status: number) => renderPage(request, reply, 'statement', await loadStatementPage(options.deps, id, { problem }), status);
    if (!form.success) return problemPage('That button did not send what it should. Reload the page and try again.', 400);
    try {
      const result = await rememberSender(options.deps.db, { statementId: id, expectedVersion: form.data.version, remember: form.data.remember, actor: request.editor!, now: now() });
      request.log.info({ statementId: id, organisationId: result.organisationId, kind: result.remembered?.kind ?? null, draftsUpdated: result.draftsUpdated.length }, 'sender remembered in the organisation registry');
      return redirectWithNotice(reply, `/editor/statements/${id}`, 'sender_remembered');
    } catch (error) {
      if (error instanceof DomainError && [400, 409, 412].includes(error.statusCode)) {
        return problemPage(`The registry was not changed: ${error.message}`, error.statusCode === 412 ? 409 : error.statusCode);
      }
      throw error;
    }
  });
}
