// Whether a sender's mail domain may stand for an organisation in the registry. Pure.
//
// The registry matches a statement's sender by exact address first, then by domain (and its
// subdomains). A domain is learned only when it is the organisation's own: never a domain that
// many unrelated people share, because one remembered "@gmail.com" would give every later
// statement from any Gmail user that organisation, with high confidence. Shared domains are:
//   - free and consumer mail providers (Gmail, Outlook/Hotmail/Live, Yahoo, iCloud, Proton,
//     Tutanota, GMX, Yandex, Mail.ru, QQ/163, Naver, Zoho, ...), matched by their name whatever
//     the country ending ("yahoo.co.uk", "gmx.de", "hotmail.fr");
//   - ISPs' mailboxes (Orange, Free, T-Online, Libero, UOL, ...);
//   - activist hosts that give mailboxes to many groups and people (Riseup, Autistici,
//     Disroot, Systemli);
//   - list and bulk-mail services an organisation sends through but does not own (Google
//     Groups, groups.io, Mailchimp, Sendinblue/Brevo, Substack, ...).
// For any other domain, the default is the domain when it reads as the organisation's (its
// website's host, or its short name, initials or words in the domain's name), else the address;
// the editor can still choose the other one.

/** Providers recognised by the name part of the domain, whatever the ending (yahoo.com, yahoo.co.jp). */
const SHARED_PROVIDER_NAMES = new Set([
  'gmail', 'googlemail', 'outlook', 'hotmail', 'live', 'msn', 'windowslive', 'yahoo', 'ymail', 'rocketmail', 'aol', 'aim',
  'icloud', 'me', 'mac', 'proton', 'protonmail', 'pm', 'tutanota', 'tutamail', 'tuta', 'keemail', 'gmx', 'yandex', 'ya',
  'mail', 'email', 'inbox', 'zoho', 'zohomail', 'fastmail', 'hushmail', 'mailfence', 'posteo', 'mailbox', 'runbox',
  'naver', 'hanmail', 'daum', 'kakao', 'nate', 'qq', 'foxmail', '163', '126', 'yeah', 'sina', 'sohu', 'aliyun', '139',
  'rediffmail', 'rambler', 'seznam', 'wp', 'interia', 'onet', 'abv', 'libero', 'virgilio', 'laposte', 'lycos', 'excite',
  'riseup', 'autistici', 'inventati', 'disroot', 'systemli',
]);

/** Shared domains that a name alone does not catch: ISPs, national providers, list and bulk-mail services. */
const SHARED_DOMAINS = new Set([
  'web.de', 't-online.de', 'freenet.de', 'arcor.de', 'orange.fr', 'wanadoo.fr', 'free.fr', 'sfr.fr', 'neuf.fr', 'bbox.fr',
  'alice.it', 'tiscali.it', 'tin.it', 'o2.pl', 'tlen.pl', 'op.pl', 'bk.ru', 'list.ru', 'inbox.lv', 'centrum.cz', 'atlas.cz',
  'uol.com.br', 'bol.com.br', 'terra.com.br', 'ig.com.br', 'globo.com', 'prodigy.net.mx', 'telefonica.net', 'movistar.es',
  'btinternet.com', 'sky.com', 'virginmedia.com', 'ntlworld.com', 'talktalk.net', 'comcast.net', 'verizon.net', 'att.net',
  'sbcglobal.net', 'bellsouth.net', 'cox.net', 'charter.net', 'earthlink.net', 'shaw.ca', 'rogers.com', 'sympatico.ca',
  'bigpond.com', 'optusnet.com.au', 'xtra.co.nz', 'telkomsa.net', 'vsnl.net', 'sify.com', 'skynet.be', 'telenet.be',
  'bluewin.ch', 'chello.nl', 'ziggo.nl', 'kpnmail.nl', 'planet.nl', 'home.nl', 'telia.com', 'online.no', 'eircom.net',
  'googlegroups.com', 'groups.io', 'freelists.org', 'mailchimpapp.net', 'mcsv.net', 'mcdlv.net', 'list-manage.com',
  'sendinblue.com', 'brevo.com', 'sendgrid.net', 'mailgun.org', 'amazonses.com', 'substack.com', 'mailerlite.com',
  'constantcontact.com', 'createsend.com', 'campaign-archive.com', 'activehosted.com', 'ecomm.org', 'lists.sourceforge.net',
]);

/**
 * Second-level labels that, under a two-letter country ending, belong to the registry's suffix
 * rather than to the name ("kctu.or.kr" is named "kctu", "cut.org.br" is named "cut").
 */
const SECOND_LEVEL = new Set(['co', 'com', 'org', 'net', 'ac', 'edu', 'gov', 'gob', 'gv', 'go', 'or', 'ne', 'nic', 'ltd', 'plc', 'asso', 'info', 'nom', 'web', 'sch', 'mil', 'int', 'biz']);

/** Words too common in organisation names to say that a domain is theirs. */
const GENERIC_WORDS = new Set([
  'party', 'union', 'unions', 'workers', 'worker', 'national', 'international', 'federation', 'confederation', 'council',
  'committee', 'movement', 'front', 'alliance', 'league', 'association', 'socialist', 'socialists', 'communist', 'democratic',
  'people', 'peoples', 'labour', 'labor', 'trade', 'general', 'central', 'network', 'organisation', 'organization', 'group',
  'partido', 'parti', 'partei', 'sindicato', 'syndicat', 'gewerkschaft', 'frente', 'movimiento', 'mouvement', 'nacional',
  'with', 'from', 'their', 'against', 'pour', 'para', 'por', 'contre',
]);
const CONNECTORS = new Set(['of', 'for', 'and', 'the', 'de', 'del', 'des', 'du', 'la', 'le', 'les', 'el', 'los', 'las', 'di', 'da', 'do', 'dos', 'das', 'della', 'van', 'von', 'der', 'für', 'und', 'et', 'y', 'e', '&']);

export function domainOfAddress(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 1) return null;
  const domain = address.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : null;
}

/** The labels of a domain that name it, without the registry's suffix: "mail.kctu.or.kr" -> ["mail", "kctu"]. */
function nameLabels(domain: string): string[] {
  const labels = domain.split('.');
  const last = labels.at(-1) ?? '';
  const secondLast = labels.at(-2) ?? '';
  const suffixLength = last.length === 2 && labels.length > 2 && SECOND_LEVEL.has(secondLast) ? 2 : 1;
  return labels.slice(0, labels.length - suffixLength);
}

/** The label a domain is registered under: "mail.kctu.or.kr" -> "kctu". */
export function registeredName(domain: string): string {
  return nameLabels(domain).at(-1) ?? domain;
}

/** Mail domains many unrelated senders share (see the header): never learned as an organisation's. */
export function isSharedMailDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  const parents = d.split('.').map((_, i, labels) => labels.slice(i).join('.'));
  if (parents.some((p) => SHARED_DOMAINS.has(p))) return true;
  return SHARED_PROVIDER_NAMES.has(registeredName(d));
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const compact = (text: string) => fold(text).replace(/[^a-z0-9]/g, '');

/** The host of a website address, without "www.", or null. */
function hostOf(website: string | null | undefined): string | null {
  if (!website) return null;
  try {
    return new URL(website).hostname.toLowerCase().replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/**
 * Whether the domain reads as the organisation's own: its website's host (or a subdomain of
 * it), or a label of its name part ("htwf" in "press.htwf.example.net") that holds its short
 * name, its initials, two of its distinctive words (one, when its name has only one), or its
 * whole name. The domain learned is the sender's whole domain, so a group's subdomain on a host
 * it shares ("htwf.example.net") stands for that group only. Used for the default choice only;
 * shared domains never pass.
 */
export function looksLikeOwnDomain(domain: string, organisation: { name: string; shortName?: string | null; website?: string | null }): boolean {
  const d = domain.toLowerCase();
  if (isSharedMailDomain(d)) return false;
  const host = hostOf(organisation.website);
  if (host && (host === d || d.endsWith(`.${host}`) || host.endsWith(`.${d}`))) return true;
  const short = compact(organisation.shortName ?? '');
  const words = fold(organisation.name).split(/[^\p{L}\p{N}]+/u).filter((w) => w && !CONNECTORS.has(w));
  const initials = words.map((w) => w[0]).join('');
  const whole = compact(words.join(''));
  const distinctive = words.filter((w) => w.length >= 4 && !GENERIC_WORDS.has(w)).map(compact);
  const holds = (label: string, part: string) => part.length >= 2 && (label === part || (part.length >= 3 && label.includes(part)));
  return nameLabels(d).map(compact).some((label) => {
    if (label.length < 2) return false;
    if (holds(label, short) || holds(label, initials)) return true;
    const inLabel = distinctive.filter((w) => label.includes(w)).length;
    // "socialistalliance" for "Socialist Alliance": the whole name, however generic its words.
    return inLabel >= 2 || (inLabel === 1 && distinctive.length === 1) || (words.length >= 2 && label === whole);
  });
}
