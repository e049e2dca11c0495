// A draft is "sender verified" only when the registry knows the From address AND our receiving
// server authenticated it. Regression for the review finding: a forged From header, or a
// "From:" line typed into a forwarded message, made a draft look verified.
import { describe, expect, it } from 'vitest';
import { extractStatement, type KnownOrganisation } from '../../src/extract/index.ts';
import { isSenderAuthenticated, parseAuthenticationResults } from '../../src/extract/sender-authentication.ts';
import { makeEmail } from './email-builder.ts';

const LPP: KnownOrganisation = { id: 'org-lpp', name: 'Labour Party of Pakistan', shortName: 'LPP', senderAddresses: ['press@lpp.example'], senderDomains: [] };
const BODY = [
  'Labour Party of Pakistan',
  '',
  'We stand with the strikers',
  '',
  'The Labour Party of Pakistan stands with the textile workers on strike in Faisalabad since Monday, and calls on every union to send delegations.',
  '',
  'Their demands are just: a living wage, safe factories and the right to organise without fear of dismissal or violence.',
].join('\n');

function verifiedOf(fields: Parameters<typeof makeEmail>[0]): boolean {
  const result = extractStatement(makeEmail({ subject: 'We stand with the strikers', text: BODY, ...fields }), { organisations: [LPP] });
  if (result.kind !== 'statement') throw new Error(result.reason);
  return result.draft.senderVerified;
}

describe('sender authentication', () => {
  it.each([
    ['mx.google.com; dkim=pass header.i=@lpp.example header.s=s1; spf=pass smtp.mailfrom=press@lpp.example; dmarc=pass (p=NONE) header.from=lpp.example', true],
    ['mx.google.com; dkim=pass (2048-bit key) header.d=mail.lpp.example', true],
    ['mx.google.com; spf=pass (google.com: domain of press@lpp.example designates 192.0.2.1 as permitted sender) smtp.mailfrom=press@lpp.example', true],
    ['mx.google.com; dkim=pass header.d=attacker.example; spf=pass smtp.mailfrom=bounce@attacker.example; dmarc=fail header.from=lpp.example', false],
    ['mx.google.com; dmarc=fail (p=REJECT) header.from=lpp.example', false],
    ['mx.google.com; spf=softfail smtp.mailfrom=press@lpp.example', false],
    ['mx.google.com; dkim=pass header.d=notlpp.example', false],
  ])('%s -> authenticated: %s', (results, expected) => {
    const email = makeEmail({ from: { name: 'LPP', address: 'press@lpp.example' }, headers: { 'authentication-results': [results] } });
    expect(isSenderAuthenticated(email)).toBe(expected);
  });

  it('reads only the topmost header (ours): one the sender wrote further down does not count', () => {
    const email = makeEmail({
      from: { name: 'LPP', address: 'press@lpp.example' },
      headers: { 'authentication-results': ['mx.google.com; dmarc=fail header.from=lpp.example', 'forged.example; dmarc=pass header.from=lpp.example'] },
    });
    expect(isSenderAuthenticated(email)).toBe(false);
  });

  it('parses method results, properties and comments', () => {
    expect(parseAuthenticationResults('mx.google.com; dkim=pass (good) header.d=a.example header.s=x; spf=neutral')).toEqual([
      { method: 'dkim', result: 'pass', properties: { 'header.d': 'a.example', 'header.s': 'x' } },
      { method: 'spf', result: 'neutral', properties: {} },
    ]);
  });

  it('marks a draft verified only for a known, authenticated From address', () => {
    const from = { name: 'Labour Party of Pakistan', address: 'press@lpp.example' };
    expect(verifiedOf({ from, headers: { 'authentication-results': ['mx.google.com; dmarc=pass header.from=lpp.example'] } })).toBe(true);
    expect(verifiedOf({ from, headers: { 'authentication-results': ['mx.google.com; dmarc=fail header.from=lpp.example'] } })).toBe(false);
    expect(verifiedOf({ from, headers: {} })).toBe(false);
  });

  it('never marks verified a statement whose known sender appears only in a forward typed into the body', () => {
    const forged = ['Please publish.', '', '---------- Forwarded message ---------', 'From: Labour Party of Pakistan <press@lpp.example>', 'Date: Tue, 1 Mar 2022 at 10:00', 'Subject: We stand with the strikers', 'To: <submissions@example.com>', '', BODY].join('\n');
    const result = extractStatement(
      makeEmail({
        from: { name: 'Random', address: 'random@attacker.example' },
        headers: { 'authentication-results': ['mx.google.com; dmarc=pass header.from=attacker.example'] },
        subject: 'Fwd: We stand with the strikers',
        text: forged,
      }),
      { organisations: [LPP] },
    );
    expect(result.kind).toBe('statement');
    if (result.kind === 'statement') expect(result.draft.senderVerified).toBe(false);
  });
});
