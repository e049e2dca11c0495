// Organisation pages: every editor can see the registry; admins add and edit organisations,
// their known sender addresses and domains (drafts from those senders then get the organisation).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { DomainError, NotFoundError } from '../../../errors.ts';
import { createOrganisation, findOrganisation, listOrganisations, updateOrganisation } from '../../../moderation/organisations.ts';
import { uuidParamSchema } from '../../schemas/common.ts';
import { redirectWithNotice, renderPage } from './render.ts';

export interface OrganisationForm {
  name: string;
  shortName: string;
  country: string;
  website: string;
  senderAddresses: string;
  senderDomains: string;
  version?: number | undefined;
}

const formSchema = z.object({
  name: z.string().max(300).default(''),
  shortName: z.string().max(60).default(''),
  country: z.string().max(100).default(''),
  website: z.string().max(2000).default(''),
  senderAddresses: z.string().max(60_000).default(''),
  senderDomains: z.string().max(30_000).default(''),
  version: z.coerce.number().int().min(1).optional(),
});

/** One entry per line (commas and spaces separate too), empty lines dropped. */
export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).map((v) => v.trim()).filter(Boolean);
}

function readForm(body: unknown): OrganisationForm {
  const parsed = formSchema.safeParse(body ?? {});
  if (!parsed.success) return { name: '', shortName: '', country: '', website: '', senderAddresses: '', senderDomains: '' };
  return { ...parsed.data, name: parsed.data.name.trim(), shortName: parsed.data.shortName.trim(), country: parsed.data.country.trim(), website: parsed.data.website.trim() };
}

function toInput(form: OrganisationForm) {
  return {
    name: form.name,
    shortName: form.shortName || null,
    country: form.country || null,
    website: form.website || null,
    senderAddresses: splitList(form.senderAddresses),
    senderDomains: splitList(form.senderDomains),
  };
}

export default async function organisationRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());
  const adminOnly = { preHandler: app.requireAdmin };

  const showForm = (request: FastifyRequest, reply: FastifyReply, data: { form: OrganisationForm; id?: string; problem?: string | null; statementCount?: number }, status = 200) =>
    renderPage(request, reply, 'organisation', {
      title: data.id ? data.form.name || 'Organisation' : 'New organisation',
      section: 'organisations',
      form: data.form,
      id: data.id ?? null,
      statementCount: data.statementCount ?? 0,
      problem: data.problem ?? null,
      canEdit: request.editor?.role === 'admin',
    }, status);

  r.get('/organisations', async (request, reply) => {
    const organisations = await listOrganisations(db);
    return renderPage(request, reply, 'organisations', { title: 'Organisations', section: 'organisations', organisations, canEdit: request.editor?.role === 'admin' });
  });

  r.get('/organisations/new', adminOnly, async (request, reply) =>
    showForm(request, reply, { form: { name: '', shortName: '', country: '', website: '', senderAddresses: '', senderDomains: '' } }));

  r.post('/organisations', adminOnly, async (request, reply) => {
    const form = readForm(request.body);
    try {
      const { organisation } = await createOrganisation(db, { organisation: toInput(form), actor: request.editor!, now: now() });
      return redirectWithNotice(reply, `/editor/organisations/${organisation.id}`, 'organisation_saved');
    } catch (error) {
      if (error instanceof DomainError && error.statusCode < 500) return showForm(request, reply, { form, problem: error.message }, error.statusCode);
      throw error;
    }
  });

  r.get('/organisations/:id', { schema: { params: uuidParamSchema } }, async (request, reply) => {
    const o = await findOrganisation(db, request.params.id);
    if (!o) throw new NotFoundError('organisation', request.params.id);
    return showForm(request, reply, {
      id: o.id,
      statementCount: o._count.statements,
      form: {
        name: o.name, shortName: o.shortName ?? '', country: o.country ?? '', website: o.website ?? '',
        senderAddresses: o.senderAddresses.join('\n'), senderDomains: o.senderDomains.join('\n'), version: o.version,
      },
    });
  });

  r.post('/organisations/:id', { schema: { params: uuidParamSchema }, ...adminOnly }, async (request, reply) => {
    const form = readForm(request.body);
    try {
      await updateOrganisation(db, { id: request.params.id, expectedVersion: form.version, changes: toInput(form), actor: request.editor!, now: now() });
      return redirectWithNotice(reply, `/editor/organisations/${request.params.id}`, 'organisation_saved');
    } catch (error) {
      if (error instanceof DomainError && error.statusCode < 500 && error.statusCode !== 404) {
        const fresh = await findOrganisation(db, request.params.id);
        const problem = error.statusCode === 412
          ? 'Someone else changed this organisation while you were editing it. Your text is kept below; check it and save again.'
          : error.message;
        return showForm(request, reply, { id: request.params.id, form: { ...form, version: fresh?.version }, problem, statementCount: fresh?._count.statements ?? 0 }, error.statusCode === 412 ? 409 : error.statusCode);
      }
      throw error;
    }
  });
}
