import { describe, expect, it } from 'vitest';
import { CLOSING, COVER_PHRASE, GREETING, ORGANISATION_WORD, unicodeWords } from '../../src/extract/patterns.ts';

describe('unicodeWords', () => {
  it.each([
    ['Comité de solidarité', true],
    ['Unión de trabajadores', true],
    ['a reunion of friends', false],
    ['the partying went on', false],
  ])('makes word boundaries work around accented letters: %s -> %s', (text, expected) => {
    expect(ORGANISATION_WORD.test(text)).toBe(expected);
  });

  it('turns a \\b after a quantifier into a word start', () => {
    const regex = unicodeWords(/when .{0,20}\bpublié\b/iu);
    expect(regex.test('when will it be publié ?')).toBe(true);
    expect(regex.test('when will it be republiée')).toBe(false);
  });
});

describe('greetings, closings and cover phrases', () => {
  it.each(['Dear editors,', 'Hi all,', 'Good day, editors!', 'Chers camarades,', 'Estimados compañeros:', 'Kumusta!', 'Salam,'])('greeting: %s', (line) => {
    expect(GREETING.test(line)).toBe(true);
  });

  it.each(['Regards,', 'Warm regards,', 'In solidarity,', 'Thank you and best regards,', 'Salutations fraternelles,', 'Saludos cordiales,', 'Maraming salamat po,', 'Mit solidarischen Grüßen'])('closing: %s', (line) => {
    expect(CLOSING.test(line)).toBe(true);
  });

  it.each(['Regardless of the outcome, we will fight on.', 'Thanks to the workers of the port, the strike held.'])('not a closing: %s', (line) => {
    expect(CLOSING.test(line)).toBe(false);
  });

  it.each([
    'Please find below our statement.',
    'Attached is the statement of our party.',
    'Forwarding the statement below for your page.',
    'Vous trouverez ci-dessous notre communiqué.',
    'Adjunto nuestro comunicado.',
    'Terlampir kenyataan media kami.',
  ])('cover phrase: %s', (text) => {
    expect(COVER_PHRASE.test(text)).toBe(true);
  });

  it.each(['We hope for peace, and we work for it.', 'The workers below the poverty line suffer most.'])('not a cover phrase: %s', (text) => {
    expect(COVER_PHRASE.test(text)).toBe(false);
  });
});
