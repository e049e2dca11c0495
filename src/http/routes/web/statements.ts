// The statement page: GET shows it; POST saves the edit form (guarded on the version the form
// was rendered with); POST .../preview shows the form's values as the public page would, without
// saving; POST .../transition approves, rejects, publishes, unpublishes, reopens or marks it as a
// duplicate. A failed save re-renders the page with the editor's text in the form: a conflict
// (someone saved first) or a mistake never loses what they typed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { DomainError, NotFoundError, PreconditionFailedError, ValidationError } from '../../../errors.ts';
import { editStatement, type StatementChanges } from '../../../moderation/edit-statement.ts';
import { findOrganisationByName } from '../../../moderation/organisations.ts';
import { findStatementById } from '../../../moderation/statement-queries.ts';
import { STATEMENT_ACTIONS, transitionStatement, type StatementAction } from '../../../moderation/transitions.ts';
import { uuidParamSchema } from '../../schemas/common.ts';
import { redirectWithNotice, renderPage, type NoticeKey } from './render.ts';
import {
  changedFields,
  FORM_FIELD_LABELS,
  formValuesAtVersion,
  formValuesOf,
  mergeAfterConflict,
  parseStatementForm,
  SERVICE_FIELD_TO_FORM,
  type StatementFormValues,
} from '../../../moderation/statement-form.ts';
import { loadStatementPage, type StatementPageOverrides } from './statement-page.ts';

const NOTICE_OF: Record<StatementAction, NoticeKey> = {
  approve: 'approved',
  publish: 'published',
  unpublish: 'unpublished',
  reject: 'rejected',
  mark_duplicate: 'duplicate',
  reopen: 'reopened',
};

const SAVED_NOTICE_OF: Partial<Record<StatementAction, NoticeKey>> = {
  approve: 'saved_and_approved',
  publish: 'saved_and_published',
};

/** The edit form sends its fields; the decision forms of the page send none of them. */
function isEditForm(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'title' in body;
}

const transitionFormSchema = z.object({
  action: z.enum(STATEMENT_ACTIONS, { error: 'Unknown action: use the buttons on the statement page.' }),
  version: z.coerce.number().int().min(1),
  reasonChoice: z.string().max(2000).optional(),
  reasonText: z.string().max(2000).optional(),
  duplicateOfId: z.string().optional(),
});

function fieldErrorsOf(error: ValidationError): Partial<Record<string, string>> {
  const issues = (error.details?.issues ?? []) as { field: string; message: string }[];
  const errors: Partial<Record<string, string>> = {};
  for (const issue of issues) {
    const field = SERVICE_FIELD_TO_FORM[issue.field.split('.')[0] ?? ''];
    if (field) errors[field] = `${issue.message[0]?.toUpperCase() ?? ''}${issue.message.slice(1)}.`;
  }
  if (typeof error.details?.field === 'string' && SERVICE_FIELD_TO_FORM[error.details.field]) {
    errors[SERVICE_FIELD_TO_FORM[error.details.field]!] = error.message;
  }
  return errors;
}

export default async function statementRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());
  const paramsSchema = { params: uuidParamSchema };

  const showPage = async (request: FastifyRequest, reply: FastifyReply, id: string, overrides: StatementPageOverrides = {}, status = 200) => {
    const page = await loadStatementPage(options.deps, id, overrides);
    return renderPage(request, reply, 'statement', page, status);
  };

  r.get('/statements/:id', { schema: paramsSchema }, async (request, reply) => showPage(request, reply, request.params.id));

  r.post('/statements/:id/preview', { schema: paramsSchema }, async (request, reply) => {
    const form = parseStatementForm(request.body);
    return showPage(request, reply, request.params.id, { values: form.values, version: form.version, fieldErrors: form.errors, previewUnsaved: true });
  });

  /**
   * Saves the edit form: the new version, or the page re-rendered with the editor's text and
   * what went wrong (`before` says what did not happen because of it, e.g. "Not approved.").
   */
  const saveForm = async (request: FastifyRequest, reply: FastifyReply, id: string, before = 'Nothing was saved.'): Promise<{ version: number; changed: boolean } | { shown: FastifyReply }> => {
    const form = parseStatementForm(request.body);
    if (Object.keys(form.errors).length) {
      return { shown: await showPage(request, reply, id, {
        values: form.values,
        version: form.version || undefined,
        fieldErrors: form.errors,
        problem: `${before} Correct the fields marked below and send again.`,
      }, 400) };
    }
    const current = await findStatementById(db, id);
    if (!current) throw new NotFoundError('statement', id);
    // Only fields that differ from the saved statement are sent, so an untouched field is never
    // rewritten; the service refuses the whole write when the form's version is stale.
    const saved = formValuesOf(current);
    const changes: StatementChanges = changedFields(saved, form.values);
    if (changes.organisationName !== undefined) {
      // A name picked from the registry links the statement to it (country, website, short name);
      // any other name unlinks it.
      const known = changes.organisationName
        ? await findOrganisationByName(db, changes.organisationName)
        : null;
      if (known) Object.assign(changes, { organisationId: known.id, organisationName: known.name });
      else if (current.organisationId) changes.organisationId = null;
    }
    if (Object.keys(changes).length === 0) return { version: form.version, changed: false };
    try {
      const edited = await editStatement(db, { id, expectedVersion: form.version, changes, actor: request.editor!, now: now() });
      return { version: edited.version, changed: true };
    } catch (error) {
      if (error instanceof PreconditionFailedError) {
        const latest = await findStatementById(db, id);
        if (!latest) throw error;
        const latestValues = formValuesOf(latest);
        const base = formValuesAtVersion(latestValues, latest.revisions, form.version);
        const merge = mergeAfterConflict(base, latestValues, form.values);
        request.log.info({ statementId: id, expectedVersion: form.version, currentVersion: latest.version, both: merge.both }, 'statement edit conflict shown to the editor');
        const label = (fields: (keyof StatementFormValues)[]) => fields.map((f) => FORM_FIELD_LABELS[f]);
        return { shown: await showPage(request, reply, id, {
          values: merge.values,
          version: latest.version,
          problem: before === 'Nothing was saved.' ? null : `${before} Someone else saved this statement meanwhile: check the form, save it, then decide again.`,
          conflict: {
            theirs: label(merge.theirs),
            mine: label(merge.mine),
            both: label(merge.both),
            rows: merge.both.map((f) => ({ label: FORM_FIELD_LABELS[f], value: f === 'topicId' ? latest.topic?.title ?? '' : latestValues[f] })),
          },
        }, 409) };
      }
      if (error instanceof ValidationError) {
        return { shown: await showPage(request, reply, id, {
          values: form.values,
          version: form.version,
          fieldErrors: fieldErrorsOf(error),
          problem: `${before} ${error.message}`,
        }, 400) };
      }
      throw error;
    }
  };

  r.post('/statements/:id', { schema: paramsSchema }, async (request, reply) => {
    const { id } = request.params;
    const result = await saveForm(request, reply, id);
    if ('shown' in result) return result.shown;
    return redirectWithNotice(reply, `/editor/statements/${id}`, result.changed ? 'saved' : 'nothing_changed');
  });

  r.post('/statements/:id/transition', { schema: paramsSchema }, async (request, reply) => {
    const { id } = request.params;
    const parsed = transitionFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      return showPage(request, reply, id, { problem: 'That button did not send what it should. Reload the page and try again.' }, 400);
    }
    const form = parsed.data;
    const reason = form.reasonText?.trim() || form.reasonChoice?.trim() || undefined;
    // Approve and Publish are buttons of the edit form: what the editor typed and did not save
    // yet is saved first (one more version in the history), and the decision applies to it.
    let expectedVersion = form.version;
    let savedFirst = false;
    if (isEditForm(request.body)) {
      const label = form.action === 'publish' ? 'Not published.' : form.action === 'approve' ? 'Not approved.' : 'Nothing was done.';
      const saved = await saveForm(request, reply, id, label);
      if ('shown' in saved) return saved.shown;
      expectedVersion = saved.version;
      savedFirst = saved.changed;
    }
    try {
      await transitionStatement(db, {
        id,
        action: form.action,
        expectedVersion,
        actor: request.editor!,
        reason,
        duplicateOfId: form.duplicateOfId || undefined,
        now: now(),
      });
      return redirectWithNotice(reply, `/editor/statements/${id}`, savedFirst ? SAVED_NOTICE_OF[form.action] ?? NOTICE_OF[form.action] : NOTICE_OF[form.action]);
    } catch (error) {
      if (error instanceof DomainError && [400, 409, 412].includes(error.statusCode)) {
        const problem = savedFirst ? `Your changes are saved, but the decision was not applied: ${error.message}` : error.message;
        return showPage(request, reply, id, { problem }, error.statusCode === 412 ? 409 : error.statusCode);
      }
      throw error;
    }
  });
}
