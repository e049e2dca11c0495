// The session cookie's attributes, one place for the API's sign-in and the editors' pages.
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';

/**
 * httpOnly and SameSite=Lax always; Secure when the request came over https or the public
 * address is https. The second case matters behind a TLS proxy that is not configured as
 * trusted (TRUST_PROXY): the request then looks like http, but the cookie must still never
 * travel in clear.
 */
export function sessionCookieOptions(request: FastifyRequest, publicBaseUrl: string, expires: Date): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', secure: needsSecureCookie(request, publicBaseUrl), path: '/', expires };
}

/** Whether a cookie must be Secure (see sessionCookieOptions). */
export function needsSecureCookie(request: FastifyRequest, publicBaseUrl: string): boolean {
  return request.protocol === 'https' || publicBaseUrl.startsWith('https:');
}
