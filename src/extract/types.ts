// What extraction makes of one parsed email: the fields of a draft statement, each with where it
// came from and how sure the rule was, or the verdict that the email is not a statement.

export type FieldName = 'title' | 'organisation' | 'date' | 'body' | 'signatories' | 'language';

export interface FieldProvenance {
  /** Where the value came from, e.g. "subject", "heading", "registry", "sender-name", "date-header". */
  source: string;
  /** 0..1: how sure the rule was. Below 0.6 the editor is asked to check the field. */
  confidence: number;
}

/**
 * Who signs the statement. A body or office that signs without a person ("Central Committee",
 * "Komisja Krajowa") is `{ name: "Central Committee", role: null }`: the office is the name shown on
 * pages and feeds, so `name` stays a string end to end (the fixtures' truth writes the same as
 * `{ "name": null, "role": "Central Committee" }`, and scripts/eval-score.ts reads both as one).
 */
export interface Signatory {
  name: string;
  role: string | null;
}

/** A known organisation, from the registry editors keep. */
export interface KnownOrganisation {
  id: string;
  name: string;
  shortName: string | null;
  senderAddresses: string[];
  senderDomains: string[];
}

export interface ExtractContext {
  organisations: KnownOrganisation[];
  /**
   * The authserv-ids of the receiving servers whose Authentication-Results header is believed
   * (TRUSTED_AUTHSERV_ID, e.g. mx.google.com). Unset or empty: no sender is ever "verified".
   */
  trustedAuthservIds?: readonly string[];
}

export interface DraftFields {
  title: string;
  organisationName: string | null;
  organisationShort: string | null;
  organisationId: string | null;
  /** ISO date, YYYY-MM-DD. */
  statementDate: string | null;
  /** ISO 639-1 code, or null when unknown. */
  language: string | null;
  bodyText: string;
  /** Sanitised HTML. */
  bodyHtml: string;
  signatories: Signatory[];
  /** Who forwarded the statement, when it came in a forward ("Name <address>"). */
  forwardedBy: string | null;
  /** The statement's own sender address: the forwarded message's From in a forward, else the email's. */
  senderAddress: string | null;
  /**
   * True when the organisation was matched from the registry by the sender's address or domain
   * and a trusted receiving server authenticated that address (sender-authentication.ts).
   */
  senderVerified: boolean;
  provenance: Record<FieldName, FieldProvenance>;
  /** Things the editor must know, e.g. "the PDF has no text layer (scanned?)". */
  warnings: string[];
}

export type ExtractionResult =
  /** `bodyIsShort`: little text, or a cover note, was found: a PDF or DOCX not yet read may hold the statement. */
  | { kind: 'statement'; draft: DraftFields; bodyIsShort: boolean }
  | { kind: 'not_statement'; reason: string };
