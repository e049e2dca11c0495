// GET/POST /editor/sign-in and POST /editor/sign-out: the browser side of src/editors/sign-in.ts
// (same rate limits and audit as POST /api/session). The session cookie is httpOnly and
// SameSite=Lax; every later form carries the session's CSRF token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { DomainError } from '../../../errors.ts';
import { needsSecureCookie, sessionCookieOptions } from '../../session-cookie.ts';
import { SESSION_COOKIE } from '../../../editors/sessions.ts';
import { signIn, signOut } from '../../../editors/sign-in.ts';
import { redirectWithNotice, renderPage } from './render.ts';

/**
 * Only our own pages are a place to go back to after signing in (no open redirect), written in
 * printable ASCII: a CR/LF or a character outside Latin-1 in a Location header makes Node throw,
 * and a browser address that came through our own redirect is percent-encoded anyway.
 */
export function safeNextPath(next: unknown): string {
  return typeof next === 'string' && /^\/editor(\/|\?|$)/.test(next) && /^[\x21-\x7e]*$/.test(next) && !next.includes('//') && !next.includes('\\') ? next : '/editor';
}

function formField(body: unknown, name: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/**
 * Login CSRF: another site must not sign a browser in (as the attacker) with a hidden form.
 * The form carries a random token that must match a SameSite=Strict cookie set with it, which a
 * cross-site form post never sends. (Origin cannot serve: under our no-referrer policy Chromium
 * sends "Origin: null" even for our own form.)
 */
export const SIGN_IN_COOKIE = 'sd_signin';
const SIGN_IN_FORM_TTL_S = 3600;

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length > 0 && left.length === right.length && timingSafeEqual(left, right);
}

export default async function signInRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const { db, config } = options.deps;
  const now = options.deps.now ?? (() => new Date());

  const showForm = (request: FastifyRequest, reply: FastifyReply, fields: { email: string; next: string; problem?: string }, status = 200) => {
    const formToken = randomBytes(18).toString('base64url');
    reply.setCookie(SIGN_IN_COOKIE, formToken, { path: '/editor/sign-in', httpOnly: true, sameSite: 'strict', secure: needsSecureCookie(request, config.publicBaseUrl), maxAge: SIGN_IN_FORM_TTL_S });
    return renderPage(request, reply, 'sign-in', { title: 'Sign in', email: fields.email, next: fields.next, formToken, problem: fields.problem ?? null }, status);
  };

  app.get('/sign-in', async (request, reply) => {
    const next = safeNextPath((request.query as Record<string, unknown>).next);
    if (request.editor && request.auth?.method === 'session') return reply.redirect(next, 303);
    return showForm(request, reply, { email: '', next });
  });

  app.post('/sign-in', async (request, reply) => {
    const email = formField(request.body, 'email').trim();
    const password = formField(request.body, 'password');
    const next = safeNextPath(formField(request.body, 'next'));
    if (!sameToken(formField(request.body, '_signin'), request.cookies[SIGN_IN_COOKIE] ?? '')) {
      return showForm(request, reply, { email, next, problem: 'This sign-in form had expired or came from another site, so it was not used. Sign in again here.' }, 403);
    }
    if (!email || !password) {
      return showForm(request, reply, { email, next, problem: 'Enter your email address and your password.' }, 400);
    }
    try {
      const session = await signIn(db, { email, password, ip: request.ip, now: now(), ttlMs: config.sessionTtlMs });
      reply.clearCookie(SIGN_IN_COOKIE, { path: '/editor/sign-in' });
      reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(request, config.publicBaseUrl, session.expiresAt));
      return reply.redirect(next, 303);
    } catch (error) {
      if (error instanceof DomainError && (error.statusCode === 401 || error.statusCode === 429)) {
        return showForm(request, reply, { email, next, problem: error.message }, error.statusCode);
      }
      throw error;
    }
  });

  app.post('/sign-out', async (request, reply) => {
    if (request.editor && request.auth?.method === 'session') {
      await app.requireEditor(request, reply);
      await signOut(db, request.auth.sessionId, now());
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return redirectWithNotice(reply, '/editor/sign-in', 'signed_out');
  });
}
