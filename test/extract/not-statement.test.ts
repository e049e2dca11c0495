import { describe, expect, it } from 'vitest';
import { extractStatement } from '../../src/extract/extract-statement.ts';
import { followUpVerdict, structuralVerdict } from '../../src/extract/not-statement.ts';
import { makeEmail } from './email-builder.ts';

const image = { filename: 'image001.png', contentType: 'image/png', size: 10, sha256: 'x', content: Buffer.alloc(10), contentId: undefined, inline: false };
const pdf = { ...image, filename: 'statement.pdf', contentType: 'application/pdf' };

describe('structuralVerdict', () => {
  it.each([
    ['a calendar invitation', makeEmail({ partTypes: ['multipart/alternative', 'text/plain', 'text/calendar'] }), 'some text', /calendar/],
    ['an .ics attachment', makeEmail({ attachments: [{ ...image, filename: 'invite.ics', contentType: 'application/octet-stream' }] }), 'text', /calendar/],
    ['an image and no text', makeEmail({ attachments: [image] }), '', /image/],
    ['an empty message', makeEmail(), '  ', /empty/],
  ])('flags %s', (_case, email, text, reason) => {
    expect(structuralVerdict(email, text)?.reason).toMatch(reason);
  });

  it.each([
    ['text', makeEmail(), 'A statement.'],
    ['only a PDF', makeEmail({ attachments: [pdf] }), ''],
    ['only a forwarded message', makeEmail({ attachedMessages: [makeEmail()] }), ''],
  ])('lets a message with %s through', (_case, email, text) => {
    expect(structuralVerdict(email, text)).toBeUndefined();
  });
});

describe('followUpVerdict', () => {
  it.each([
    ['Hello again, we emailed our statement last Friday. Could you let us know whether it arrived?', 'Re: our statement'],
    ['Did you receive our statement? Thanks.', 'Statement'],
    ['When will our statement be published on your site?', 'question'],
    ['Bonjour, avez-vous reçu notre communiqué ?', 'Communiqué'],
    ['Hola, ¿han recibido nuestro comunicado?', 'Comunicado'],
    ['Any update on the statement we sent?', 'Re: statement'],
    ['Can you tell us when it will go up on the website?', 'Our statement'],
    ['Just checking whether you got our statement. Kindly confirm.', 'Statement'],
    ['Has our statement reached you? We sent it on Monday.', 'PLM'],
  ])('flags %s', (text, subject) => {
    expect(followUpVerdict(makeEmail({ subject }), text)).toBeDefined();
  });

  it('does not flag a short statement', () => {
    expect(followUpVerdict(makeEmail({ subject: 'Statement' }), 'We condemn the arrest of the strike leaders and demand their release.')).toBeUndefined();
  });

  it('does not flag a long text that happens to ask a question', () => {
    const long = `${'We demand peace and justice for all workers. '.repeat(30)} Did you receive our statement?`;
    expect(followUpVerdict(makeEmail({ subject: 'Re: x' }), long)).toBeUndefined();
  });
});

describe('followUpVerdict: short replies', () => {
  it('flags a short thank-you reply in a thread', () => {
    expect(followUpVerdict(makeEmail({ subject: 'Re: Your statement', inReplyTo: 'x@example.org' }), 'Thank you, we have published it.')?.reason).toMatch(/short reply/);
  });

  it('does not flag a short message that is not a reply', () => {
    expect(followUpVerdict(makeEmail({ subject: 'Solidarity' }), 'Thank you for your work.')).toBeUndefined();
  });
});

describe('extractStatement when an editor says it is a statement (asStatement)', () => {
  const context = { organisations: [] };

  it('drafts a short text that would be judged a follow-up', () => {
    const email = makeEmail({ subject: 'Statement', text: 'Did you receive our statement? Thanks.' });
    expect(extractStatement(email, context).kind).toBe('not_statement');
    const result = extractStatement(email, context, { asStatement: true });
    expect(result.kind === 'statement' && result.draft.bodyText).toBe('Did you receive our statement? Thanks.');
  });

  it('drafts an empty message with a title from its subject, warning that the text is very short', () => {
    const email = makeEmail({ subject: 'Solidarity with the nurses' });
    expect(extractStatement(email, context).kind).toBe('not_statement');
    const result = extractStatement(email, context, { asStatement: true });
    expect(result.kind).toBe('statement');
    if (result.kind !== 'statement') return;
    expect(result.draft.title).toBe('Solidarity with the nurses');
    expect(result.draft.warnings).toContain('the statement text is very short: check that nothing is missing');
  });
});
