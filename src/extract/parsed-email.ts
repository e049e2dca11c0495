// What the parser makes of one email: the contract between ingest (which parses, in
// src/ingest/parse-message.ts) and extract (pure functions that read it), owned here so that
// extraction imports nothing of ingest. Nothing here depends on the parser library.

export interface EmailAddress {
  name: string;
  address: string;
}

export interface ParsedAttachment {
  filename: string | undefined;
  /** Lower-case MIME type without parameters, e.g. "application/pdf". */
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
  contentId: string | undefined;
  /** Shown inline (Content-Disposition: inline or referenced from the HTML). */
  inline: boolean;
  /** Text of a PDF/DOCX attachment, filled in by the attachment-text step when it can. */
  text?: string | undefined;
  /** Set when text extraction was tried and found nothing (e.g. a scanned PDF). */
  textError?: string | undefined;
}

export interface ParsedEmail {
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string[];
  subject: string | undefined;
  /** The Date header. */
  date: Date | undefined;
  from: EmailAddress | undefined;
  sender: EmailAddress | undefined;
  replyTo: EmailAddress[];
  to: EmailAddress[];
  cc: EmailAddress[];
  /** Top-level headers, names lower-cased, values unfolded and decoded (RFC 2047), in order. */
  headers: Record<string, string[]>;
  /** Top-level Content-Type, lower-cased, with its parameters, e.g. "multipart/report; report-type=delivery-status". */
  contentType: string;
  /** Every MIME type found in the structure (lower-cased, no parameters), e.g. "text/calendar". */
  partTypes: string[];
  text: string | undefined;
  /** The HTML part as sent: hostile. Sanitise before display. */
  html: string | undefined;
  attachments: ParsedAttachment[];
  /** Messages attached as message/rfc822 (forwarded as attachment), parsed the same way. */
  attachedMessages: ParsedEmail[];
  /** The bytes this was parsed from (for an attached message: the attachment as sent). */
  raw?: Buffer;
}

/**
 * What the pipeline stores on the message row from its parsed email (with the outcome), and what
 * the acknowledgement and correction checks read of it.
 */
export interface ParsedMessageFields {
  messageIdHeader: string | null;
  fromAddress: string | null;
  fromName: string | null;
  toAddresses: string[];
  subject: string | null;
  sentAt: Date | null;
  inReplyTo: string | null;
  headers: unknown;
  textBody: string | null;
  htmlBody: string | null;
}
