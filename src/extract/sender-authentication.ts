// Whether the receiving mail server vouched for the From address. Pure.
//
// A From header proves nothing by itself, and neither does a "From:" line inside a forwarded
// message (anyone can type it). What does: the Authentication-Results header that our own
// receiving server (Gmail: mx.google.com) adds on top of the message, when it says DMARC passed,
// or DKIM passed for the From domain, or SPF passed for a MAIL FROM in the From domain. Only the
// topmost such header is read: headers further down were written by servers we do not run, or by
// the sender.
import type { ParsedEmail } from '../ingest/parsed-email.ts';

interface MethodResult {
  method: string;
  result: string;
  properties: Record<string, string>;
}

/** Parses one Authentication-Results value (RFC 8601) into its method results. */
export function parseAuthenticationResults(value: string): MethodResult[] {
  const withoutComments = value.replace(/\([^()]*\)/g, ' ');
  const [, ...resinfos] = withoutComments.split(';');
  const results: MethodResult[] = [];
  for (const resinfo of resinfos) {
    const tokens = resinfo.trim().split(/\s+/).filter(Boolean);
    const head = /^([a-z0-9_-]+)=([a-z0-9_-]+)$/i.exec(tokens[0] ?? '');
    if (!head) continue;
    const properties: Record<string, string> = {};
    for (const token of tokens.slice(1)) {
      const prop = /^([a-z0-9_-]+\.[a-z0-9_-]+)=(.+)$/i.exec(token);
      if (prop) properties[prop[1]!.toLowerCase()] = prop[2]!.replace(/^"|"$/g, '').toLowerCase();
    }
    results.push({ method: head[1]!.toLowerCase(), result: head[2]!.toLowerCase(), properties });
  }
  return results;
}

function domainOf(addressOrDomain: string | undefined): string | undefined {
  const value = addressOrDomain?.toLowerCase().trim();
  if (!value) return undefined;
  return value.includes('@') ? value.slice(value.lastIndexOf('@') + 1) : value;
}

/** Relaxed alignment (as DMARC's default): the same domain, or one a subdomain of the other. */
function aligned(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

export function isSenderAuthenticated(email: ParsedEmail): boolean {
  const top = email.headers['authentication-results']?.[0];
  const fromDomain = domainOf(email.from?.address);
  if (!top || !fromDomain) return false;
  return parseAuthenticationResults(top).some((r) => {
    if (r.result !== 'pass') return false;
    if (r.method === 'dmarc') return aligned(domainOf(r.properties['header.from']) ?? fromDomain, fromDomain);
    if (r.method === 'dkim') return aligned(domainOf(r.properties['header.d'] ?? r.properties['header.i']), fromDomain);
    if (r.method === 'spf') return aligned(domainOf(r.properties['smtp.mailfrom']), fromDomain);
    return false;
  });
}
