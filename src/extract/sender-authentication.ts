// Whether the receiving mail server vouched for the From address. Pure.
//
// A From header proves nothing by itself, and neither does a "From:" line inside a forwarded
// message (anyone can type it). What does: the Authentication-Results header that our own
// receiving server (Gmail: mx.google.com) adds on top of the message, when it says DMARC passed,
// or DKIM passed for the From domain, or SPF passed for a MAIL FROM in the From domain.
//
// Anyone can write an Authentication-Results header naming mx.google.com, so two rules hold:
// - only the topmost header is read: the receiving server adds its own above everything the
//   sender wrote; headers further down were written by servers we do not run, or by the sender;
// - it counts only when its authserv-id is one the operator named (TRUSTED_AUTHSERV_ID). With
//   none named, nothing is verified: a drop folder or an `import` has no receiving server of ours,
//   so whatever header tops such a file was written by whoever wrote the file.
import type { ParsedEmail } from './parsed-email.ts';

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

/** The authserv-id of an Authentication-Results value: its first token, before the first ";". */
export function authservIdOf(value: string): string | undefined {
  const [head = ''] = value.replace(/\([^()]*\)/g, ' ').split(';', 1);
  return head.trim().split(/\s+/)[0]?.toLowerCase() || undefined;
}

/**
 * True when the topmost Authentication-Results header was written by a trusted server
 * (`trustedAuthservIds`, compared without case) and says the From address passed. An empty list
 * trusts no one: nothing is authenticated.
 */
export function isSenderAuthenticated(email: ParsedEmail, trustedAuthservIds: readonly string[] = []): boolean {
  const top = email.headers['authentication-results']?.[0];
  const fromDomain = domainOf(email.from?.address);
  if (!top || !fromDomain) return false;
  const authservId = authservIdOf(top);
  if (!authservId || !trustedAuthservIds.some((id) => id.trim().toLowerCase() === authservId)) return false;
  return parseAuthenticationResults(top).some((r) => {
    if (r.result !== 'pass') return false;
    if (r.method === 'dmarc') return aligned(domainOf(r.properties['header.from']) ?? fromDomain, fromDomain);
    if (r.method === 'dkim') return aligned(domainOf(r.properties['header.d'] ?? r.properties['header.i']), fromDomain);
    if (r.method === 'spf') return aligned(domainOf(r.properties['smtp.mailfrom']), fromDomain);
    return false;
  });
}
