// What an editor should check on a draft before approving it: pure, so the queue and the
// statement page flag the same things.
export const LOW_CONFIDENCE_BELOW = 0.6;

/** Form field names of the statement page, keyed by the extraction's field names. */
export const FIELD_LABELS: Record<string, string> = {
  title: 'title',
  organisation: 'organisation',
  date: 'date',
  body: 'text',
  signatories: 'signatories',
  language: 'language',
};

export interface ExtractionInfo {
  fields: Record<string, { source: string; confidence: number }>;
  warnings: string[];
}

/** Extraction fields whose rule was unsure (confidence below 0.6), in a stable order. */
export function lowConfidenceFields(extraction: ExtractionInfo): string[] {
  return Object.keys(FIELD_LABELS).filter((name) => {
    const field = extraction.fields[name];
    return field !== undefined && field.confidence < LOW_CONFIDENCE_BELOW;
  });
}

export interface CheckFlags {
  lowConfidence: string[];
  /** The same fields as the editor knows them ("text" for the body). */
  lowConfidenceLabels: string[];
  likelyDuplicateOfId: string | null;
  senderUnverified: boolean;
  warnings: string[];
}

/** The statement's columns each extraction field fills: an editor's edit of one settles the doubt. */
const EDITED_AS: Record<string, string[]> = {
  title: ['title'],
  organisation: ['organisationName', 'organisationId'],
  date: ['statementDate'],
  body: ['bodyText', 'bodyHtml'],
  signatories: ['signatories'],
  language: ['language'],
};

const NO_FLAGS: CheckFlags = { lowConfidence: [], lowConfidenceLabels: [], likelyDuplicateOfId: null, senderUnverified: false, warnings: [] };

export function checksFor(
  statement: {
    status?: string;
    extraction: ExtractionInfo;
    likelyDuplicateOfId: string | null;
    senderVerified: boolean;
    messageId: string | null;
  },
  options: { editedFields?: ReadonlySet<string>; deciding?: boolean } = {},
): CheckFlags {
  // Once decided (published, rejected...), the doubts of extraction are history.
  const deciding = options.deciding ?? (statement.status === undefined || statement.status === 'draft' || statement.status === 'approved');
  if (!deciding) return NO_FLAGS;
  const edited = options.editedFields ?? new Set<string>();
  const lowConfidence = lowConfidenceFields(statement.extraction).filter((name) => !(EDITED_AS[name] ?? []).some((column) => edited.has(column)));
  return {
    lowConfidence,
    lowConfidenceLabels: lowConfidence.map((name) => FIELD_LABELS[name] ?? name),
    likelyDuplicateOfId: statement.likelyDuplicateOfId,
    // A statement typed in by an editor has no sender to verify.
    senderUnverified: !statement.senderVerified && statement.messageId !== null,
    // Extraction writes its notes as fragments ("no text layer (scanned?)"); shown as sentences.
    warnings: statement.extraction.warnings.map((w) => w.charAt(0).toUpperCase() + w.slice(1)),
  };
}
