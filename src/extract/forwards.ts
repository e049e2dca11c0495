// Forwarded messages inside a body (Gmail, Outlook, Apple Mail, Thunderbird and their
// translations) and quoted replies. Pure.
import type { EmailAddress } from './parsed-email.ts';
import { findDate } from './dates.ts';

/** A separator line that opens a forwarded or original message. */
const FORWARD_SEPARATOR =
  /^\s*(?:[-–—=_]{2,}\s*(?:forwarded message|original message|forwarded e-?mail|message transféré|message d'origine|mensaje reenviado|mensaje original|mensagem encaminhada|mensagem original|weitergeleitete nachricht|ursprüngliche nachricht|messaggio inoltrato|messaggio originale|doorgestuurd bericht|oorspronkelijk bericht|vidarebefordrat meddelande|mesej dimajukan|pesan yang diteruskan|pesan terusan|ipinasang mensahe|пересылаемое сообщение|пересланное сообщение|исходное сообщение|переслане повідомлення|повідомлення, що пересилається|προωθημένο μήνυμα|αρχικό μήνυμα|iletilen ileti|özgün ileti|przekazana wiadomość|wiadomość oryginalna|tin nhắn đã chuyển tiếp|전달된 메시지|원본 메시지|転送されたメッセージ|転送メッセージ|元のメッセージ|转发的邮件|轉寄的郵件|原始邮件|原始郵件|الرسالة المعاد توجيهها|الرسالة الأصلية|הודעה שהועברה|הודעה מקורית|पुनः प्रेषित संदेश|ข้อความที่ส่งต่อ)\s*[-–—=_]{2,}|begin forwarded message:?|début du message (?:réexpédié|transféré)\s*:?|inicio del mensaje reenviado:?|anfang der weitergeleiteten nachricht:?|_{10,}|-{10,})\s*$/i;

const HEADER_KEYS: Record<string, 'from' | 'date' | 'subject' | 'to' | 'cc'> = {
  from: 'from', de: 'from', von: 'from', da: 'from', van: 'from', dari: 'from', från: 'from', mula: 'from', 'mula kay': 'from',
  date: 'date', sent: 'date', envoyé: 'date', 'envoyé le': 'date', enviado: 'date', 'enviado el': 'date', gesendet: 'date', datum: 'date',
  data: 'date', fecha: 'date', inviato: 'date', verzonden: 'date', skickat: 'date', tarikh: 'date', tanggal: 'date', petsa: 'date',
  subject: 'subject', objet: 'subject', asunto: 'subject', assunto: 'subject', betreff: 'subject', oggetto: 'subject', onderwerp: 'subject',
  ämne: 'subject', perkara: 'subject', subjek: 'subject', paksa: 'subject',
  to: 'to', à: 'to', a: 'to', para: 'to', an: 'to', aan: 'to', till: 'to', kepada: 'to', kay: 'to',
  cc: 'cc', kopie: 'cc', 'reply-to': 'cc',
  // Forward headers as localised mail clients write them.
  от: 'from', від: 'from', od: 'from', kimden: 'from', από: 'from', từ: 'from', 'người gửi': 'from', 보낸사람: 'from', '보낸 사람': 'from',
  差出人: 'from', 送信者: 'from', 发件人: 'from', 發件人: 'from', 寄件者: 'from', 寄件人: 'from', من: 'from', از: 'from', מאת: 'from', प्रेषक: 'from', จาก: 'from',
  дата: 'date', отправлено: 'date', надіслано: 'date', wysłano: 'date', tarih: 'date', gönderildi: 'date', ημερομηνία: 'date', στάλθηκε: 'date',
  ngày: 'date', 'ngày gửi': 'date', 날짜: 'date', '보낸 날짜': 'date', 送信日時: 'date', 日付: 'date', 发送时间: 'date', 發送時間: 'date', 日期: 'date', 时间: 'date',
  寄件日期: 'date', التاريخ: 'date', 'تم الإرسال': 'date', تاریخ: 'date', תאריך: 'date', נשלח: 'date', दिनांक: 'date', วันที่: 'date',
  тема: 'subject', temat: 'subject', konu: 'subject', θέμα: 'subject', 'chủ đề': 'subject', 'tiêu đề': 'subject', 제목: 'subject', 件名: 'subject',
  主题: 'subject', 主題: 'subject', 主旨: 'subject', الموضوع: 'subject', موضوع: 'subject', נושא: 'subject', विषय: 'subject', เรื่อง: 'subject',
  кому: 'to', do: 'to', kime: 'to', προς: 'to', đến: 'to', 받는사람: 'to', '받는 사람': 'to', 宛先: 'to', 收件人: 'to', 收件者: 'to', إلى: 'to', به: 'to', אל: 'to', को: 'to', ถึง: 'to',
  копия: 'cc', 抄送: 'cc', 副本: 'cc', 참조: 'cc', نسخة: 'cc', 'ccn': 'cc',
};
const HEADER_LINE = /^\s*>?\s*\*?([\p{L}\p{M}-]+(?: [\p{L}\p{M}]+)?)\s*\*?\s*[:：]\s*\*?\s*(.*)$/u;

export interface ForwardHeaders {
  from: EmailAddress | undefined;
  date: Date | undefined;
  /** The date as an ISO day when the header's date could only be read as a day. */
  dateIso: string | undefined;
  subject: string | undefined;
}

export interface ForwardSplit {
  /** What the forwarder wrote above the forwarded message. */
  before: string;
  headers: ForwardHeaders;
  /** The forwarded message's body. */
  after: string;
}

function headerKey(line: string): { key: 'from' | 'date' | 'subject' | 'to' | 'cc'; value: string } | undefined {
  const m = HEADER_LINE.exec(line);
  const key = m ? HEADER_KEYS[m[1]!.toLowerCase()] : undefined;
  return key ? { key, value: m![2]!.replace(/\*+$/, '').trim() } : undefined;
}

/** "Name <address>", "address", "Name [mailto:address]" or a bare name. */
export function parseAddress(value: string): EmailAddress | undefined {
  const cleaned = value.replace(/\[mailto:([^\]]+)\]/i, '<$1>').trim();
  const angle = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>/.exec(cleaned);
  if (angle) return { name: angle[1]!.replace(/^["']|["']$/g, '').trim(), address: angle[2]!.toLowerCase() };
  const bare = /^([^\s<>]+@[^\s<>]+)$/.exec(cleaned);
  if (bare) return { name: '', address: bare[1]!.toLowerCase() };
  return cleaned ? { name: cleaned.replace(/^["']|["']$/g, ''), address: '' } : undefined;
}

function parseHeaderDate(value: string): { date: Date | undefined; iso: string | undefined } {
  const cleaned = value.replace(/\s+at\s+/i, ' ').replace(/\s+um\s+/i, ' ').replace(/\s+à\s+/i, ' ');
  const parsed = Date.parse(cleaned);
  const found = findDate(value, undefined);
  if (!Number.isNaN(parsed)) return { date: new Date(parsed), iso: found?.iso };
  return { date: found ? new Date(`${found.iso}T12:00:00Z`) : undefined, iso: found?.iso };
}

/** Reads a header block starting at `start`; returns the headers and the index after them. */
function readHeaderBlock(lines: string[], start: number): { headers: ForwardHeaders; end: number; keys: Set<string> } {
  const headers: ForwardHeaders = { from: undefined, date: undefined, dateIso: undefined, subject: undefined };
  const keys = new Set<string>();
  let i = start;
  let blanks = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      // Clients put a blank line between the separator and the headers, HTML ones between headers.
      if (++blanks > 1 || keys.size >= 3) break;
      i++;
      continue;
    }
    const header = headerKey(line);
    if (!header || keys.has(header.key)) break;
    blanks = 0;
    keys.add(header.key);
    if (header.key === 'from') headers.from = parseAddress(header.value);
    if (header.key === 'date') {
      const { date, iso } = parseHeaderDate(header.value);
      headers.date = date;
      headers.dateIso = iso;
    }
    if (header.key === 'subject') headers.subject = header.value || undefined;
    i++;
  }
  return { headers, end: i, keys };
}

/** The first forwarded message in a body, or undefined when there is none. */
export function splitForward(text: string): ForwardSplit | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const separator = FORWARD_SEPARATOR.test(line);
    if (!separator && headerKey(line)?.key !== 'from') continue;
    const { headers, end, keys } = readHeaderBlock(lines, separator ? i + 1 : i);
    // A bare "From:" line only opens a forward when a date or subject header follows it.
    const enough = separator ? keys.size >= 2 || (keys.size === 0 && /forward|original|weiter|transf|reenv|encamin|inoltr/i.test(line)) : keys.has('from') && keys.size >= 3;
    if (!enough) continue;
    let after = lines.slice(end).join('\n');
    if (/^\s*>/m.test(after) && after.split('\n').filter((l) => l.trim()).every((l) => /^\s*>/.test(l))) {
      after = after.replace(/^\s*> ?/gm, '');
    }
    return { before: lines.slice(0, i).join('\n').trim(), headers, after: after.trim() };
  }
  return undefined;
}

const REPLY_INTRO =
  /^\s*(?:on\b.{4,200}\bwrote:|le\b.{4,200}\ba écrit\s*:|el\b.{4,200}\bescribió:|em\b.{4,200}\bescreveu:|am\b.{4,200}\bschrieb.{0,80}:|il\b.{4,200}\bha scritto:|op\b.{4,200}\bschreef.{0,40}:|pada\b.{4,200}\bmenulis:|noong\b.{4,200}\bsumulat:)\s*$/i;

/** The body without a quoted earlier message ("On ... wrote:" and the "> " lines under it). */
export function stripQuotedReply(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // "On Tue, 1 Mar 2022 at 10:00, Name <a@b>" is often wrapped over two lines before "wrote:".
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]}` : line;
    if (REPLY_INTRO.test(line) || (REPLY_INTRO.test(joined) && /^\s*(on|le|el|em|am|il|op|pada|noong)\b/i.test(line))) break;
    if (/^\s*>/.test(line)) {
      // A run of quoted lines to the end (maybe with blank lines) is the quoted thread.
      if (lines.slice(i).every((l) => !l.trim() || /^\s*>/.test(l))) break;
      continue;
    }
    out.push(line);
  }
  return out.join('\n').trim();
}
