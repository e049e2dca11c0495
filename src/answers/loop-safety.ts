// Whether an acknowledgement may go to the sender of a message: never to automated mail, lists,
// bounces, ourselves or a reply to our own mail; never for history (a mailbox's first sync, mail
// dated before the start point); at most ACKS_PER_SENDER_PER_DAY a day. Pure: the caller reads
// the counts and the start point from the database, this decides. One test per rule
// (test/answers/loop-safety.test.ts).

export const ACKS_PER_SENDER_PER_DAY = 3;

/** What of a message the rules look at. Header names lower-case, values as parsed. */
export interface AckCandidate {
  headers: Record<string, string[] | undefined>;
  fromAddress: string | null;
  /** The pipeline judged it not a statement (it is then not drafted either). */
  notStatement: boolean;
  /** The Date header, else when we stored it. */
  datedAt: Date;
}

export interface AckContext {
  /** Addresses we send from or read (MAIL_FROM, SMTP_USER, IMAP_USER), any case. */
  ourAddresses: readonly string[];
  /** Acknowledgements to this sender (pending or sent) in the last 24 hours. */
  acksToSenderLastDay: number;
  /** The message was already in the mailbox at its first sync, or came from an import. */
  history: boolean;
  /** Mail dated before this is not answered; null: no start point is known, nothing is answered. */
  answerFrom: Date | null;
}

export type AckRule =
  | 'no_sender'
  | 'auto_submitted'
  | 'precedence'
  | 'list_id'
  | 'bounce'
  | 'auto_reply_header'
  | 'empty_return_path'
  | 'robot_sender'
  | 'our_address'
  | 'spam'
  | 'not_statement'
  | 'reply_to_our_mail'
  | 'history'
  | 'before_start'
  | 'rate_limit';

export type AckDecision = { send: true } | { send: false; rule: AckRule; reason: string };

/** Local parts that no person reads. */
const ROBOT_LOCAL_PART = /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster)(?:[-_+.].*)?$/i;
/** Message-IDs of the mail we send (see outbox-mail.ts): a reply to one is never acknowledged. */
export const OUR_MESSAGE_ID = /^sd-(?:ack|published)-[0-9a-f-]{36}@/i;

function first(headers: AckCandidate['headers'], name: string): string | undefined {
  return headers[name]?.[0]?.trim();
}

/** Every Message-ID named in In-Reply-To and References, without angle brackets. */
export function threadIds(headers: AckCandidate['headers']): string[] {
  const ids: string[] = [];
  for (const name of ['in-reply-to', 'references']) {
    for (const value of headers[name] ?? []) for (const m of value.matchAll(/<([^<>\s]+)>/g)) ids.push(m[1]!);
  }
  return [...new Set(ids)];
}

export function decideAcknowledgement(message: AckCandidate, context: AckContext): AckDecision {
  const no = (rule: AckRule, reason: string): AckDecision => ({ send: false, rule, reason });
  const h = message.headers;
  const from = message.fromAddress?.trim().toLowerCase() ?? '';
  if (!from || !from.includes('@')) return no('no_sender', 'the email names no sender address');
  const autoSubmitted = first(h, 'auto-submitted')?.toLowerCase();
  if (autoSubmitted && !/^no\b/.test(autoSubmitted)) return no('auto_submitted', `automated mail (Auto-Submitted: ${autoSubmitted})`);
  const precedence = first(h, 'precedence')?.toLowerCase();
  if (precedence && /^(?:bulk|junk|list|auto_reply)$/.test(precedence)) return no('precedence', `bulk or list mail (Precedence: ${precedence})`);
  if (first(h, 'list-id') !== undefined) return no('list_id', 'mailing-list mail (List-Id)');
  const contentType = first(h, 'content-type')?.toLowerCase() ?? '';
  if (/^multipart\/report\b/.test(contentType) || /^message\/delivery-status\b/.test(contentType) || first(h, 'x-failed-recipients') !== undefined) {
    return no('bounce', 'a bounce or delivery report');
  }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    if (first(h, name) !== undefined) return no('auto_reply_header', `an automatic reply (${name})`);
  }
  const returnPaths = h['return-path'];
  if (returnPaths && returnPaths.some((value) => /^\s*<?\s*>?\s*$/.test(value))) return no('empty_return_path', 'an empty Return-Path (<>): bounces and automated mail');
  const local = from.slice(0, from.lastIndexOf('@'));
  if (ROBOT_LOCAL_PART.test(local)) return no('robot_sender', `sent from an address no person reads (${local}@…)`);
  if (context.ourAddresses.some((a) => a.trim().toLowerCase() === from)) return no('our_address', 'sent from our own address');
  const spamFlag = first(h, 'x-spam-flag')?.toLowerCase();
  const spamStatus = first(h, 'x-spam-status')?.toLowerCase();
  if (spamFlag === 'yes' || spamStatus?.startsWith('yes')) return no('spam', 'judged spam by the receiving server');
  if (message.notStatement) return no('not_statement', 'not a statement');
  if (threadIds(h).some((id) => OUR_MESSAGE_ID.test(id))) return no('reply_to_our_mail', 'a reply to our own acknowledgement');
  if (context.history) return no('history', 'already in the mailbox when the service first read it');
  if (!context.answerFrom) return no('before_start', 'no start point is recorded for its mailbox');
  if (message.datedAt.getTime() < context.answerFrom.getTime()) {
    return no('before_start', `dated before acknowledgements started (${context.answerFrom.toISOString()})`);
  }
  if (context.acksToSenderLastDay >= ACKS_PER_SENDER_PER_DAY) {
    return no('rate_limit', `this sender already got ${ACKS_PER_SENDER_PER_DAY} acknowledgements in the last 24 hours`);
  }
  return { send: true };
}
