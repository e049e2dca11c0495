// Which sender domains the registry may learn for an organisation (src/moderation/sender-domains.ts)
// and what the statement page offers to teach (sender-registry-plan.ts): pure, table-driven.
import { describe, expect, it } from 'vitest';
import { domainOfAddress, isSharedMailDomain, looksLikeOwnDomain, registeredName } from '../../src/moderation/sender-domains.ts';
import { planSenderRegistry, type RegistryOrganisation, type StatementSenderFacts } from '../../src/moderation/sender-registry-plan.ts';

describe('shared mail domains are never an organisation\'s', () => {
  it.each([
    'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.fr', 'live.co.uk', 'yahoo.com', 'yahoo.co.jp', 'ymail.com', 'icloud.com',
    'proton.me', 'protonmail.com', 'pm.me', 'tutanota.de', 'gmx.de', 'gmx.net', 'web.de', 'yandex.ru', 'mail.ru', 'qq.com', '163.com',
    'naver.com', 'orange.fr', 'libero.it', 'uol.com.br', 'riseup.net', 'lists.riseup.net', 'googlegroups.com', 'groups.io', 'mail.com',
  ])('%s is shared', (domain) => {
    expect(isSharedMailDomain(domain)).toBe(true);
  });

  it.each(['htwf.example.net', 'mail.htwf.example.net', 'sindicato-docentes.example.org', 'kmu.or.kr', 'gmail-alternatives.org', 'mailworkers.org.uk'])('%s is not', (domain) => {
    expect(isSharedMailDomain(domain)).toBe(false);
  });

  it('reads the name of a domain under a country\'s second level', () => {
    expect(registeredName('mail.kmu.or.kr')).toBe('kmu');
    expect(registeredName('cgtp.org.pe')).toBe('cgtp');
    expect(registeredName('press.htwf.example')).toBe('htwf');
    expect(domainOfAddress('Press@HTWF.Example.net')).toBe('htwf.example.net');
    expect(domainOfAddress('not an address')).toBeNull();
  });
});

describe('a domain that reads as the organisation\'s own', () => {
  it.each([
    ['htwf.example.net', { name: "Harbour and Transport Workers' Federation", shortName: 'HTWF' }, 'its short name'],
    ['mail.kmu.or.kr', { name: 'Korean Metalworkers Union', shortName: null }, 'its initials'],
    ['tenantsvoice.example', { name: 'Tenants Voice', shortName: null }, 'its whole name'],
    ['lakeside-tenants.example', { name: 'Lakeside Tenants Association', shortName: null }, 'two distinctive words'],
    ['press.example.com', { name: 'Coalition for Clean Rivers', shortName: 'CCR', website: 'https://www.press.example.com/about' }, 'its website'],
  ] as [string, { name: string; shortName: string | null; website?: string }, string][])('%s for %j (%s)', (domain, organisation) => {
    expect(looksLikeOwnDomain(domain, organisation)).toBe(true);
  });

  it.each([
    ['university.example.edu', { name: 'Students for Palestine', shortName: 'SFP' }],
    ['socialistworker.example', { name: 'Socialist Alliance', shortName: 'SA' }],
    ['gmail.com', { name: 'Gmail Workers Union', shortName: 'GWU' }],
    ['riseup.net', { name: 'Riseup Collective', shortName: null }],
  ])('not %s for %j', (domain, organisation) => {
    expect(looksLikeOwnDomain(domain, organisation)).toBe(false);
  });
});

describe('what the statement page offers to teach', () => {
  const org = (id: string, name: string, extra: Partial<RegistryOrganisation> = {}): RegistryOrganisation => ({ id, name, shortName: null, website: null, senderAddresses: [], senderDomains: [], ...extra });
  const facts = (extra: Partial<StatementSenderFacts>): StatementSenderFacts => ({
    senderAddress: 'press@htwf.example.net', messageFromAddress: null, organisationId: null, organisationName: "Harbour and Transport Workers' Federation",
    organisationShort: 'HTWF', editorChanges: [{ organisationName: { from: 'Press Desk', to: "Harbour and Transport Workers' Federation" } }], ...extra,
  });

  it('offers the own domain of an organisation the registry does not have yet', () => {
    const view = planSenderRegistry(facts({}), []);
    expect(view).toMatchObject({ sender: 'press@htwf.example.net', known: null, organisationSetByEditor: true });
    expect(view.offer).toMatchObject({ organisationId: null, remember: 'domain', domain: 'htwf.example.net', organisationShort: 'HTWF', senderKnown: false });
  });

  it('offers only the address of a free-mail sender, and says why', () => {
    const view = planSenderRegistry(facts({ senderAddress: 'htwf.press@gmail.com' }), []);
    expect(view.offer).toMatchObject({ remember: 'address', domain: null });
    expect(view.offer?.domainRefusal).toMatch(/gmail\.com is a mail service that many people share/);
  });

  it('offers only the address when another organisation has the domain or sends from it', () => {
    const registry = [org('a', 'Port Authority Staff Association', { senderDomains: ['example.net'] })];
    expect(planSenderRegistry(facts({}), registry).offer).toMatchObject({ remember: 'address', domain: null });
    const other = [org('b', 'Dockers Choir', { senderAddresses: ['choir@htwf.example.net'] })];
    expect(planSenderRegistry(facts({}), other).offer?.domainRefusal).toMatch(/Dockers Choir also sends from htwf\.example\.net/);
  });

  it('says what the registry gives the sender today when it is another organisation', () => {
    const registry = [org('x', 'Port Authority Staff Association', { senderAddresses: ['press@htwf.example.net'] }), org('h', "Harbour and Transport Workers' Federation", { shortName: 'HTWF' })];
    const view = planSenderRegistry(facts({ organisationId: 'h' }), registry);
    expect(view.known).toMatchObject({ organisationId: 'x', matchedBy: 'address', value: 'press@htwf.example.net' });
    expect(view.offer).toMatchObject({ organisationId: 'h', organisationShort: null, senderKnown: false });
  });

  it('offers the short name alone when the registry knows the sender but not its short name', () => {
    const registry = [org('h', "Harbour and Transport Workers' Federation", { senderDomains: ['htwf.example.net'] })];
    const view = planSenderRegistry(facts({ organisationId: 'h' }), registry);
    expect(view.known).toMatchObject({ matchedBy: 'domain', value: 'htwf.example.net' });
    expect(view.offer).toMatchObject({ senderKnown: true, organisationShort: 'HTWF' });
  });

  it('has nothing to teach when the registry agrees, when there is no organisation, or no sender', () => {
    const registry = [org('h', "Harbour and Transport Workers' Federation", { shortName: 'HTWF', senderDomains: ['htwf.example.net'] })];
    expect(planSenderRegistry(facts({ organisationId: 'h' }), registry)).toMatchObject({ offer: null, nothingToTeach: expect.stringMatching(/already gives/) });
    expect(planSenderRegistry(facts({ organisationName: null }), []).offer).toBeNull();
    expect(planSenderRegistry(facts({ senderAddress: null }), [])).toMatchObject({ sender: null, offer: null });
  });

  it('counts only editors\' changes to the organisation as set by an editor', () => {
    expect(planSenderRegistry(facts({ editorChanges: [{ title: { from: 'a', to: 'b' } }] }), []).organisationSetByEditor).toBe(false);
    expect(planSenderRegistry(facts({ editorChanges: [{ organisationShort: { from: null, to: 'HTWF' } }] }), []).organisationSetByEditor).toBe(true);
  });
});
