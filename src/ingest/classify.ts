// Decides whether a message is mail no person sent as a submission: auto-replies, bounces and
// delivery reports and spam on header evidence alone; list mail (List-Id, List-Unsubscribe,
// Precedence: list|bulk) only when its text reads as a newsletter, digest or marketing mail,
// because organisations send statements through their own press lists too. Pure.
import { mailingListOf, newsletterReason } from '../extract/mailing-list.ts';
import { emailText } from '../extract/text.ts';
import type { ParsedEmail } from '../extract/parsed-email.ts';

export type Classification = { kind: 'candidate' } | { kind: 'ignored'; reason: string };

/** Out-of-office and auto-reply subjects in the languages our senders write in. */
const AUTO_REPLY_SUBJECT =
  /^(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|out of (?:the )?office|away from (?:the )?office|on vacation|vacation reply|abwesenheitsnotiz|automatische antwort|réponse automatique|absence du bureau|respuesta automática|fuera de la oficina|risposta automatica|fuori ufficio|resposta automática|ausente do escritório|automatisch antwoord|afwezigheidsmelding|autosvar|automaattinen vastaus|odpowiedź automatyczna|автоматический ответ|自动回复|自動応答|tự động trả lời|sagot na awtomatiko)\b/iu;

const BOUNCE_SENDER = /^(?:mailer-daemon|postmaster|mail-daemon|bounce[s]?)(?:@|$)/i;
const BOUNCE_SUBJECT =
  /^(?:undeliver(?:ed|able)(?: mail)?|delivery status notification|mail delivery (?:failed|failure|system)|returned mail|failure notice|delivery failure|non[- ]?delivery)/i;

function header(email: ParsedEmail, name: string): string | undefined {
  return email.headers[name]?.[0]?.trim();
}

/** A spam verdict left by a receiving server: SpamAssassin, rspamd, Gmail's label. */
export function spamVerdict(email: ParsedEmail): string | undefined {
  const flag = header(email, 'x-spam-flag');
  if (flag && /^yes\b/i.test(flag)) return 'spam (X-Spam-Flag: YES)';
  const status = header(email, 'x-spam-status');
  if (status && /^yes\b/i.test(status)) return 'spam (X-Spam-Status: Yes)';
  const rspamd = header(email, 'x-spam');
  if (rspamd && /^yes\b/i.test(rspamd)) return 'spam (X-Spam: Yes)';
  const labels = header(email, 'x-gmail-labels');
  if (labels && /(?:^|,)\s*"?\\{0,2}spam"?\s*(?:,|$)/i.test(labels)) return 'spam (Gmail label Spam)';
  return undefined;
}

export function classifyMessage(email: ParsedEmail): Classification {
  const autoSubmitted = header(email, 'auto-submitted')?.toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') {
    return { kind: 'ignored', reason: `auto-reply (Auto-Submitted: ${autoSubmitted})` };
  }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-response-suppress-reply']) {
    if (header(email, name) !== undefined) return { kind: 'ignored', reason: `auto-reply (${name} header)` };
  }
  if (/^(?:multipart\/report)\b/.test(email.contentType)) {
    const reportType = /report-type\s*=\s*"?([\w-]+)/.exec(email.contentType)?.[1] ?? 'report';
    return { kind: 'ignored', reason: `bounce or delivery report (multipart/report; report-type=${reportType})` };
  }
  if (email.partTypes.includes('message/delivery-status')) {
    return { kind: 'ignored', reason: 'bounce or delivery report (message/delivery-status part)' };
  }
  const from = email.from?.address ?? '';
  if (BOUNCE_SENDER.test(from)) return { kind: 'ignored', reason: `bounce (sent by ${from.split('@')[0]})` };
  const returnPath = header(email, 'return-path');
  const subject = email.subject ?? '';
  if (returnPath === '<>' && BOUNCE_SUBJECT.test(subject)) {
    return { kind: 'ignored', reason: 'bounce (null Return-Path and a delivery-failure subject)' };
  }
  const precedence = header(email, 'precedence')?.toLowerCase();
  if (precedence === 'auto_reply') return { kind: 'ignored', reason: 'auto-reply (Precedence: auto_reply)' };
  if (AUTO_REPLY_SUBJECT.test(subject.replace(/^(?:re|aw|sv|vs)\s*:\s*/i, ''))) {
    return { kind: 'ignored', reason: 'auto-reply (out-of-office subject)' };
  }
  const spam = spamVerdict(email);
  if (spam) return { kind: 'ignored', reason: spam };
  const list = mailingListOf(email);
  if (list) {
    // Read, not dropped: only a newsletter, digest or marketing mail is set aside here.
    const why = newsletterReason(email, emailText(email));
    if (why) return { kind: 'ignored', reason: `${why}, from the mailing list "${list.name}" (${list.evidence})` };
  }
  return { kind: 'candidate' };
}
