// Mail that came through a mailing list (List-Id, List-Unsubscribe, Precedence: list|bulk).
// Organisations send statements through their own press lists (Mailman, Google Groups,
// Mailchimp), so list mail is read like any other; only a newsletter, digest or marketing mail
// is set aside, on what its text looks like. Pure and cheap: a few regexes over the first
// couple of thousand characters.
import type { ParsedEmail } from './parsed-email.ts';
import { unicodeWords } from './patterns.ts';

export interface MailingList {
  /** The list's name as its headers give it: List-Id's phrase or id, else the Mailing-list or To address. */
  name: string;
  /** Which header showed it. */
  evidence: string;
}

function header(email: ParsedEmail, name: string): string | undefined {
  return email.headers[name]?.[0]?.trim() || undefined;
}

/** The list a message came through, or undefined for mail sent to us directly. */
export function mailingListOf(email: ParsedEmail): MailingList | undefined {
  const listId = header(email, 'list-id');
  if (listId) {
    const phrase = listId.replace(/<[^>]*>/, '').replace(/"/g, '').trim();
    const id = /<([^>]+)>/.exec(listId)?.[1];
    // Mailchimp's List-Id phrase is an opaque hash ("ce90… mailing list"): the To name says more.
    const opaque = /^[0-9a-f]{12,}\b/i.test(phrase);
    const toName = email.to[0]?.name?.trim();
    const name = (opaque ? toName || email.to[0]?.address : phrase) || id || listId;
    return { name: name!, evidence: 'List-Id' };
  }
  const mailingList = header(email, 'mailing-list');
  if (mailingList) return { name: /list\s+(\S+@\S+?);?(?:\s|$)/i.exec(mailingList)?.[1] ?? mailingList, evidence: 'Mailing-list' };
  const precedence = header(email, 'precedence')?.toLowerCase();
  if (precedence === 'list' || precedence === 'bulk' || precedence === 'junk') {
    return { name: email.to[0]?.name || email.to[0]?.address || 'unnamed list', evidence: `Precedence: ${precedence}` };
  }
  if (header(email, 'list-unsubscribe')) return { name: email.from?.name || email.from?.address || 'unnamed list', evidence: 'List-Unsubscribe' };
  return undefined;
}

/** Words that name a periodical rather than a statement, in the languages of our senders. */
const PERIODICAL = unicodeWords(
  /\b(?:newsletter|news ?letter|digest|bulletin|weekly|monthly|round-?up|boletín|boletim|bolettino|notiziario|semanal|mensual|mensal|hebdomadaire|mensuel|lettre d[’']information|infolettre|rundbrief|wochenbrief|intisari|buletin|kabar mingguan|nieuwsbrief|ニュースレター|メールマガジン|뉴스레터|周报|月报|简报|通讯|рассылка|дайджест|бюллетень|информационный листок|نشرة|bülten)\b/iu,
);
/** An issue number: "No. 47", "Nº 112", "N° 214", "Vol 12", "Edisi 4", "Issue 9", "Ausgabe 3". */
const ISSUE_NUMBER = unicodeWords(/(?:\b(?:no|nr|n[º°o]|núm|num|vol|volume|issue|edisi|ausgabe|numéro|número|numero|выпуск|عدد)\.?\s*[:#]?\s*\d{1,4}(?!\d)|[º°]\s*\d{1,4}(?!\d)|#\d{1,4}(?![\d\p{L}]))/iu);
/** A table of contents or a digest's index. */
const CONTENTS = unicodeWords(
  /\b(?:in this (?:issue|edition|newsletter|digest)|today'?s topics|this week'?s (?:stories|news|highlights)|en este número|en esta edición|neste número|nesta edição|au sommaire|dans ce numéro|in dieser ausgabe|in questo numero|dalam edisi ini|isi (?:edisi|buletin)|topik hari ini|send [\w.-]+ mailing list submissions to|when replying, please edit your subject line|в этом выпуске|في هذا العدد|本期|今号の内容|이번 호)\b/iu,
);
/** Marketing: offers and shop language. */
const MARKETING = unicodeWords(/\b(?:\d{1,2}\s?% off|discount code|promo code|shop now|buy now|limited[- ]time offer|free shipping|sale ends|oferta|rabatt|soldes|descuento)\b/iu);

const SAMPLE_CHARS = 2500;

/**
 * Why this list mail is a newsletter, digest or marketing mail rather than a statement, or
 * undefined when it may carry one. Needs two kinds of evidence, or a digest's own markers, so a
 * statement that mentions a bulletin is still read.
 */
export function newsletterReason(email: ParsedEmail, text: string): string | undefined {
  const subject = email.subject ?? '';
  const head = text.slice(0, SAMPLE_CHARS);
  const firstLines = head.split('\n').filter((l) => l.trim()).slice(0, 3).join('\n');
  if (/^multipart\/digest\b/i.test(email.contentType) || email.partTypes.includes('multipart/digest')) return 'a mailing-list digest (multipart/digest)';
  const contents = CONTENTS.test(head);
  const periodical = PERIODICAL.test(subject) || PERIODICAL.test(firstLines);
  const issue = ISSUE_NUMBER.test(subject) || ISSUE_NUMBER.test(firstLines);
  const numberedItems = (head.match(/^\s*\d{1,2}[.)]\s+\S.{0,200}$/gmu) ?? []).length;
  const forwardedItems = (head.match(/^(?:from|subject|de|von|dari|perihal|objet|asunto):\s/gimu) ?? []).length;
  if (contents && (periodical || issue || numberedItems >= 3)) return 'a newsletter or digest (a table of contents)';
  if (periodical && issue) return 'a newsletter or digest (a periodical with an issue number)';
  if (periodical && numberedItems >= 3) return 'a newsletter or digest (a periodical listing several items)';
  if (forwardedItems >= 6 && (periodical || issue)) return 'a mailing-list digest (several messages in one)';
  if (MARKETING.test(subject) || (MARKETING.test(head) && periodical)) return 'marketing mail';
  return undefined;
}
