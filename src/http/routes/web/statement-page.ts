// Builds everything the statement page shows: the draft's form (saved values, or the editor's own
// after a failed save), the preview as the public page will show it, the source email, the
// actions the current state allows, and the history.
import { readFileSync } from 'node:fs';
import { findPendingCorrections } from '../../../moderation/corrections.ts';
import { findSenderSide } from '../../../answers/editor-view.ts';
import type { AppDeps } from '../../app-deps.ts';
import { NotFoundError } from '../../../errors.ts';
import { findAuditEntriesForTarget } from '../../../audit/audit-queries.ts';
import { listOrganisationNames } from '../../../moderation/organisations.ts';
import { listRejectionReasons } from '../../../moderation/rejection-reasons.ts';
import { findDuplicateChoices, findStatementTitle, listStatementLanguages } from '../../../moderation/statement-lookups.ts';
import { findStatementById } from '../../../moderation/statement-queries.ts';
import { listTopicChoices } from '../../../moderation/topics.ts';
import { findSenderRegistryView } from '../../../moderation/teach-registry.ts';
import { allowedActions } from '../../../moderation/transitions.ts';
import { toStatementView } from '../../../publishing/public-statement.ts';
import { toStatementSummary } from '../../schemas/statement.ts';
import { checksFor } from '../../../moderation/draft-checks.ts';
import { buildTimeline } from '../../../moderation/statement-history.ts';
import { formValuesOf, textToSignatories, type StatementFormValues } from '../../../moderation/statement-form.ts';

/**
 * The public stylesheet, inlined into the preview frame: the frame is sandboxed (an opaque
 * origin), so it may not load our same-origin-only resources, and inline styles need no request.
 */
const PUBLIC_CSS = readFileSync(new URL('../../views/public/public.css', import.meta.url), 'utf8');

/** Extraction field name -> the form field it fills. */
const FORM_FIELD_OF: Record<string, keyof StatementFormValues> = {
  title: 'title',
  organisation: 'organisationName',
  date: 'statementDate',
  body: 'bodyText',
  signatories: 'signatories',
  language: 'language',
};

export interface StatementPageOverrides {
  /** The editor's own values, shown instead of the saved ones (preview, failed save, conflict). */
  values?: StatementFormValues;
  /** The version the form sends back: the saved one unless the editor chose to keep theirs. */
  version?: number;
  fieldErrors?: Partial<Record<string, string>>;
  problem?: string | null;
  /** After a conflict: the fields where the saved version differs from the editor's. */
  conflict?: { theirs: string[]; mine: string[]; both: string[]; rows: { label: string; value: string }[] } | null;
  previewUnsaved?: boolean;
}

export async function loadStatementPage(deps: AppDeps, id: string, overrides: StatementPageOverrides = {}) {
  const { db, config } = deps;
  const row = await findStatementById(db, id);
  if (!row) throw new NotFoundError('statement', id);
  const summary = toStatementSummary(row);
  const saved = formValuesOf(row);
  const values = overrides.values ?? saved;
  const message = row.message;
  const [audit, topics, languages, reasons, duplicateChoices, likelyDuplicate, organisations, sender, corrections, senderRegistry] = await Promise.all([
    findAuditEntriesForTarget(db, 'statement', id),
    listTopicChoices(db),
    listStatementLanguages(db),
    listRejectionReasons(db),
    findDuplicateChoices(db, row),
    findStatementTitle(db, row.likelyDuplicateOfId),
    listOrganisationNames(db),
    findSenderSide(db, id),
    findPendingCorrections(db, id, row.bodyText),
    findSenderRegistryView(db, id),
  ]);
  const editedFields = new Set(row.revisions.filter((r) => r.editorId).flatMap((r) => Object.keys((r.changes ?? {}) as object)));
  const checks = checksFor(summary, { editedFields, deciding: row.status === 'draft' || row.status === 'approved' });
  const topic = topics.find((t) => t.id === values.topicId) ?? null;
  // The preview is built by the publishing code, from the form's values, exactly as the public
  // page will show them (the body sanitised again at output).
  const preview = toStatementView(
    {
      slug: row.slug,
      status: row.status,
      title: values.title,
      bodyHtml: values.bodyText.trim() === saved.bodyText.trim() ? row.bodyHtml : '',
      bodyText: values.bodyText,
      organisationName: values.organisationName || null,
      organisationShort: values.organisationShort || null,
      statementDate: values.statementDate ? new Date(`${values.statementDate}T00:00:00Z`) : null,
      language: values.language || null,
      signatories: textToSignatories(values.signatories),
      topic: topic ? { slug: topic.slug, title: topic.title } : null,
      message: message ? { attachments: message.attachments } : null,
    },
    { baseUrl: config.publicBaseUrl, attachmentUrl: (a) => `/editor/attachments/${a.id}` },
  );
  return {
    title: row.title || 'Statement',
    section: 'queue' as const,
    statement: { ...summary, rejectionReason: row.rejectionReason, unpublishReason: row.unpublishReason, publicUrl: `/statements/${encodeURIComponent(row.slug)}` },
    values,
    version: overrides.version ?? row.version,
    fieldErrors: overrides.fieldErrors ?? {},
    problem: overrides.problem ?? null,
    conflict: overrides.conflict ?? null,
    previewUnsaved: overrides.previewUnsaved ?? false,
    needsCheck: Object.fromEntries(checks.lowConfidence.map((f) => [FORM_FIELD_OF[f] ?? f, true])),
    checks,
    preview,
    publicCss: PUBLIC_CSS,
    message,
    headerList: message ? headerEntries(message.headers) : [],
    timeline: buildTimeline(row.revisions, audit, { topicTitles: new Map(topics.map((t) => [t.id, t.title])) }),
    topics,
    languages,
    organisations,
    reasons: reasons.map((r) => r.text),
    duplicateChoices,
    likelyDuplicate,
    duplicateOf: row.duplicateOf,
    actions: allowedActions(row.status),
    sender,
    corrections,
    senderRegistry,
  };
}

/** Every header of the email as name/value pairs, in order, for the "all headers" list. */
function headerEntries(headers: unknown): { name: string; value: string }[] {
  if (!headers || typeof headers !== 'object') return [];
  return Object.entries(headers as Record<string, unknown>).flatMap(([name, values]) =>
    (Array.isArray(values) ? values : [values]).map((value) => ({ name, value: String(value) })),
  );
}
