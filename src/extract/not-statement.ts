// Messages that reach content analysis but carry no statement: calendar invitations, empty or
// image-only messages, and short follow-ups such as "did you receive our statement?". They are
// kept and shown to editors, never drafted. Pure.
import type { ParsedEmail } from './parsed-email.ts';
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

/** Account, bank and login words of a phishing mail about a "statement", in several languages. */
const PHISHING_ACCOUNT = unicodeWords(
  /\b(?:(?:account|bank|card|e-?|monthly|online) statement|e-?statement|online banking|dear (?:valued )?(?:customer|client|user|member)|relevé (?:de compte|bancaire)|extracto (?:bancario|de cuenta)|extrato (?:bancário|da conta)|kontoauszug|estratto conto|rekening koran|e-?statement|выписка по счету|كشف الحساب|ใบแจ้งยอด)\b/iu,
);
const PHISHING_PRESSURE = unicodeWords(
  /\b(?:verify (?:your )?(?:account|identity|details|information)|confirm (?:your )?(?:account|identity|details|password|information)|(?:will|may) be (?:suspended|closed|locked|limited|terminated)|(?:to avoid|avoid) (?:suspension|closure|being locked)|within (?:24|48|72) hours|unusual (?:activity|sign-?in)|(?:temporarily )?(?:limited|suspended|restricted) access|access (?:to your [\w -]{1,30})?has been (?:temporarily )?(?:limited|suspended|restricted)|update your (?:billing|payment|account) (?:details|information)|log ?in to (?:restore|unlock|verify)|permanent(?:ly)? clos(?:ure|ed)|vérifie[rz] votre compte|verifique su cuenta|verifique sua conta|konto (?:bestätigen|verifizieren)|verifikasi akun|подтвердите (?:учетную запись|данные))\b/iu,
);
/** A link to a bare IP address or to a login, verify or password page. */
const CREDENTIAL_LINK = /https?:\/\/(?:\d{1,3}(?:\.\d{1,3}){3}|[^\s/]*(?:verify|secure|login|signin|account|update)[^\s/]*)(?:[/:?#]\S*)?|https?:\/\/\S*\/(?:login|signin|verify|webscr|account\/(?:verify|update))\b/i;

function domainOf(address: string | undefined): string | undefined {
  return address?.toLowerCase().split('@')[1];
}

function registrable(domain: string): string {
  return domain.split('.').slice(-2).join('.');
}

/**
 * Obvious phishing: a bank or account "statement" mail that presses for a login or verification,
 * with a credential link or a Reply-To on another domain. Two kinds of evidence are needed, so a
 * union's statement about banks is not caught.
 */
export function phishingVerdict(email: ParsedEmail, text: string): NotStatementVerdict {
  const sample = `${email.subject ?? ''}\n${text.slice(0, 3000)}`;
  const account = PHISHING_ACCOUNT.test(sample);
  const pressure = PHISHING_PRESSURE.test(sample);
  const link = CREDENTIAL_LINK.test(sample) || CREDENTIAL_LINK.test(email.html?.slice(0, 20_000) ?? '');
  const from = domainOf(email.from?.address);
  const replyTo = email.replyTo.map((a) => domainOf(a.address)).find((d) => d && from && registrable(d) !== registrable(from));
  const signals = [account, pressure, link, Boolean(replyTo)].filter(Boolean).length;
  if (!(account && signals >= 2) && !(pressure && signals >= 3)) return undefined;
  const why = [account && 'an account or bank "statement"', pressure && 'pressure to verify or log in', link && 'a login link', replyTo && `replies go to ${replyTo}`].filter(Boolean);
  return { reason: `phishing: ${why.join(', ')}` };
}
