// The statement edit form: what it shows (strings, as the inputs hold them), how a submitted
// form is read, and which fields the editor actually changed. Pure, so it is tested on its own.
import { z } from 'zod';
import { readSignatories } from '../../../publishing/public-statement.ts';

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
  if (values.statementDate && (!ISO_DAY.test(values.statementDate) || Number.isNaN(new Date(values.statementDate).getTime()))) {
    errors.statementDate = 'Write the date as YYYY-MM-DD, or leave it empty.';
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
  if (submitted.bodyText.trim() !== saved.bodyText.replace(/\r\n/g, '\n').trim()) patch.bodyText = submitted.bodyText;
  if (signatoriesToText(textToSignatories(submitted.signatories)) !== saved.signatories) patch.signatories = textToSignatories(submitted.signatories);
  if (submitted.topicId !== saved.topicId) patch.topicId = orNull(submitted.topicId);
  return patch;
}

/** Fields whose saved value differs from what the editor has in the form (after a conflict). */
export function differingFields(saved: StatementFormValues, submitted: StatementFormValues): (keyof StatementFormValues)[] {
  return Object.keys(changedFields(saved, submitted)) as (keyof StatementFormValues)[];
}
