// The statement edit form: what it shows (strings, as the inputs hold them), how a submitted
// form is read, and which fields the editor actually changed. Pure, so it is tested on its own.
import { z } from 'zod';
import { readSignatories } from '../publishing/public-statement.ts';

export interface StatementFormValues {
  title: string;
  organisationName: string;
  organisationShort: string;
  statementDate: string;
  language: string;
  bodyText: string;
  signatories: string;
  topicId: string;
}

export const FORM_FIELD_LABELS: Record<keyof StatementFormValues, string> = {
  title: 'Title',
  organisationName: 'Organisation',
  organisationShort: 'Short name',
  statementDate: 'Date of the statement',
  language: 'Language',
  bodyText: 'Text',
  signatories: 'Signatories',
  topicId: 'Topic',
};

/** "Name, role" per line; a line without a comma is a name alone. */
export function signatoriesToText(value: unknown): string {
  return readSignatories(value).map((s) => (s.role ? `${s.name}, ${s.role}` : s.name)).join('\n');
}

export function textToSignatories(text: string): { name: string; role: string | null }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const comma = line.indexOf(',');
      if (comma < 0) return { name: line, role: null };
      return { name: line.slice(0, comma).trim(), role: line.slice(comma + 1).trim() || null };
    })
    .filter((s) => s.name);
}

export function formValuesOf(statement: {
  title: string;
  organisationName: string | null;
  organisationShort: string | null;
  statementDate: Date | null;
  language: string | null;
  bodyText: string;
  signatories: unknown;
  topicId: string | null;
}): StatementFormValues {
  return {
    title: statement.title,
    organisationName: statement.organisationName ?? '',
    organisationShort: statement.organisationShort ?? '',
    statementDate: statement.statementDate ? statement.statementDate.toISOString().slice(0, 10) : '',
    language: statement.language ?? '',
    bodyText: statement.bodyText,
    signatories: signatoriesToText(statement.signatories),
    topicId: statement.topicId ?? '',
  };
}

const text = (max: number) => z.string().max(max).default('').transform((v) => v.replace(/\r\n/g, '\n'));

const formSchema = z.object({
  version: z.coerce.number().int().min(1),
  title: text(500).transform((v) => v.trim()),
  organisationName: text(300).transform((v) => v.trim()),
  organisationShort: text(60).transform((v) => v.trim()),
  statementDate: text(10).transform((v) => v.trim()),
  language: text(35).transform((v) => v.trim()),
  bodyText: text(500_000),
  signatories: text(50_000),
  topicId: text(36).transform((v) => v.trim()),
});

export interface ParsedStatementForm {
  version: number;
  values: StatementFormValues;
  /** Field name -> what is wrong with it and what to do. */
  errors: Partial<Record<keyof StatementFormValues | 'version', string>>;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** YYYY-MM-DD naming a real day (JavaScript reads 2022-02-30 as 2 March). */
function isCalendarDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function parseStatementForm(body: unknown): ParsedStatementForm {
  const parsed = formSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const errors: ParsedStatementForm['errors'] = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'version') as keyof ParsedStatementForm['errors'];
      errors[field] = field === 'version' ? 'The form is missing its version: reload the page and make your change again.' : 'This is too long.';
    }
    const raw = (body ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : '');
    return {
      version: Number(str('version')) || 0,
      values: {
        title: str('title'), organisationName: str('organisationName'), organisationShort: str('organisationShort'),
        statementDate: str('statementDate'), language: str('language'), bodyText: str('bodyText'),
        signatories: str('signatories'), topicId: str('topicId'),
      },
      errors,
    };
  }
  const { version, ...values } = parsed.data;
  const errors: ParsedStatementForm['errors'] = {};
  if (!values.title) errors.title = 'A statement needs a title.';
  if (values.statementDate && !isCalendarDay(values.statementDate)) {
    errors.statementDate = 'Write a date that exists as year-month-day (YYYY-MM-DD, e.g. 2022-03-02), or leave it empty.';
  }
  if (values.language && !LANGUAGE.test(values.language)) errors.language = 'Use a language code such as en, fr, es or pt-BR, or leave it empty.';
  if (values.topicId && !UUID.test(values.topicId)) errors.topicId = 'Pick a topic from the list.';
  return { version, values, errors };
}

export type StatementPatch = {
  title?: string;
  organisationName?: string | null;
  organisationShort?: string | null;
  statementDate?: string | null;
  language?: string | null;
  bodyText?: string;
  signatories?: { name: string; role: string | null }[];
  topicId?: string | null;
};

/** Only what the editor changed, so an untouched field (the body's HTML formatting above all)
 * is never rewritten by the form. */
export function changedFields(saved: StatementFormValues, submitted: StatementFormValues): StatementPatch {
  const patch: StatementPatch = {};
  const orNull = (v: string) => (v ? v : null);
  if (submitted.title !== saved.title) patch.title = submitted.title;
  if (submitted.organisationName !== saved.organisationName) patch.organisationName = orNull(submitted.organisationName);
  if (submitted.organisationShort !== saved.organisationShort) patch.organisationShort = orNull(submitted.organisationShort);
  if (submitted.statementDate !== saved.statementDate) patch.statementDate = orNull(submitted.statementDate);
  if (submitted.language !== saved.language) patch.language = orNull(submitted.language);
  const lines = (text: string) => text.replace(/\r\n/g, '\n').trim();
  if (lines(submitted.bodyText) !== lines(saved.bodyText)) patch.bodyText = submitted.bodyText;
  if (signatoriesToText(textToSignatories(submitted.signatories)) !== saved.signatories) patch.signatories = textToSignatories(submitted.signatories);
  if (submitted.topicId !== saved.topicId) patch.topicId = orNull(submitted.topicId);
  return patch;
}

/** Fields whose saved value differs from what the editor has in the form (after a conflict). */
export function differingFields(saved: StatementFormValues, submitted: StatementFormValues): (keyof StatementFormValues)[] {
  return Object.keys(changedFields(saved, submitted)) as (keyof StatementFormValues)[];
}

/**
 * Service field names (in revisions and validation issues) -> form fields (bodyHtml follows
 * bodyText; organisationId is not a field of the form).
 */
export const SERVICE_FIELD_TO_FORM: Record<string, keyof StatementFormValues> = {
  title: 'title',
  organisationName: 'organisationName',
  organisationShort: 'organisationShort',
  statementDate: 'statementDate',
  language: 'language',
  bodyText: 'bodyText',
  signatories: 'signatories',
  topicId: 'topicId',
};

function formValueOfRevision(field: keyof StatementFormValues, value: unknown): string {
  if (field === 'signatories') return signatoriesToText(value);
  return typeof value === 'string' ? value : '';
}

/**
 * The form as it was at `version`: the latest values with every later revision undone (each
 * revision stores { field: { from, to } }). A move of the workflow bumps the version without a
 * revision and changes no field, so it needs no undoing.
 */
export function formValuesAtVersion(
  latest: StatementFormValues,
  revisions: { version: number; changes: unknown }[],
  version: number,
): StatementFormValues {
  const values = { ...latest };
  const later = revisions.filter((r) => r.version > version).sort((a, b) => b.version - a.version);
  for (const revision of later) {
    const changes = (revision.changes && typeof revision.changes === 'object' ? revision.changes : {}) as Record<string, { from?: unknown }>;
    for (const [name, change] of Object.entries(changes)) {
      const field = SERVICE_FIELD_TO_FORM[name];
      if (field) values[field] = formValueOfRevision(field, change?.from);
    }
  }
  return values;
}

export interface ConflictMerge {
  /** What the form should now hold: their saved changes, with the editor's own changes on top. */
  values: StatementFormValues;
  /** Fields only the other editor changed (now in the form). */
  theirs: (keyof StatementFormValues)[];
  /** Fields only this editor changed (kept in the form). */
  mine: (keyof StatementFormValues)[];
  /** Fields both changed differently: the form keeps this editor's text; theirs is shown beside. */
  both: (keyof StatementFormValues)[];
}

/** A three-way merge of a stale save: base (what the editor started from), latest, mine. */
export function mergeAfterConflict(base: StatementFormValues, latest: StatementFormValues, mine: StatementFormValues): ConflictMerge {
  const changedByThem = new Set(differingFields(base, latest));
  const changedByMe = new Set(differingFields(base, mine));
  const values = { ...latest };
  const result: ConflictMerge = { values, theirs: [], mine: [], both: [] };
  for (const field of Object.keys(FORM_FIELD_LABELS) as (keyof StatementFormValues)[]) {
    const them = changedByThem.has(field);
    const me = changedByMe.has(field);
    if (me) values[field] = mine[field];
    if (them && me && differingFields({ ...latest }, { ...latest, [field]: mine[field] }).length) result.both.push(field);
    else if (them && !me) result.theirs.push(field);
    else if (me) result.mine.push(field);
  }
  return result;
}
