// The one module that imports mailparser (CONVENTIONS 11: mailparser is in maintenance mode and
// postal-mime is its successor; a replacement touches this file only).
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { storableDate } from '../extract/dates.ts';
import type { EmailAddress, ParsedAttachment, ParsedEmail } from '../extract/parsed-email.ts';

/** Forwarded messages inside forwarded messages: deeper nesting is kept as a plain attachment. */
const MAX_ATTACHED_MESSAGE_DEPTH = 3;

export async function parseMessage(raw: Buffer, depth = 0): Promise<ParsedEmail> {
  const mail = await simpleParser(raw, {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    // Leave `cid:` image links in the HTML as they are, instead of copying every inline image
    // into it as a base64 data: URI (the sanitiser drops those images anyway). Attached
    // message/rfc822 parts are parsed by toParsedEmail below; this option does not concern them.
    keepCidLinks: true,
    // mailparser hashes every attachment as it decodes it (MD5 by default): ask for the SHA-256
    // we store, rather than hashing each attachment a second time (toAttachment).
    checksumAlgo: 'sha256',
    // mailparser turns an HTML part into text with html-to-text (a whole DOM, then formatting):
    // about a sixth of its parse time on the corpus. The pipeline never reads that text: the
    // analysis text comes from the HTML itself (extract/text.ts emailText), and so does the
    // stored text of an HTML-only email (prepare-message.ts).
    skipHtmlToText: true,
  } as Parameters<typeof simpleParser>[1]);
  return toParsedEmail(mail, raw, depth);
}

/** mailparser's simpleParser alone, with its defaults: the benchmark's baseline (bench/ingest.ts). */
export async function parseWithMailparserDefaults(raw: Buffer): Promise<void> {
  await simpleParser(raw);
}

async function toParsedEmail(mail: ParsedMail, raw: Buffer, depth: number): Promise<ParsedEmail> {
  const attachments: ParsedAttachment[] = [];
  const attachedMessages: ParsedEmail[] = [];
  for (const attachment of mail.attachments ?? []) {
    const type = (attachment.contentType || 'application/octet-stream').toLowerCase();
    if (type === 'message/rfc822' && depth < MAX_ATTACHED_MESSAGE_DEPTH) {
      try {
        attachedMessages.push(await parseMessage(attachment.content, depth + 1));
        continue;
      } catch {
        // An attached message we cannot parse stays an ordinary attachment.
      }
    }
    attachments.push(toAttachment(attachment, type));
  }
  const headers = collectHeaders(mail);
  return {
    messageId: cleanMessageId(mail.messageId),
    inReplyTo: cleanMessageId(typeof mail.inReplyTo === 'string' ? mail.inReplyTo : undefined),
    references: (Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [])
      .map((r) => cleanMessageId(r))
      .filter((r): r is string => Boolean(r)),
    subject: mail.subject?.trim() || undefined,
    // A year PostgreSQL cannot store (10000, say) is no date at all; the header itself is kept.
    date: storableDate(mail.date),
    from: firstAddress(mail.from),
    sender: firstAddress(mail.headers.get('sender') as AddressObject | undefined),
    replyTo: addresses(mail.replyTo),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    headers,
    contentType: headers['content-type']?.[0]?.toLowerCase() ?? 'text/plain',
    partTypes: listPartTypes(raw),
    text: mail.text?.length ? mail.text : undefined,
    html: typeof mail.html === 'string' && mail.html.length ? mail.html : undefined,
    attachments,
    attachedMessages,
    raw,
  };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function toAttachment(attachment: Attachment, type: string): ParsedAttachment {
  const content = attachment.content ?? Buffer.alloc(0);
  return {
    filename: attachment.filename || undefined,
    contentType: type,
    size: content.length,
    sha256: SHA256_HEX.test(attachment.checksum ?? '') ? attachment.checksum : createHash('sha256').update(content).digest('hex'),
    content,
    contentId: attachment.contentId?.replace(/^<|>$/g, '') || undefined,
    inline: attachment.contentDisposition === 'inline' || Boolean(attachment.related),
  };
}

function collectHeaders(mail: ParsedMail): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const { key, line } of mail.headerLines ?? []) {
    const colon = line.indexOf(':');
    const value = decodeWords(line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
    (headers[key.toLowerCase()] ??= []).push(value);
  }
  return headers;
}

/** RFC 2047 encoded words in a raw header value; undecodable words are left as they are. */
function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(\s+(?==\?))?/g, (word, charset: string, enc: string, text: string) => {
    try {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            );
      return new TextDecoder(charset.split('*')[0]!.trim().toLowerCase()).decode(bytes);
    } catch {
      return word;
    }
  });
}

/**
 * Every Content-Type named in the raw structure (cheap scan; used by classification): each line
 * that starts "Content-Type:" (any case), as /^content-type:\s*(type\/subtype)/gim finds them,
 * lines being ended by LF as mailparser reads them. Read from the bytes, going from line to line
 * with indexOf: decoding a whole message (attachments and all) to scan it took as long as a
 * tenth of mailparser's parse, and a loop over every byte a twentieth.
 */
function listPartTypes(raw: Buffer): string[] {
  const found = new Set<string>();
  const end = raw.length;
  for (let at = 0; at < end; at = nextLine(raw, at)) {
    if ((raw[at]! | 0x20) !== CONTENT_TYPE[0]) continue;
    let i = 1;
    for (; i < CONTENT_TYPE.length && at + i < end; i++) {
      const want = CONTENT_TYPE[i]!;
      const got = raw[at + i]!;
      if (want >= 0x61 ? (got | 0x20) !== want : got !== want) break;
    }
    if (i < CONTENT_TYPE.length) continue;
    let next = at + CONTENT_TYPE.length;
    while (next < end && IS_SPACE[raw[next]!]) next++;
    const start = next;
    while (next < end && IS_TYPE_CHAR[raw[next]!]) next++;
    if (next === start || raw[next] !== SLASH) continue;
    const subtype = ++next;
    while (next < end && IS_TYPE_CHAR[raw[next]!]) next++;
    if (next > subtype) found.add(raw.toString('latin1', start, next).toLowerCase());
  }
  return [...found];
}

/** Where the line after the one at `at` starts; the end of `raw` after its last line. */
function nextLine(raw: Buffer, at: number): number {
  const lf = raw.indexOf(LF, at);
  return lf < 0 ? raw.length : lf + 1;
}

const LF = 0x0a;
const SLASH = 0x2f;
/** "content-type:", lower case: letters compare in either case, the rest exactly. */
const CONTENT_TYPE = Buffer.from('content-type:', 'latin1');
/** Bytes of a type or subtype name ([a-z0-9!#$&^_.+-], either case). */
const IS_TYPE_CHAR = byteSet('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&^_.+-');
/** What \s matches in a latin1 string: tab, line feed, vertical tab, form feed, carriage return, space, no-break space. */
const IS_SPACE = byteSet('\t\n\v\f\r \u00a0');

function byteSet(chars: string): Uint8Array {
  const set = new Uint8Array(256);
  for (const char of chars) set[char.charCodeAt(0)] = 1;
  return set;
}

function cleanMessageId(id: string | undefined): string | undefined {
  const trimmed = id?.trim();
  return trimmed ? trimmed.replace(/^<|>$/g, '') || undefined : undefined;
}

function addresses(value: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const out: EmailAddress[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else if (entry.address || entry.name) out.push({ name: entry.name ?? '', address: (entry.address ?? '').toLowerCase() });
    }
  };
  for (const item of list) visit(item.value ?? []);
  return out;
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): EmailAddress | undefined {
  return addresses(value)[0];
}
