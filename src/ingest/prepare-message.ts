// The pipeline's CPU stages for one message: parse -> classify -> extract, and what of it is
// written (the parsed fields, the attachments, the verdict, the draft). No database, no logging:
// it runs in the preparer's worker thread (preparer.ts), or in the caller's thread where no
// worker can start. Everything it returns survives a structured clone. Never throws: a message
// it cannot read comes back `failed` with the reason an editor will see.
import { createHash } from 'node:crypto';
import { extractMessage } from '../extract/extract-message.ts';
import { emailText } from '../extract/text.ts';
import type { DraftFields, ExtractContext } from '../extract/types.ts';
import { MAX_HTML_CHARS } from '../html/bound-html.ts';
import { htmlToText, sanitizeBounded, sanitizeEmailHtml } from '../html/sanitize.ts';
import { classifyMessage } from './classify.ts';
import { capDisplayText, capDraftBody } from './limits.ts';
import type { ParsedAttachment, ParsedEmail, ParsedMessageFields } from '../extract/parsed-email.ts';
import { parseMessage } from './parse-message.ts';
import type { MessageVerdict } from './write-outcome.ts';

export type PreparedMessage =
  | { kind: 'failed'; error: string }
  | { kind: 'ignored'; fields: ParsedMessageFields; attachments: ParsedAttachment[]; verdict: MessageVerdict & { status: 'ignored' } }
  | { kind: 'drafted'; fields: ParsedMessageFields; attachments: ParsedAttachment[]; draft: DraftFields };

/**
 * `asStatement`: an editor said this email is a statement; the header rules (lists, auto-replies)
 * and the not-a-statement verdicts are skipped.
 */
export async function prepareMessage(raw: Buffer, context: ExtractContext, options: { asStatement?: boolean } = {}): Promise<PreparedMessage> {
  let email: ParsedEmail;
  try {
    email = await parseMessage(raw);
  } catch (error) {
    return { kind: 'failed', error: `could not parse the message: ${firstLine(error)}` };
  }
  try {
    const fields = parsedFields(email);
    const classification = options.asStatement ? ({ kind: 'candidate' } as const) : classifyMessage(email);
    if (classification.kind === 'ignored') {
      return { kind: 'ignored', fields, attachments: storedAttachments(email), verdict: { status: 'ignored', reason: classification.reason, notStatement: false } };
    }
    const extraction = await extractMessage(email, context, options);
    if (extraction.kind === 'not_statement') {
      const verdict = { status: 'ignored', reason: `not a statement: ${extraction.reason}`, notStatement: true } as const;
      return { kind: 'ignored', fields, attachments: storedAttachments(email), verdict };
    }
    return { kind: 'drafted', fields, attachments: storedAttachments(email), draft: capDraftBody(withUnreadDateWarning(email, withoutNul(extraction.draft))) };
  } catch (error) {
    return { kind: 'failed', error: `could not extract a draft: ${firstLine(error)}` };
  }
}

/**
 * A Date header that gave no date (one in year 10000, say: PostgreSQL cannot store it, so it is
 * read as none) is worth telling the editor, who may otherwise wonder why the draft has no date.
 */
function withUnreadDateWarning(email: ParsedEmail, draft: DraftFields): DraftFields {
  const header = email.headers['date']?.[0]?.trim();
  if (email.date || !header) return draft;
  const shown = header.length > 80 ? `${header.slice(0, 80)}…` : header;
  return { ...draft, warnings: [...draft.warnings, `the email's Date header ("${shown}") is not a date that can be read and stored; it was not used`] };
}

function parsedFields(email: ParsedEmail): ParsedMessageFields {
  return withoutNul({
    messageIdHeader: email.messageId ?? null,
    fromAddress: email.from?.address || null,
    fromName: email.from?.name || null,
    toAddresses: email.to.map((a) => a.address).filter(Boolean),
    subject: email.subject ?? null,
    sentAt: email.date ?? null,
    inReplyTo: email.inReplyTo ?? null,
    headers: email.headers,
    // An email with only an HTML body is kept with its text too, for the message view and the
    // correction check of an ignored message (write-chunk.ts).
    textBody: capDisplayText(email.text ?? (email.html ? emailText(email) || null : null)),
    htmlBody: email.html ? storedHtml(email.html) : null,
  });
}

/** The sanitised HTML editors will see, saying so when it had to be cut. */
function storedHtml(html: string): string {
  const sanitised = sanitizeBounded(html);
  if (!sanitised.truncated) return sanitised.html;
  return `${sanitised.html}\n<p><em>[The email's HTML is longer than ${MAX_HTML_CHARS.toLocaleString('en')} characters; the rest is not shown here. The original file has all of it.]</em></p>`;
}

/**
 * The attachments as stored: their texts (filled in by extraction) without U+0000, and every
 * forwarded message (message/rfc822, nested ones too) as an .eml attachment whose text is its
 * headers and body, so that editors can see what a forward-as-attachment draft was built from.
 */
function storedAttachments(email: ParsedEmail): ParsedAttachment[] {
  return [...email.attachments, ...forwardedMessages(email)].map((a) => ({
    ...a,
    filename: a.filename === undefined ? undefined : withoutNul(a.filename),
    contentId: a.contentId === undefined ? undefined : withoutNul(a.contentId),
    text: a.text === undefined ? undefined : withoutNul(a.text),
  }));
}

function forwardedMessages(email: ParsedEmail): ParsedAttachment[] {
  return email.attachedMessages.flatMap((attached) => {
    if (!attached.raw) return [];
    const from = attached.from ? (attached.from.name ? `${attached.from.name} <${attached.from.address}>` : attached.from.address) : 'unknown';
    const headerLines = [`From: ${from}`, `Date: ${attached.date?.toUTCString() ?? 'unknown'}`, `Subject: ${attached.subject ?? '(no subject)'}`];
    const body = attached.text?.trim() || (attached.html ? htmlToText(sanitizeEmailHtml(attached.html)) : '') || '(This email has no text.)';
    const message: ParsedAttachment = {
      filename: `${(attached.subject ?? 'forwarded message').replace(/\s*[\\/:*?"<>|\u0000-\u001f]+\s*/g, ' ').trim().slice(0, 120) || 'forwarded message'}.eml`,
      contentType: 'message/rfc822',
      size: attached.raw.length,
      sha256: createHash('sha256').update(attached.raw).digest('hex'),
      content: attached.raw,
      contentId: undefined,
      inline: false,
      text: `${headerLines.join('\n')}\n\n${body}`,
    };
    return [message, ...forwardedMessages(attached)];
  });
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]!.trim() || error.name : String(error);
}

/** PostgreSQL text and JSONB cannot hold U+0000, which broken mail does contain. */
export function withoutNul<T>(value: T): T {
  return hasNul(value) ? copyWithoutNul(value) : value;
}

/** Looks without copying: almost no message has a NUL, and most fields are deep objects. */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (isPlainData(value)) {
    for (const key in value) if (key.includes('\u0000') || hasNul((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function copyWithoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\u0000/g, '') as T;
  if (Array.isArray(value)) return value.map(copyWithoutNul) as T;
  if (isPlainData(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [copyWithoutNul(k), copyWithoutNul(v)])) as T;
  return value;
}

function isPlainData(value: unknown): value is object {
  return Boolean(value) && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array);
}
