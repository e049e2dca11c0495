// Extraction of one message with its documents: PDF and DOCX attachments are read (the costly
// part) only when the email's own text holds no statement, e.g. a two-line cover note.
import type { ParsedEmail } from './parsed-email.ts';
import { addAttachmentText, documentKind } from './attachment-text.ts';
import { extractStatement, type ExtractOptions } from './extract-statement.ts';
import type { ExtractContext, ExtractionResult } from './types.ts';

function hasUnreadDocuments(email: ParsedEmail): boolean {
  return (
    email.attachments.some((a) => documentKind(a) !== undefined && a.text === undefined && a.textError === undefined) ||
    email.attachedMessages.some(hasUnreadDocuments)
  );
}

export async function extractMessage(email: ParsedEmail, context: ExtractContext, options: ExtractOptions = {}): Promise<ExtractionResult> {
  const first = extractStatement(email, context, options);
  if (!hasUnreadDocuments(email) || (first.kind === 'statement' && !first.bodyIsShort)) return first;
  await addAttachmentText(email);
  return extractStatement(email, context, options);
}
