// Sends a public response with its validators (strong ETag, Last-Modified) and Cache-Control,
// or a bodiless 304 when the client's copy is current.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isNotModified, PUBLIC_CACHE_CONTROL } from '../../../publishing/http-cache.ts';
import type { CachedResponse } from '../../../publishing/response-cache.ts';

/**
 * Security headers of the feeds, fixed once. Feed routes skip @fastify/helmet, which builds its
 * middleware anew on every request (a third of a cached feed's cost); these say the same for a
 * document that loads nothing, and let other sites read the feeds (CORS, CORP).
 */
export function feedSecurityHeaders(publicBaseUrl: string): Readonly<Record<string, string>> {
  return Object.freeze({
    ...FEED_SECURITY_HEADERS,
    ...(publicBaseUrl.startsWith('https:') ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  });
}

/** The same without HSTS, which is sent only when the public base URL is https (feedSecurityHeaders). */
export const FEED_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'cross-origin',
  'access-control-allow-origin': '*',
  'x-frame-options': 'DENY',
});

export function sendPublic(request: FastifyRequest, reply: FastifyReply, response: CachedResponse): FastifyReply {
  reply
    .header('etag', response.etag)
    .header('last-modified', response.lastModifiedHttp)
    .header('cache-control', PUBLIC_CACHE_CONTROL);
  if (response.statusCode === 200 && isNotModified(request.headers, response)) {
    return reply.code(304).send();
  }
  return reply.code(response.statusCode).type(response.contentType).send(response.body);
}
