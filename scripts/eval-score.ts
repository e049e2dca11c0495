// Scoring rule of the statement fixtures (../shared/fixtures/statements/README.md): normalise,
// then compare each field of a draft with the truth. Pure, shared by scripts/eval.ts and its tests.

export interface TruthLine {
  file: string;
  expect: 'statement' | 'ignored' | 'not_statement';
  organisation?: string;
  organisation_short?: string | null;
  organisation_alternatives?: string[];
  title?: string;
  title_alternatives?: string[];
  date?: string;
  date_alternatives?: string[];
  language?: string;
  signatories?: { name: string | null; role: string | null }[];
  body_first_words?: string;
  body_last_words?: string;
}

/** What the pipeline stored for one email. */
export interface StoredOutcome {
  messageStatus: string;
  notStatement: boolean;
  drafts: {
    title: string;
    organisationName: string | null;
    organisationShort: string | null;
    statementDate: string | null;
    language: string | null;
    bodyText: string;
    signatories: { name: string; role: string | null }[];
    /** extraction.fields[field].confidence, where the draft has it. */
    confidence?: Partial<Record<string, number>>;
  }[];
}

export const FIELDS = ['organisation', 'title', 'date', 'language', 'body', 'signatories'] as const;
export type Field = (typeof FIELDS)[number] | 'negatives';

const LIST_MARKER = /^(\d+[.)]|[\u2022\-\u2013\u2014*\u00b7o])$/;

/** The fixtures' normalisation: list markers dropped, NFKC, case-folded, quotes deleted, punctuation to spaces. */
export function norm(text: string | null | undefined): string {
  return (text ?? '')
    .split(/\s+/)
    .filter((w) => !LIST_MARKER.test(w))
    .join(' ')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb"'`]/g, '')
    .replace(/[^\p{L}\p{N}_\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

function withoutShort(name: string): string {
  return name.replace(/\s*\([^()]*\)\s*$/, '');
}

/** Field name -> passed, for one truth line and what was stored. */
export function scoreOutcome(truth: TruthLine, outcome: StoredOutcome): Partial<Record<Field, boolean>> {
  if (truth.expect !== 'statement') {
    const noDraft = outcome.drafts.length === 0;
    const ok = truth.expect === 'ignored' ? noDraft && outcome.messageStatus === 'ignored' : noDraft && (outcome.messageStatus === 'ignored' || outcome.notStatement);
    return { negatives: ok };
  }
  const draft = outcome.drafts.length === 1 ? outcome.drafts[0] : undefined;
  if (!draft) return Object.fromEntries(FIELDS.map((f) => [f, false]));
  const expectedOrgs = [truth.organisation ?? '', withoutShort(truth.organisation ?? ''), truth.organisation_short ?? '', ...(truth.organisation_alternatives ?? [])]
    .filter(Boolean)
    .map(norm);
  const gotOrgs = [draft.organisationName, draft.organisationName && draft.organisationShort ? `${draft.organisationName} (${draft.organisationShort})` : null]
    .filter((o): o is string => Boolean(o))
    .map(norm);
  const titles = [truth.title ?? '', ...(truth.title_alternatives ?? [])].map(norm);
  const body = norm(draft.bodyText);
  // A body or office that signs without a person is {"name": null, "role": "Central Committee"} in
  // the truth and {name: "Central Committee", role: null} in a draft (Signatory.name stays a string
  // for the API, feeds and pages): both are the office alone.
  const signatureSet = (list: { name: string | null; role: string | null }[]) =>
    list.map((s) => (s.name ? `${norm(s.name)}|${norm(s.role)}` : `${norm(s.role)}|`)).sort().join('\n');
  return {
    organisation: gotOrgs.some((o) => expectedOrgs.includes(o)),
    title: titles.includes(norm(draft.title)),
    date: [truth.date, ...(truth.date_alternatives ?? [])].includes(draft.statementDate ?? ''),
    language: draft.language === truth.language,
    body: body.startsWith(norm(truth.body_first_words)) && body.endsWith(norm(truth.body_last_words)),
    signatories: signatureSet(draft.signatories) === signatureSet(truth.signatories ?? []),
  };
}

/** A field this sure is taken as right; the eval checks that it is (target: 97%). */
export const CONFIDENT = 0.85;
/** Below this the editor is asked to check the field (the "check this" flag); most wrong fields should be here (target: 80%). */
export const FLAGGED = 0.6;

export interface Calibration {
  confidentCorrect: number;
  confident: number;
  wrongFlagged: number;
  wrong: number;
}

/**
 * How far the confidences can be trusted, over the fields of one positive: the confident fields
 * that are right, and the wrong fields that were flagged. A positive with no draft counts every
 * field as wrong and unflagged (nothing was there to flag).
 */
export function calibrate(scores: Partial<Record<Field, boolean>>, outcome: StoredOutcome, into: Calibration): void {
  const draft = outcome.drafts.length === 1 ? outcome.drafts[0] : undefined;
  for (const field of FIELDS) {
    const ok = scores[field];
    if (ok === undefined) continue;
    const confidence = draft?.confidence?.[field];
    if (confidence !== undefined && confidence >= CONFIDENT) {
      into.confident++;
      if (ok) into.confidentCorrect++;
    }
    if (!ok) {
      into.wrong++;
      if (confidence !== undefined && confidence < FLAGGED) into.wrongFlagged++;
    }
  }
}
