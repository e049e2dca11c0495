// Editors teach the organisation registry from a statement:
//   GET  /api/statements/:id/sender-organisation   what the registry knows of its sender, and what it can learn
//   POST /api/statements/:id/sender-organisation   remember the sender (address or own domain) and short name
// The work is in src/moderation/teach-registry.ts (shared with the statement page); audited.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { NotFoundError } from '../../../errors.ts';
import { findOrganisation } from '../../../moderation/organisations.ts';
import { findSenderRegistryView, rememberSender } from '../../../moderation/teach-registry.ts';
import { problemSchema, uuidParamSchema } from '../../schemas/common.ts';
import { toOrganisation } from '../../schemas/registry.ts';
import { rememberSenderBodySchema, rememberSenderResultSchema, senderRegistryViewSchema, toRememberSenderResult, toSenderRegistryView } from '../../schemas/sender-registry.ts';
import { ifMatchHeaderSchemaDescription, requireIfMatch, setEtag } from './preconditions.ts';
import { EDITOR_SECURITY as security } from './security.ts';

const tags = ['organisations'];
const ifMatchHeaders = z.object({ 'if-match': z.string().optional().describe(ifMatchHeaderSchemaDescription) });

export default async function senderOrganisationRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());

  r.get('/statements/:id/sender-organisation', {
    schema: {
      tags,
      summary: "What the organisation registry knows of the statement's sender, and what it can learn from this statement",
      security,
      params: uuidParamSchema,
      response: { 200: senderRegistryViewSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema },
    },
  }, async (request, reply) => {
    const view = await findSenderRegistryView(db, request.params.id);
    setEtag(reply, view.statementVersion);
    return toSenderRegistryView(view);
  });

  r.post('/statements/:id/sender-organisation', {
    schema: {
      tags,
      summary: "Remember the statement's sender (its address, or its organisation's own domain) and short name for its organisation (audited)",
      description:
        'Any editor. The organisation is the one the statement is linked to, or the registry one of the same name, or is added to the registry. ' +
        'The other drafts from the sender whose organisation no editor set get it too, and later emails from the sender get it at ingest with confidence 0.95. ' +
        'An address another organisation had moves to this one. If-Match required (the statement version); 409 when there is nothing to teach (no sender, no organisation, already known); ' +
        '400 for a domain that cannot be remembered (a shared mail service, or another organisation\'s).',
      security,
      params: uuidParamSchema,
      headers: ifMatchHeaders,
      body: rememberSenderBodySchema,
      response: { 200: rememberSenderResultSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 412: problemSchema, 428: problemSchema },
    },
  }, async (request, reply) => {
    const expectedVersion = requireIfMatch(request, 'statement');
    const result = await rememberSender(db, { statementId: request.params.id, expectedVersion, remember: request.body?.remember ?? 'auto', actor: request.editor!, now: now() });
    request.log.info({ statementId: request.params.id, organisationId: result.organisationId, kind: result.remembered?.kind ?? null, draftsUpdated: result.draftsUpdated.length }, 'sender remembered in the organisation registry');
    const organisation = await findOrganisation(db, result.organisationId);
    if (!organisation) throw new NotFoundError('organisation', result.organisationId);
    setEtag(reply, result.statementVersion);
    return toRememberSenderResult(result, toOrganisation(organisation));
  });
}
