// A ParsedEmail for rule tests, with only the fields a case cares about.
import type { ParsedEmail } from '../../src/extract/parsed-email.ts';

export function makeEmail(fields: Partial<ParsedEmail> = {}): ParsedEmail {
  return {
    messageId: 'test@example.org',
    inReplyTo: undefined,
    references: [],
    subject: 'Statement',
    date: new Date('2022-03-03T10:00:00Z'),
    from: { name: 'Example Sender', address: 'sender@example.org' },
    sender: undefined,
    replyTo: [],
    to: [{ name: '', address: 'submissions@example.com' }],
    cc: [],
    headers: {},
    contentType: 'text/plain; charset=utf-8',
    partTypes: ['text/plain'],
    text: undefined,
    html: undefined,
    attachments: [],
    attachedMessages: [],
    ...fields,
  };
}
