// List mail is read, not dropped (issue 11): which list a message came through, and which list
// mail is a newsletter, digest or marketing mail rather than a relayed statement.
import { describe, expect, it } from 'vitest';
import { classifyMessage, spamVerdict } from '../../src/ingest/classify.ts';
import { mailingListOf, newsletterReason } from '../../src/extract/mailing-list.ts';
import { phishingVerdict } from '../../src/extract/not-statement.ts';
import { makeEmail } from './email-builder.ts';

const STATEMENT =
  'HARBOUR FREIGHT UNION\n\nDockers will not load arms for the war\n\n3 May 2024\n\nThe Harbour Freight Union calls on every port in the region to refuse cargo bound for the front. Our members voted by a large majority to stop work on any ship that carries weapons, and we ask dockers everywhere to join them.\n\nWe demand that the government ends arms exports now.';

describe('mailingListOf', () => {
  it.each([
    ['a Mailman List-Id', { 'list-id': ['Dockers press list <press.lists.hfu.example.org>'] }, [], 'Dockers press list', 'List-Id'],
    ['a bare List-Id', { 'list-id': ['<press.lists.hfu.example.org>'] }, [], 'press.lists.hfu.example.org', 'List-Id'],
    ['a Mailchimp List-Id', { 'list-id': ['a1b2c3d4e5f6a7b8c9d0 mc list'] }, [{ name: 'HFU media list', address: 'media@lists.hfu.example.org' }], 'HFU media list', 'List-Id'],
    ['a Google Groups Mailing-list header', { 'mailing-list': ['list hfu-press@googlegroups.example.com; contact hfu-press+owners@googlegroups.example.com'] }, [], 'hfu-press@googlegroups.example.com', 'Mailing-list'],
    ['Precedence: bulk', { precedence: ['bulk'] }, [{ name: '', address: 'media@hfu.example.org' }], 'media@hfu.example.org', 'Precedence: bulk'],
  ])('names the list of %s', (_case, headers, to, name, evidence) => {
    expect(mailingListOf(makeEmail({ headers, to }))).toEqual({ name, evidence });
  });

  it('says nothing of mail sent to us directly', () => {
    expect(mailingListOf(makeEmail({ headers: { precedence: ['first-class'] } }))).toBeUndefined();
  });
});

describe('newsletterReason', () => {
  it.each([
    ['an issue number and a table of contents', 'Weekly bulletin No. 31', 'In this issue:\n\n1. Port strike\n2. Court ruling\n3. Events'],
    ['a periodical with an issue number', '[Boletín] Nº 12', 'Noticias de la semana'],
    ['a digest', 'Buletin Serikat, Vol 3, Edisi 9', 'Topik hari ini:\n1. Upah\n2. Cuti\n3. Rapat'],
    ['a French newsletter listing items', 'Lettre d’information de mars', '1. Grève\n2. Formation\n3. Agenda\n4. Lectures'],
    ['marketing', 'Shop now: 20% off union merchandise', 'Buy now!'],
  ])('sets aside %s', (_case, subject, text) => {
    expect(newsletterReason(makeEmail({ subject }), text)).toBeDefined();
  });

  it.each([
    ['a statement', '[hfu-press] Dockers will not load arms for the war', STATEMENT],
    ['a statement that mentions a bulletin', 'Statement on the port authority bulletin', `${STATEMENT}\n\nThe port authority bulletin No. 4 misrepresents the vote.`],
  ])('reads %s', (_case, subject, text) => {
    expect(newsletterReason(makeEmail({ subject }), text)).toBeUndefined();
  });
});

describe('classifyMessage on list mail and spam', () => {
  const list = { 'list-id': ['Dockers press list <press.lists.hfu.example.org>'], precedence: ['list'] };
  it('lets a statement from a list through to content analysis', () => {
    expect(classifyMessage(makeEmail({ headers: list, subject: '[press] Dockers will not load arms', text: STATEMENT }))).toEqual({ kind: 'candidate' });
  });
  it('ignores a list newsletter, naming the list', () => {
    const verdict = classifyMessage(makeEmail({ headers: list, subject: 'Weekly bulletin No. 31', text: 'In this issue:\n1. a\n2. b\n3. c' }));
    expect(verdict).toEqual({ kind: 'ignored', reason: expect.stringMatching(/newsletter or digest.*"Dockers press list" \(List-Id\)/) });
  });
  it('still drops an auto-reply from a list on its headers', () => {
    expect(classifyMessage(makeEmail({ headers: { ...list, 'auto-submitted': ['auto-replied'] }, text: STATEMENT }))).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/^auto-reply/) });
  });
  it.each([
    [{ 'x-spam-flag': ['YES'] }, 'spam (X-Spam-Flag: YES)'],
    [{ 'x-spam-status': ['Yes, score=8.1 required=5.0 tests=...'] }, 'spam (X-Spam-Status: Yes)'],
    [{ 'x-spam': ['Yes'] }, 'spam (X-Spam: Yes)'],
    [{ 'x-gmail-labels': ['Spam,Opened'] }, 'spam (Gmail label Spam)'],
  ])('honours the spam verdict %j', (headers, reason) => {
    expect(spamVerdict(makeEmail({ headers }))).toBe(reason);
    expect(classifyMessage(makeEmail({ headers, text: STATEMENT }))).toEqual({ kind: 'ignored', reason });
  });
  it.each([[{ 'x-spam-flag': ['NO'] }], [{ 'x-spam-status': ['No, score=0.1'] }], [{ 'x-gmail-labels': ['Inbox,Important'] }]])('passes a ham verdict %j', (headers) => {
    expect(spamVerdict(makeEmail({ headers }))).toBeUndefined();
  });
});

describe('phishingVerdict', () => {
  const from = { name: 'Account Services', address: 'alerts@bank-notices.example.net' };
  it.each([
    ['an account statement and a login link', 'Your e-statement is ready', 'Dear customer, your account statement is ready. View it here: http://198.51.100.9/login?id=1', /account or bank "statement".*login link/],
    ['an account statement and pressure to verify', 'Monthly statement', 'Dear valued customer, verify your account within 24 hours or access will be suspended.', /pressure to verify/],
    ['a mismatched Reply-To', 'Relevé de compte disponible', 'Votre relevé de compte est prêt. Vérifiez votre compte.', /replies go to/],
  ])('recognises %s', (_case, subject, text, reason) => {
    const email = makeEmail({ from, subject, replyTo: [{ name: '', address: 'help@other-domain.example.com' }] });
    expect(phishingVerdict(email, text)?.reason).toMatch(reason);
  });

  it('leaves a union statement about banks alone', () => {
    const text = 'The Bank Workers Union condemns the closure of 40 branches. The bank statement to shareholders boasts of record profits while tellers lose their jobs. We call on members to attend the rally on Friday.';
    expect(phishingVerdict(makeEmail({ from: { name: 'BWU Media', address: 'media@bwu.example.org' }, subject: 'Statement: stop the branch closures' }), text)).toBeUndefined();
  });
});
