import { describe, expect, it } from 'vitest';
import { parseAddress, splitForward, stripQuotedReply } from '../../src/extract/forwards.ts';

const STATEMENT = 'Our statement text.\n\nSecond paragraph.';

describe('splitForward', () => {
  it.each([
    ['Gmail', `Note.\n\n---------- Forwarded message ---------\nFrom: Org Name <press@org.example.org>\nDate: Thu, 24 Feb 2022 at 21:14\nSubject: The statement\nTo: <me@example.net>\n\n\n${STATEMENT}`, '2022-02-24'],
    ['Outlook desktop', `Note.\n\n________________________________\nFrom: Org Name <press@org.example.org>\nSent: Friday, February 25, 2022 7:32 PM\nTo: Me <me@example.net>\nSubject: The statement\n\n${STATEMENT}`, '2022-02-25'],
    ['Outlook without a rule', `Note.\n\nFrom: Org Name [mailto:press@org.example.org]\nSent: 25 February 2022 10:00\nTo: Me\nSubject: The statement\n\n${STATEMENT}`, '2022-02-25'],
    ['Apple Mail', `Note.\n\nBegin forwarded message:\n\nFrom: Org Name <press@org.example.org>\nSubject: The statement\nDate: 28 February 2022 at 10:02:11 GMT+7\nTo: Me <me@example.net>\n\n${STATEMENT}`, '2022-02-28'],
    ['Thunderbird', `Note.\n\n-------- Forwarded Message --------\nSubject: The statement\nDate: Tue, 8 Mar 2022 07:30:00 +0800\nFrom: Org Name <press@org.example.org>\nTo: Me <me@example.net>\n\n${STATEMENT}`, '2022-03-08'],
    ['French Outlook', `Note.\n\n-------- Message transféré --------\nDe : Org Name <press@org.example.org>\nEnvoyé : mercredi 2 mars 2022 10:00\nÀ : Moi\nObjet : The statement\n\n${STATEMENT}`, '2022-03-02'],
    ['Spanish Gmail', `Nota.\n\n---------- Mensaje reenviado ---------\nDe: Org Name <press@org.example.org>\nDate: mar, 1 mar 2022 a las 20:45\nSubject: The statement\nTo: <me@example.net>\n\n${STATEMENT}`, '2022-03-01'],
  ])('reads a %s forward', (_client, text, day) => {
    const split = splitForward(text)!;
    expect(split).toBeDefined();
    expect(split.before.replace(/\s+/g, ' ')).toMatch(/^(Note|Nota)\.$/);
    expect(split.after).toBe(STATEMENT);
    expect(split.headers.from).toEqual({ name: 'Org Name', address: 'press@org.example.org' });
    expect(split.headers.subject).toBe('The statement');
    expect(split.headers.dateIso ?? split.headers.date?.toISOString().slice(0, 10)).toBe(day);
  });

  it('unquotes a forward whose lines all start with ">"', () => {
    const split = splitForward('FYI\n\n-------- Forwarded Message --------\n> From: A <a@example.org>\n> Subject: S\n> Date: 2 March 2022\n>\n> Line one.\n> Line two.');
    expect(split?.after).toBe('Line one.\nLine two.');
  });

  it.each([
    'From: the river to the sea, a slogan line\nAnd the statement goes on.',
    'We spoke to them.\n----------\nAnother section of the statement.',
  ])('finds no forward in ordinary text: %s', (text) => {
    expect(splitForward(text)).toBeUndefined();
  });
});

describe('stripQuotedReply', () => {
  it.each([
    ['Reply text.\n\nOn Tue, 1 Mar 2022 at 10:00, Someone <a@example.org> wrote:\n> quoted\n> more', 'Reply text.'],
    ['Reply text.\n\nOn Tue, 1 Mar 2022 at 10:00, Someone <a@example.org>\nwrote:\n> quoted', 'Reply text.'],
    ['Réponse.\n\nLe mar. 1 mars 2022 à 10:00, Quelqu’un <a@example.org> a écrit :\n> cité', 'Réponse.'],
    ['Respuesta.\n\nEl mar, 1 mar 2022 a las 10:00, Alguien (<a@example.org>) escribió:\n> citado', 'Respuesta.'],
    ['Text.\n\n> quoted line\n> another', 'Text.'],
    ['Text with > sign inside.', 'Text with > sign inside.'],
  ])('strips the quoted part of %#', (text, expected) => {
    expect(stripQuotedReply(text)).toBe(expected);
  });
});

describe('parseAddress', () => {
  it.each([
    ['Org Name <press@org.example.org>', { name: 'Org Name', address: 'press@org.example.org' }],
    ['"Org, Name" <Press@Org.example.org>', { name: 'Org, Name', address: 'press@org.example.org' }],
    ['press@org.example.org', { name: '', address: 'press@org.example.org' }],
    ['Org Name [mailto:press@org.example.org]', { name: 'Org Name', address: 'press@org.example.org' }],
    ['Org Name', { name: 'Org Name', address: '' }],
  ])('reads %s', (value, expected) => {
    expect(parseAddress(value)).toEqual(expected);
  });
});
