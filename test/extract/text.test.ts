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
});

describe('countWords', () => {
  it.each([
    ['Russia’s war — on Ukraine!', 4],
    ['de-escalate the US-NATO plan', 4],
    ['', 0],
  ])('%s has %d words', (text, n) => {
    expect(countWords(text)).toBe(n);
  });
});
