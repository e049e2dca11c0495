// The loop-safety table, one test per rule: each row is a message that must never be answered,
// next to the same message answered once the one thing is taken away.
import { describe, expect, it } from 'vitest';
import { decideAcknowledgement, type AckCandidate, type AckContext, type AckRule } from '../../src/answers/loop-safety.ts';
import { renderMail, replySubject, templateLanguage, TEMPLATE_LANGUAGES } from '../../src/answers/templates.ts';

const START = new Date('2026-12-01T00:00:00Z');
const person: AckCandidate = {
  headers: { subject: ['Statement on the strike'], 'return-path': ['<press@dockers.example.org>'] },
  fromAddress: 'press@dockers.example.org',
  notStatement: false,
  datedAt: new Date('2026-12-02T09:00:00Z'),
};
const context: AckContext = { ourAddresses: ['Statements@Publication.example.org'], acksToSenderLastDay: 0, history: false, answerFrom: START };

function withHeaders(headers: Record<string, string>): AckCandidate {
  return { ...person, headers: { ...person.headers, ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) } };
}

const rows: [string, AckRule, AckCandidate, Partial<AckContext>?][] = [
  ['Auto-Submitted other than no', 'auto_submitted', withHeaders({ 'auto-submitted': 'auto-replied' })],
  ['Auto-Submitted: auto-generated', 'auto_submitted', withHeaders({ 'auto-submitted': 'auto-generated' })],
  ['Precedence: bulk', 'precedence', withHeaders({ precedence: 'bulk' })],
  ['Precedence: junk', 'precedence', withHeaders({ precedence: 'junk' })],
  ['Precedence: list', 'precedence', withHeaders({ precedence: 'list' })],
  ['List-Id mail', 'list_id', withHeaders({ 'list-id': '<members.unions.example.org>' })],
  ['a bounce (multipart/report)', 'bounce', withHeaders({ 'content-type': 'multipart/report; report-type=delivery-status; boundary=x' })],
  ['a DSN (message/delivery-status)', 'bounce', withHeaders({ 'content-type': 'message/delivery-status' })],
  ['X-Autoreply', 'auto_reply_header', withHeaders({ 'x-autoreply': 'yes' })],
  ['X-Autorespond', 'auto_reply_header', withHeaders({ 'x-autorespond': 'Out of office' })],
  ['Return-Path <>', 'empty_return_path', withHeaders({ 'return-path': '<>' })],
  ['an empty Return-Path', 'empty_return_path', withHeaders({ 'return-path': '' })],
  ['a noreply sender', 'robot_sender', { ...person, fromAddress: 'noreply@dockers.example.org' }],
  ['a no-reply sender', 'robot_sender', { ...person, fromAddress: 'no-reply@dockers.example.org' }],
  ['a mailer-daemon sender', 'robot_sender', { ...person, fromAddress: 'MAILER-DAEMON@mx.example.org' }],
  ['a postmaster sender', 'robot_sender', { ...person, fromAddress: 'postmaster@dockers.example.org' }],
  ['our own address', 'our_address', { ...person, fromAddress: 'statements@publication.example.org' }],
  ['mail judged spam', 'spam', withHeaders({ 'x-spam-flag': 'YES' })],
  ['not a statement', 'not_statement', { ...person, notStatement: true }],
  ['a reply to our own acknowledgement', 'reply_to_our_mail', withHeaders({ 'in-reply-to': '<sd-ack-0b7c7c2e-3f7e-4a43-9a43-2f1e1c0c9a11@publication.example.org>' })],
  ['our acknowledgement named in References', 'reply_to_our_mail', withHeaders({ references: '<a@x.org> <sd-published-0b7c7c2e-3f7e-4a43-9a43-2f1e1c0c9a11@publication.example.org>' })],
  ['the mailbox’s history at its first sync', 'history', person, { history: true }],
  ['mail dated before the start point', 'before_start', { ...person, datedAt: new Date('2026-11-30T23:59:00Z') }],
  ['a mailbox with no start point', 'before_start', person, { answerFrom: null }],
  ['a 4th acknowledgement to one sender in 24 hours', 'rate_limit', person, { acksToSenderLastDay: 3 }],
  ['no sender address', 'no_sender', { ...person, fromAddress: null }],
];

describe('loop safety: never answered', () => {
  it.each(rows)('%s', (_name, rule, message, extra) => {
    const decision = decideAcknowledgement(message, { ...context, ...extra });
    expect(decision).toMatchObject({ send: false, rule });
  });
});

describe('loop safety: answered', () => {
  it('a person’s statement, dated after the start point, within the daily limit', () => {
    expect(decideAcknowledgement(person, { ...context, acksToSenderLastDay: 2 })).toEqual({ send: true });
  });
  it('Auto-Submitted: no, an ordinary Return-Path and Precedence: normal', () => {
    expect(decideAcknowledgement(withHeaders({ 'auto-submitted': 'no', precedence: 'normal' }), context)).toEqual({ send: true });
  });
  it('a reply to someone else’s mail, and a sender whose name merely contains "reply"', () => {
    const message = { ...withHeaders({ 'in-reply-to': '<planning-1@dockers.example.org>' }), fromAddress: 'replying.team@dockers.example.org' };
    expect(decideAcknowledgement(message, context)).toEqual({ send: true });
  });
});

describe('mail templates', () => {
  it('has a template in each language senders write in, and falls back to English', () => {
    expect(TEMPLATE_LANGUAGES.sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'id', 'ja', 'ms', 'pt', 'ru', 'tl', 'zh'].sort());
    expect(templateLanguage('pt-BR')).toBe('pt');
    expect(templateLanguage('fil')).toBe('tl');
    expect(templateLanguage('sw')).toBe('en');
    expect(templateLanguage(null)).toBe('en');
  });
  it('escapes the title in the HTML part and links only the status URL; Arabic reads right to left', () => {
    const { text, html } = renderMail('Title: {title}\n\n{statusUrl}', { title: '<script>alert(1)</script> & co', statusUrl: 'https://s.example.org/submissions/abc' }, 'ar');
    expect(text).toBe('Title: <script>alert(1)</script> & co\n\nhttps://s.example.org/submissions/abc');
    expect(html).toContain('Title: &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(html).toContain('<a href="https://s.example.org/submissions/abc">');
    expect(html).toContain('dir="rtl"');
  });
  it('replies with "Re: <subject>" without stacking prefixes', () => {
    expect(replySubject('Statement')).toBe('Re: Statement');
    expect(replySubject('RE: Statement')).toBe('RE: Statement');
    expect(replySubject(null)).toBe('Re: your statement');
  });
});
