// What the organisation registry knows of a statement's sender, and what an editor can teach it
// from this statement: remember the sender's address (or its domain, when the domain is the
// organisation's own: sender-domains.ts) for the statement's organisation, and its short name.
// Pure: the statement page, the API and the write (teach-registry.ts) share this one answer.
import { findKnownOrganisation } from '../extract/organisation.ts';
import { domainOfAddress, isSharedMailDomain, looksLikeOwnDomain } from './sender-domains.ts';

export type RememberKind = 'address' | 'domain';
export type RememberChoice = RememberKind | 'auto';

export interface RegistryOrganisation {
  id: string;
  name: string;
  shortName: string | null;
  website: string | null;
  senderAddresses: string[];
  senderDomains: string[];
}

export interface StatementSenderFacts {
  /** The statement's own sender (in a forward, the forwarded message's From). */
  senderAddress: string | null;
  /** The email's From, for drafts made before senderAddress was kept. */
  messageFromAddress: string | null;
  organisationId: string | null;
  organisationName: string | null;
  organisationShort: string | null;
  /** The `changes` of the revisions an editor made (editorId set). */
  editorChanges: unknown[];
}

export interface KnownSender {
  organisationId: string;
  name: string;
  shortName: string | null;
  matchedBy: RememberKind;
  /** The address or domain the registry matched. */
  value: string;
}

export interface RegistryOffer {
  /** The organisation to remember the sender for; null: it is added to the registry. */
  organisationId: string | null;
  organisationName: string;
  /** The short name to remember too; null when there is none or the registry has it already. */
  organisationShort: string | null;
  /** The registry already gives this sender this organisation: only the short name is new. */
  senderKnown: boolean;
  /** What "remember" does by default. */
  remember: RememberKind;
  address: string;
  /** The domain, when it may be remembered; null when only the address can be. */
  domain: string | null;
  /** Why the domain cannot be remembered, when it cannot. */
  domainRefusal: string | null;
}

export interface SenderRegistryView {
  sender: string | null;
  known: KnownSender | null;
  /** An editor set or corrected the organisation or its short name (the page offers the action only then). */
  organisationSetByEditor: boolean;
  offer: RegistryOffer | null;
  /** Why there is nothing to teach, when offer is null. */
  nothingToTeach: string | null;
}

const ORGANISATION_FIELDS = ['organisationName', 'organisationId', 'organisationShort'];

const sameText = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
const coversDomain = (registered: string, domain: string) => domain === registered || domain.endsWith(`.${registered}`);

export function senderOf(facts: Pick<StatementSenderFacts, 'senderAddress' | 'messageFromAddress'>): string | null {
  const sender = (facts.senderAddress ?? facts.messageFromAddress ?? '').trim().toLowerCase();
  return sender && domainOfAddress(sender) ? sender : null;
}

export function knownSender(sender: string, organisations: RegistryOrganisation[]): KnownSender | null {
  // The same matching as extraction at ingest, so the page says what the next email will get.
  const known = findKnownOrganisation(sender, organisations) as RegistryOrganisation | undefined;
  if (!known) return null;
  const domain = domainOfAddress(sender) ?? '';
  const byAddress = known.senderAddresses.some((a) => a.toLowerCase() === sender);
  const value = byAddress ? sender : (known.senderDomains.find((d) => coversDomain(d.toLowerCase(), domain)) ?? domain);
  return { organisationId: known.id, name: known.name, shortName: known.shortName, matchedBy: byAddress ? 'address' : 'domain', value };
}

/** Why the sender's domain may not be remembered for `target`, or null when it may. */
function domainRefusal(sender: string, target: RegistryOrganisation | null, organisations: RegistryOrganisation[]): string | null {
  const domain = domainOfAddress(sender)!;
  if (isSharedMailDomain(domain)) return `${domain} is a mail service that many people share, so only this address can be remembered.`;
  if (target?.senderDomains.some((d) => coversDomain(d, domain))) return `The registry already has ${domain} for ${target.name}.`;
  for (const other of organisations) {
    if (other.id === target?.id) continue;
    if (other.senderDomains.some((d) => coversDomain(d, domain) || coversDomain(domain, d))) {
      return `${domain} is in the registry for ${other.name}, so only this address can be remembered (or change ${other.name} in the registry first).`;
    }
    // The sender's own address does not count: remembering moves it to the target.
    if (other.senderAddresses.some((a) => a.toLowerCase() !== sender && coversDomain(domain, domainOfAddress(a) ?? ''))) {
      return `${other.name} also sends from ${domain}, so only this address can be remembered.`;
    }
  }
  return null;
}

/**
 * The registry organisation the statement names: the one it is linked to when the name agrees
 * (a link extraction made stays behind when an editor only retypes the name), else the one of
 * that name, else the link an editor chose with a name of their own; null: a new one.
 */
function targetOrganisation(facts: StatementSenderFacts, name: string, organisations: RegistryOrganisation[]): RegistryOrganisation | null {
  const linked = organisations.find((o) => o.id === facts.organisationId);
  if (linked && sameText(linked.name, name)) return linked;
  const named = organisations.find((o) => sameText(o.name, name));
  if (named) return named;
  const linkedByEditor = facts.editorChanges.some((c) => c !== null && typeof c === 'object' && 'organisationId' in c);
  return linked && linkedByEditor ? linked : null;
}

export function planSenderRegistry(facts: StatementSenderFacts, organisations: RegistryOrganisation[]): SenderRegistryView {
  const organisationSetByEditor = facts.editorChanges.some((changes) => changes !== null && typeof changes === 'object' && ORGANISATION_FIELDS.some((f) => f in changes));
  const sender = senderOf(facts);
  if (!sender) return { sender: null, known: null, organisationSetByEditor, offer: null, nothingToTeach: 'This statement has no sender address (it was not made from an email), so there is no sender to remember.' };
  const known = knownSender(sender, organisations);
  const name = facts.organisationName?.trim();
  if (!name) return { sender, known, organisationSetByEditor, offer: null, nothingToTeach: 'The statement has no organisation yet: set it first, then the registry can remember the sender for it.' };

  const target = targetOrganisation(facts, name, organisations);
  const short = facts.organisationShort?.trim() || null;
  const shortToLearn = short && !(target && target.shortName === short) ? short : null;
  const senderKnown = known !== null && target !== null && known.organisationId === target.id;
  if (senderKnown && !shortToLearn) {
    return { sender, known, organisationSetByEditor, offer: null, nothingToTeach: `The registry already gives ${sender} the organisation ${target.name}.` };
  }
  const domain = domainOfAddress(sender)!;
  const refusal = domainRefusal(sender, target, organisations);
  const own = refusal === null && looksLikeOwnDomain(domain, { name: target?.name ?? name, shortName: target?.shortName ?? short, website: target?.website ?? null });
  return {
    sender,
    known,
    organisationSetByEditor,
    nothingToTeach: null,
    offer: {
      organisationId: target?.id ?? null,
      organisationName: target?.name ?? name,
      organisationShort: shortToLearn,
      senderKnown,
      remember: own ? 'domain' : 'address',
      address: sender,
      domain: refusal === null ? domain : null,
      domainRefusal: refusal,
    },
  };
}
