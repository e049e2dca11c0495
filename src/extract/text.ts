// Plain text of an email for analysis, and small word and line helpers shared by the rules. Pure.
import { htmlToText } from '../html/sanitize.ts';
import type { ParsedEmail } from '../ingest/parsed-email.ts';

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
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '')
    .replace(/[\u00a0\u202f\u2007]/g, ' ')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function countWords(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)) n++;
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
