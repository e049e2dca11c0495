import { describe, expect, it } from 'vitest';
import { countWords, emailText, normaliseText } from '../../src/extract/text.ts';
import { makeEmail } from './email-builder.ts';

const LONG = 'We condemn the war and call for peace. '.repeat(10).trim();

describe('emailText', () => {
  it.each([
    ['the plain part when there is one', makeEmail({ text: 'Plain.', html: '<p>Plain.</p>', partTypes: ['multipart/alternative', 'text/plain', 'text/html'] }), 'Plain.'],
    ['the HTML part when there is no plain part (mailparser would have upper-cased headings)', makeEmail({ text: 'TITLE\n\nText', html: '<h1>Title</h1><p>Text</p>', partTypes: ['text/html'] }), 'Title\n\nText'],
    ['the HTML part when the plain part is a stub', makeEmail({ text: 'View this email in your browser.', html: `<p>${LONG}</p>`, partTypes: ['multipart/alternative', 'text/plain', 'text/html'] }), LONG],
    ['the plain part alone', makeEmail({ text: 'Only plain.' }), 'Only plain.'],
  ])('reads %s', (_case, email, expected) => {
    expect(emailText(email)).toBe(expected);
  });
});

describe('normaliseText', () => {
  it('makes line ends, no-break and zero-width spaces plain, and trims lines', () => {
    expect(normaliseText('a\u00a0b\u200b \r\nc  \r\n\r\n\r\n\r\nd')).toBe('a b\nc\n\nd');
  });

  it('composes accents written as combining marks (windows-1258 Vietnamese)', () => {
    expect(normaliseText('Kính g\u01b0\u0309i')).toBe('Kính gửi');
  });

  it('keeps the zero-width non-joiner that separates the parts of a Persian or Urdu word', () => {
    expect(normaliseText('می\u200cخواهیم')).toBe('می\u200cخواهیم');
  });
});

describe('countWords', () => {
  it.each([
    ['Russia’s war — on Ukraine!', 4],
    ['de-escalate the US-NATO plan', 4],
    ['', 0],
    // Combining marks belong to their word (Devanagari vowel signs, Thai tone marks).
    ['पोलित ब्यूरो निंदा करता है', 5],
    // Chinese and Japanese: about two characters a word, so a paragraph is not one word.
    ['工人论坛强烈谴责', 4],
    ['本日の記者会見で発表した', 6],
    // Thai: about four characters a word.
    ['คณะกรรมการสมานฉันท์', 5],
    ["Don't stop--we're 100% with the dock-workers' strike - 24/7.", 10],
  ])('%s has %d words', (text, n) => {
    expect(countWords(text)).toBe(n);
  });

  it('counts ASCII text (its own fast path) as the Unicode word pattern does', () => {
    // Random strings over the characters that matter: letters, digits, joiners, spaces, punctuation.
    const alphabet = "aZ09'- -.,!_\n\t";
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 2000; round++) {
      const text = Array.from({ length: Math.floor(next() * 40) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      expect(countWords(text), JSON.stringify(text)).toBe([...text.matchAll(/[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu)].length);
    }
  });
});
