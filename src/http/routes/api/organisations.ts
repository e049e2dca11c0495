// The organisation registry: any editor reads it, administrators change it.
//   GET /api/organisations, GET /api/organisations/:id, POST, PATCH and DELETE (admins)
// Creating an organisation, or adding sender addresses or domains, sets it on drafts from those
// senders that have none yet (draftsUpdated lists them).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { NotFoundError } from '../../../errors.ts';
import {
  createOrganisation,
  deleteOrganisation,
  findOrganisation,
  listOrganisations,
  organisationChangesSchema,
  organisationInputSchema,
  updateOrganisation,
} from '../../../moderation/organisations.ts';
import { problemSchema, uuidParamSchema } from '../../schemas/common.ts';
import { organisationSchema, toOrganisation } from '../../schemas/registry.ts';
import { ifMatchHeaderSchemaDescription, optionalIfMatch, setEtag } from './preconditions.ts';
import { EDITOR_SECURITY as security } from './security.ts';

const ifMatchHeaders = z.object({ 'if-match': z.string().optional().describe(ifMatchHeaderSchemaDescription) });
const writeResultSchema = organisationSchema.extend({ draftsUpdated: z.array(z.uuid()).describe('Drafts that got this organisation from their sender.') });

export default async function organisationRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());

  async function withCount(id: string) {
    const organisation = await findOrganisation(db, id);
    if (!organisation) throw new NotFoundError('organisation', id);
    return toOrganisation(organisation);
  }

  r.get('/organisations', {
    schema: { tags: ['organisations'], summary: 'All organisations, by name', security, response: { 200: z.object({ items: z.array(organisationSchema) }), 401: problemSchema } },
  }, async () => ({ items: (await listOrganisations(db)).map(toOrganisation) }));

  r.get('/organisations/:id', {
    schema: { tags: ['organisations'], summary: 'One organisation', security, params: uuidParamSchema, response: { 200: organisationSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema } },
  }, async (request, reply) => {
    const organisation = await withCount(request.params.id);
    setEtag(reply, organisation.version);
    return organisation;
  });

  r.post('/organisations', {
    preValidation: app.requireAdmin,
    schema: {
      tags: ['organisations'],
      summary: 'Add an organisation (administrators)',
      security,
      body: organisationInputSchema,
      response: { 201: writeResultSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema },
    },
  }, async (request, reply) => {
    const { organisation, draftsUpdated } = await createOrganisation(db, { organisation: request.body, actor: request.editor!, now: now() });
    setEtag(reply, organisation.version);
    return reply.code(201).send({ ...(await withCount(organisation.id)), draftsUpdated });
  });

  r.patch('/organisations/:id', {
    preValidation: app.requireAdmin,
    schema: {
      tags: ['organisations'],
      summary: 'Change an organisation (administrators)',
      security,
      params: uuidParamSchema,
      headers: ifMatchHeaders,
      body: organisationChangesSchema,
      response: { 200: writeResultSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 412: problemSchema },
    },
  }, async (request, reply) => {
    const { organisation, draftsUpdated } = await updateOrganisation(db, { id: request.params.id, expectedVersion: optionalIfMatch(request), changes: request.body, actor: request.editor!, now: now() });
    setEtag(reply, organisation.version);
    return { ...(await withCount(organisation.id)), draftsUpdated };
  });

  r.delete('/organisations/:id', {
    preValidation: app.requireAdmin,
    schema: {
      tags: ['organisations'],
      summary: 'Delete an organisation (administrators); statements keep the name as text',
      security,
      params: uuidParamSchema,
      response: { 204: z.null().describe('Deleted'), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
    },
  }, async (request, reply) => {
    await deleteOrganisation(db, { id: request.params.id, actor: request.editor!, now: now() });
    return reply.code(204).send(null);
  });
}
