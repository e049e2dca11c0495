// Decides, on header evidence alone, whether a message is mail no person sent as a submission:
// auto-replies, bounces and delivery reports, mailing-list and newsletter mail. Pure.
import type { ParsedEmail } from './parsed-email.ts';

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
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') {
    return { kind: 'ignored', reason: `list or bulk mail (Precedence: ${precedence})` };
  }
  if (header(email, 'list-id') !== undefined) return { kind: 'ignored', reason: 'mailing-list mail (List-Id header)' };
  if (header(email, 'list-unsubscribe') !== undefined) {
    return { kind: 'ignored', reason: 'newsletter (List-Unsubscribe header)' };
  }
  if (AUTO_REPLY_SUBJECT.test(subject.replace(/^(?:re|aw|sv|vs)\s*:\s*/i, ''))) {
    return { kind: 'ignored', reason: 'auto-reply (out-of-office subject)' };
  }
  return { kind: 'candidate' };
}
