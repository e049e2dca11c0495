// A draft is "sender verified" only when the registry knows the From address AND our receiving
// server authenticated it. Regression for the review findings: a forged From header, or a
// "From:" line typed into a forwarded message, made a draft look verified; so did an
// Authentication-Results header the sender wrote, naming mx.google.com (issue 10, item 4).
import { describe, expect, it } from 'vitest';
import { extractStatement } from '../../src/extract/extract-statement.ts';
import type { KnownOrganisation } from '../../src/extract/types.ts';
import { authservIdOf, isSenderAuthenticated, parseAuthenticationResults } from '../../src/extract/sender-authentication.ts';
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

/** TRUSTED_AUTHSERV_ID=mx.google.com, as for a Gmail inbox. */
const GMAIL = ['mx.google.com'];

function verifiedOf(fields: Parameters<typeof makeEmail>[0], trustedAuthservIds: readonly string[] = GMAIL): boolean {
  const result = extractStatement(makeEmail({ subject: 'We stand with the strikers', text: BODY, ...fields }), { organisations: [LPP], trustedAuthservIds });
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
    expect(isSenderAuthenticated(email, GMAIL)).toBe(expected);
  });

  it('reads only the topmost header (ours): one the sender wrote further down does not count', () => {
    const email = makeEmail({
      from: { name: 'LPP', address: 'press@lpp.example' },
      headers: { 'authentication-results': ['mx.google.com; dmarc=fail header.from=lpp.example', 'forged.example; dmarc=pass header.from=lpp.example'] },
    });
    expect(isSenderAuthenticated(email, GMAIL)).toBe(false);
  });

  it('with TRUSTED_AUTHSERV_ID set, ignores a forged passing header the sender placed below the real top one', () => {
    // What Gmail delivers when the sender wrote a passing header of its own into the message:
    // Google's verdict on top, the sender's below it, both naming mx.google.com.
    const email = makeEmail({
      from: { name: 'LPP', address: 'press@lpp.example' },
      headers: {
        'authentication-results': [
          'mx.google.com; dkim=none; spf=neutral smtp.mailfrom=press@lpp.example; dmarc=fail (p=NONE) header.from=lpp.example',
          'mx.google.com; dkim=pass header.d=lpp.example; spf=pass smtp.mailfrom=press@lpp.example; dmarc=pass header.from=lpp.example',
        ],
      },
    });
    expect(isSenderAuthenticated(email, GMAIL)).toBe(false);
  });

  it('a sender-written header naming mx.google.com verifies nothing when no authserv-id is trusted (drop folder, import)', () => {
    const from = { name: 'Labour Party of Pakistan', address: 'press@lpp.example' };
    const headers = { 'authentication-results': ['mx.google.com; dmarc=pass header.from=lpp.example'] };
    expect(isSenderAuthenticated(makeEmail({ from, headers }))).toBe(false);
    expect(isSenderAuthenticated(makeEmail({ from, headers }), [])).toBe(false);
    expect(verifiedOf({ from, headers }, [])).toBe(false);
  });

  it('believes only the trusted authserv-id, whatever its case, and none other on top', () => {
    const from = { name: 'LPP', address: 'press@lpp.example' };
    const passing = (id: string) => makeEmail({ from, headers: { 'authentication-results': [`${id}; dmarc=pass header.from=lpp.example`] } });
    expect(isSenderAuthenticated(passing('MX.Google.com'), GMAIL)).toBe(true);
    expect(isSenderAuthenticated(passing('mx.google.com 1 (version)'), GMAIL)).toBe(true);
    expect(isSenderAuthenticated(passing('mx.fastmail.example'), ['mx.fastmail.example', 'mx.google.com'])).toBe(true);
    expect(isSenderAuthenticated(passing('mx.google.com.attacker.example'), GMAIL)).toBe(false);
    expect(isSenderAuthenticated(passing('relay.attacker.example'), GMAIL)).toBe(false);
    // An untrusted server's header on top hides a trusted-looking one below: that one is not ours.
    const relayed = makeEmail({
      from,
      headers: { 'authentication-results': ['relay.example; dmarc=pass header.from=lpp.example', 'mx.google.com; dmarc=pass header.from=lpp.example'] },
    });
    expect(isSenderAuthenticated(relayed, GMAIL)).toBe(false);
  });

  it('reads the authserv-id before the first semicolon, comments and version aside', () => {
    expect(authservIdOf('mx.google.com; dkim=pass')).toBe('mx.google.com');
    expect(authservIdOf(' (comment) MX.example 1; spf=pass')).toBe('mx.example');
    expect(authservIdOf('; dmarc=pass')).toBeUndefined();
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
      { organisations: [LPP], trustedAuthservIds: GMAIL },
    );
    expect(result.kind).toBe('statement');
    if (result.kind === 'statement') expect(result.draft.senderVerified).toBe(false);
  });
});
