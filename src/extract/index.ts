// Extraction entry point: statement fields from a parsed email. Pure: no I/O, no clock.
// This first version takes the simple evidence (subject, sender, Date header, body); the rules
// in this folder refine it.
import { htmlToText, sanitizeEmailHtml, textToHtml } from '../html/sanitize.ts';
import type { ParsedEmail } from '../ingest/parsed-email.ts';
import type { DraftFields, ExtractContext, ExtractionResult, KnownOrganisation } from './types.ts';

export type * from './types.ts';

const SUBJECT_PREFIX = /^\s*(?:(?:re|fwd?|fw|aw|wg|tr|rv|sv|vs)\s*:\s*|\[[^\]]{0,40}\]\s*)+/i;

/** The subject without Re:/Fwd:/[tags] prefixes. */
export function cleanSubject(subject: string | undefined): string {
  return (subject ?? '').replace(SUBJECT_PREFIX, '').replace(/\s+/g, ' ').trim();
}

export function findKnownOrganisation(
  address: string | undefined,
  organisations: KnownOrganisation[],
): KnownOrganisation | undefined {
  if (!address) return undefined;
  const lower = address.toLowerCase();
  const domain = lower.split('@')[1];
  return (
    organisations.find((o) => o.senderAddresses.some((a) => a.toLowerCase() === lower)) ??
    organisations.find((o) => domain !== undefined && o.senderDomains.some((d) => d.toLowerCase() === domain))
  );
}

function isoDate(date: Date | undefined): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

export function extractStatement(email: ParsedEmail, context: ExtractContext): ExtractionResult {
  const bodyText = (email.text ?? (email.html ? htmlToText(email.html) : '')).trim();
  if (!bodyText && !email.attachments.some((a) => a.text)) {
    return { kind: 'not_statement', reason: 'no text in the message or its attachments' };
  }
  const known = findKnownOrganisation(email.from?.address, context.organisations);
  const draft: DraftFields = {
    title: cleanSubject(email.subject) || '(no subject)',
    organisationName: known?.name ?? (email.from?.name || null),
    organisationShort: known?.shortName ?? null,
    organisationId: known?.id ?? null,
    statementDate: isoDate(email.date),
    language: null,
    bodyText,
    bodyHtml: email.html ? sanitizeEmailHtml(email.html) : textToHtml(bodyText),
    signatories: [],
    forwardedBy: null,
    senderVerified: known !== undefined,
    provenance: {
      title: { source: 'subject', confidence: 0.5 },
      organisation: known ? { source: 'registry', confidence: 0.95 } : { source: 'sender-name', confidence: 0.3 },
      date: { source: 'date-header', confidence: 0.4 },
      body: { source: email.text ? 'text-part' : 'html-part', confidence: 0.5 },
      signatories: { source: 'none', confidence: 0.2 },
      language: { source: 'none', confidence: 0 },
    },
    warnings: [],
  };
  return { kind: 'statement', draft };
}
