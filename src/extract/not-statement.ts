// Messages that reach content analysis but carry no statement: calendar invitations, empty or
// image-only messages, and short follow-ups such as "did you receive our statement?". They are
// kept and shown to editors, never drafted. Pure.
import type { ParsedEmail } from '../ingest/parsed-email.ts';
import { documentKind } from './attachment-text.ts';
import { unicodeWords } from './patterns.ts';
import { countWords } from './text.ts';

/** A follow-up is short: a statement is rarely under this many words. */
const MAX_FOLLOW_UP_WORDS = 150;

const QUERY = unicodeWords(
  /\b(?:did you (?:get|receive|see)|have you (?:got|received|seen)|has (?:it|our statement|the statement) (?:arrived|reached you|been received)|whether (?:it|you|this|our \w+(?: \w+)?) (?:arrived|reached|received|got|was received|has arrived)|(?:let us|let me) know (?:if|whether|when)|confirm (?:receipt|that you|whether)|acknowledge receipt|when (?:will|would|do you (?:expect|plan)|can we expect|might) .{0,60}\b(?:publish|published|appear|post|posted|up|online)|when\b.{0,80}\b(?:publish|published|appear|posted|online|go (?:up|live))|(?:did|has|have) (?:it|this|our \w+) (?:arrive|arrived|reach|reached)|(?:got|received) our (?:statement|email|e-mail|message|letter)|kindly confirm|any (?:news|update)s? on|just (?:checking|following up)|following up on|avez-vous (?:bien )?reçu|pourriez-vous (?:nous )?(?:confirmer|dire)|(?:han|has|habéis) recibido|recibieron|podr[ií]an confirmar|haben sie .{0,40}erhalten|ist .{0,40}angekommen|vocês receberam|receberam (?:o|a) nosso|natanggap (?:ba|n'?yo|ninyo)|sudah (?:terima|menerima)|adakah (?:anda|pihak \w+) (?:telah )?(?:terima|menerima))\b/iu,
);

export type NotStatementVerdict = { reason: string } | undefined;

function hasCalendar(email: ParsedEmail): boolean {
  return (
    email.partTypes.includes('text/calendar') ||
    email.partTypes.includes('application/ics') ||
    email.attachments.some((a) => a.contentType === 'text/calendar' || a.contentType === 'application/ics' || /\.ics$/i.test(a.filename ?? ''))
  );
}

/** Verdicts that need only the message's structure. */
export function structuralVerdict(email: ParsedEmail, bodyText: string): NotStatementVerdict {
  if (hasCalendar(email)) return { reason: 'a calendar invitation' };
  const hasDocument = email.attachments.some((a) => documentKind(a) !== undefined);
  if (bodyText.trim() || hasDocument || email.attachedMessages.length) return undefined;
  if (email.attachments.length && email.attachments.every((a) => a.contentType.startsWith('image/'))) {
    return { reason: 'only an image attachment and no text (if the image is a statement, type it in from the image)' };
  }
  return { reason: email.attachments.length ? 'no text and no readable document' : 'an empty message' };
}

/**
 * A short note asking about a submission rather than making one, or a short reply in a thread
 * ("Thanks, received!"). `noteText` is the whole text; the caller has found no statement in it.
 */
export function followUpVerdict(email: ParsedEmail, noteText: string): NotStatementVerdict {
  if (countWords(noteText) > MAX_FOLLOW_UP_WORDS) return undefined;
  const isReply = /^\s*(?:re|aw|sv|vs|r|res)\s*:/i.test(email.subject ?? '') || Boolean(email.inReplyTo);
  if (QUERY.test(noteText) || (isReply && noteText.includes('?'))) {
    return { reason: 'a short follow-up about a submission (a question, not a statement)' };
  }
  if (isReply) return { reason: 'a short reply in a thread, with no statement in it' };
  return undefined;
}
