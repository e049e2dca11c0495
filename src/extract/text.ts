// Plain text of an email for analysis, and small word and line helpers shared by the rules. Pure.
import { htmlToText } from '../html/sanitize.ts';
import type { ParsedEmail } from '../ingest/parsed-email.ts';

/**
 * The text to analyse: the text/plain part when the sender wrote one, else the HTML as text
 * (mailparser's own HTML-to-text conversion upper-cases headings and hard-wraps lines).
 */
export function emailText(email: ParsedEmail): string {
  const hasPlainPart = email.partTypes.includes('text/plain') || !email.html;
  const text = hasPlainPart && email.text?.trim() ? email.text : email.html ? htmlToText(email.html) : (email.text ?? '');
  return normaliseText(text);
}

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
