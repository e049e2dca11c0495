// Plain text of an email for analysis, and small word and line helpers shared by the rules. Pure.
import { htmlToText } from '../html/sanitize.ts';
import type { ParsedEmail } from './parsed-email.ts';

/**
 * The text to analyse: the text/plain part when the sender wrote one, else the HTML as text
 * (mailparser's own HTML-to-text conversion upper-cases headings and hard-wraps lines).
 * Classification and extraction (once more when it reads the documents) each ask for it: it is
 * worked out once per email (a parsed email is not changed after parsing).
 */
export function emailText(email: ParsedEmail): string {
  let text = textOf.get(email);
  if (text === undefined) textOf.set(email, (text = readEmailText(email)));
  return text;
}

const textOf = new WeakMap<ParsedEmail, string>();

function readEmailText(email: ParsedEmail): string {
  const hasPlainPart = email.partTypes.includes('text/plain') || !email.html;
  if (!email.html) return normaliseText(email.text ?? '');
  if (!hasPlainPart || !email.text?.trim()) return normaliseText(htmlToText(email.html));
  // A plain part much shorter than the HTML one ("view this email in your browser") is not the message.
  const plain = normaliseText(email.text);
  const plainWords = countWords(plain);
  if (plainWords >= SHORT_PLAIN_WORDS) return plain;
  const html = normaliseText(htmlToText(email.html));
  return countWords(html) > plainWords * 2 + SHORT_PLAIN_SLACK_WORDS ? html : plain;
}

/** A plain part with fewer words than this is checked against the HTML part. */
const SHORT_PLAIN_WORDS = 200;
const SHORT_PLAIN_SLACK_WORDS = 20;

/** Unix newlines, no trailing spaces, no-break and zero-width spaces made plain. */
export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    // Legacy charsets (windows-1258, some TIS-620 and ISCII conversions) write accents as combining marks.
    .normalize('NFC')
    // Zero-width space, word joiner, BOM, soft hyphen. The zero-width (non-)joiners stay: in Persian,
    // Urdu and Indic scripts they separate or join the parts of a word, and removing them changes the word.
    .replace(/[\u200b\u2060\ufeff\u00ad]/g, '')
    .replace(/[\u00a0\u202f\u2007]/g, ' ')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A word: letters and digits with their combining marks (Indic vowel signs, Thai tone marks, Arabic harakat). */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;
const WORD_WITHOUT_MARKS = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const HAS_MARK = /\p{M}/u;
/** Scripts written without spaces between words: Chinese and Japanese (about two characters a word), Thai, Lao, Khmer and Burmese (about four, marks included). */
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const SEA_CHAR = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/gu;
const HAS_UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const CJK_CHARS_PER_WORD = 2;
const SEA_CHARS_PER_WORD = 4;

const NON_ASCII = /[^\x00-\x7f]/;
const APOSTROPHE = 0x27;
const HYPHEN = 0x2d;

/** Runs of ASCII letters and digits, an apostrophe or hyphen between two of them joining them into one word. */
function countAsciiWords(text: string): number {
  let n = 0;
  let inWord = false;
  let joining = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 0x20;
    if ((c >= 0x30 && c <= 0x39) || (lower >= 0x61 && lower <= 0x7a)) {
      if (!inWord && !joining) n++;
      inWord = true;
      joining = false;
    } else {
      joining = inWord && (c === APOSTROPHE || c === HYPHEN);
      inWord = false;
    }
  }
  return n;
}

function countMatches(text: string, regex: RegExp): number {
  let n = 0;
  for (const _ of text.matchAll(regex)) n++;
  return n;
}

/**
 * Words in `text`. In scripts without spaces between words a run counts as its length in
 * characters over a typical word length, so that a paragraph in Chinese or Thai is not taken
 * for a one-word heading.
 */
export function countWords(text: string): number {
  // Most text the rules count is plain ASCII, and they count it often (every line and block of
  // every draft): a loop over its characters is several times faster than the pattern and makes
  // no garbage. It counts exactly what WORD_WITHOUT_MARKS finds in ASCII (test/extract/text.test.ts).
  if (!NON_ASCII.test(text)) return countAsciiWords(text);
  let n = 0;
  if (!HAS_UNSPACED.test(text)) {
    // Most text has no combining marks once composed (NFC): the simpler pattern is three times faster.
    for (const _ of text.matchAll(HAS_MARK.test(text) ? WORD : WORD_WITHOUT_MARKS)) n++;
    return n;
  }
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    if (!HAS_UNSPACED.test(word)) {
      n++;
      continue;
    }
    const cjk = countMatches(word, CJK_CHAR);
    const sea = countMatches(word, SEA_CHAR);
    n += Math.max(1, Math.ceil(cjk / CJK_CHARS_PER_WORD) + Math.ceil(sea / SEA_CHARS_PER_WORD) + (cjk + sea < word.length ? 1 : 0));
  }
  return n;
}

export function splitBlocks(text: string): string[][] {
  return text
    .split(/\n\s*\n/)
    .map((block) => block.split('\n').filter((line) => line.trim() !== ''))
    .filter((block) => block.length > 0);
}

export function joinBlocks(blocks: string[][]): string {
  return blocks.map((b) => b.join('\n')).join('\n\n');
}

/** Collapses whitespace runs to one space and trims. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
