// GET/POST /editor/sign-in and POST /editor/sign-out: the browser side of src/editors/sign-in.ts
// (same rate limits and audit as POST /api/session). The session cookie is httpOnly and
// SameSite=Lax; every later form carries the session's CSRF token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../app.ts';
import { DomainError } from '../../../errors.ts';
import { SESSION_COOKIE } from '../../../editors/sessions.ts';
import { signIn, signOut } from '../../../editors/sign-in.ts';
import { redirectWithNotice, renderPage } from './render.ts';

/** Only our own pages are a place to go back to after signing in (no open redirect). */
export function safeNextPath(next: unknown): string {
  return typeof next === 'string' && /^\/editor(\/|\?|$)/.test(next) && !next.includes('//') && !next.includes('\\') ? next : '/editor';
}

function formField(body: unknown, name: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

export default async function signInRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const { db, config } = options.deps;
  const now = options.deps.now ?? (() => new Date());

  const showForm = (request: FastifyRequest, reply: FastifyReply, fields: { email: string; next: string; problem?: string }, status = 200) =>
    renderPage(request, reply, 'sign-in', { title: 'Sign in', email: fields.email, next: fields.next, problem: fields.problem ?? null }, status);

  app.get('/sign-in', async (request, reply) => {
    const next = safeNextPath((request.query as Record<string, unknown>).next);
    if (request.editor && request.auth?.method === 'session') return reply.redirect(next, 303);
    return showForm(request, reply, { email: '', next });
  });

  app.post('/sign-in', async (request, reply) => {
    const email = formField(request.body, 'email').trim();
    const password = formField(request.body, 'password');
    const next = safeNextPath(formField(request.body, 'next'));
    if (!email || !password) {
      return showForm(request, reply, { email, next, problem: 'Enter your email address and your password.' }, 400);
    }
    try {
      const session = await signIn(db, { email, password, ip: request.ip, now: now(), ttlMs: config.sessionTtlMs });
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: isHttps(request),
        expires: session.expiresAt,
      });
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
