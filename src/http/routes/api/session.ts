// POST /api/session (sign in: the only /api route that answers without credentials),
// GET /api/session (who am I, and the CSRF token for state-changing requests),
// DELETE /api/session (sign out: the session is revoked server-side),
// PUT /api/session/password (change my own password; my other sessions end).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../../app.ts';
import { SESSION_COOKIE } from '../../../editors/sessions.ts';
import { signIn, signOut, TooManySignInsError } from '../../../editors/sign-in.ts';
import { MIN_PASSWORD_LENGTH } from '../../../editors/passwords.ts';
import { changeOwnPassword } from '../../../moderation/editor-accounts.ts';
import { ValidationError } from '../../../errors.ts';
import { editorIdentitySchema } from '../../schemas/editor.ts';
import { problemSchema } from '../../schemas/common.ts';
import { sessionCookieOptions } from '../../session-cookie.ts';

const sessionSchema = z.object({
  editor: editorIdentitySchema,
  method: z.enum(['session', 'token']).describe('How this request was authenticated.'),
  csrfToken: z.string().nullable().describe('Send it as the x-csrf-token header with every POST, PATCH, PUT and DELETE made with the session cookie. Null for API tokens (they need none).'),
  expiresAt: z.string().nullable(),
});

export default async function sessionRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options.deps;
  const now = options.deps.now ?? (() => new Date());

  r.post('/session', {
    config: { public: true },
    schema: {
      tags: ['session'],
      summary: 'Sign in with email and password',
      description: `Sets the httpOnly session cookie \`${SESSION_COOKIE}\` and returns the CSRF token. Failed sign-ins are limited per address and per IP (5 per 15 minutes): the 429 says when to try again.`,
      body: z.strictObject({ email: z.string().trim().min(1, 'enter your email address').max(254), password: z.string().min(1, 'enter your password').max(1000) }),
      response: { 200: sessionSchema, 400: problemSchema, 401: problemSchema, 429: problemSchema },
    },
  }, async (request, reply) => {
    try {
      const result = await signIn(db, { email: request.body.email, password: request.body.password, ip: request.ip, now: now(), ttlMs: config.sessionTtlMs });
      request.log.info({ editorId: result.editor.id, sessionId: result.sessionId }, 'editor signed in');
      reply.setCookie(SESSION_COOKIE, result.token, sessionCookieOptions(request, config.publicBaseUrl, result.expiresAt));
      return { editor: result.editor, method: 'session' as const, csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
    } catch (error) {
      if (error instanceof TooManySignInsError) reply.header('retry-after', String(error.details?.retryAfterSeconds ?? 60));
      throw error;
    }
  });

  r.get('/session', {
    schema: {
      tags: ['session'],
      summary: 'Who am I, and the CSRF token of my session',
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
      response: { 200: sessionSchema, 401: problemSchema },
    },
  }, async (request) => {
    const auth = request.auth!;
    if (auth.method === 'session') {
      const session = await db.session.findUnique({ where: { id: auth.sessionId }, select: { expiresAt: true } });
      return { editor: request.editor!, method: 'session' as const, csrfToken: auth.csrfToken, expiresAt: session?.expiresAt.toISOString() ?? null };
    }
    return { editor: request.editor!, method: 'token' as const, csrfToken: null, expiresAt: null };
  });

  r.put('/session/password', {
    schema: {
      tags: ['session'],
      summary: 'Change my own password',
      description: 'Needs the current password. Every other session of mine ends; this one stays signed in.',
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
      body: z.strictObject({
        currentPassword: z.string().min(1, 'enter your current password').max(1000),
        newPassword: z.string().min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`).max(1000),
      }),
      response: { 204: z.null().describe('Password changed'), 400: problemSchema, 401: problemSchema, 403: problemSchema },
    },
  }, async (request, reply) => {
    const auth = request.auth!;
    await changeOwnPassword(db, {
      editor: request.editor!,
      currentPassword: request.body.currentPassword,
      newPassword: request.body.newPassword,
      now: now(),
      keepSessionId: auth.method === 'session' ? auth.sessionId : undefined,
    });
    request.log.info({ editorId: request.editor!.id }, 'editor changed their password');
    return reply.code(204).send(null);
  });

  r.delete('/session', {
    schema: {
      tags: ['session'],
      summary: 'Sign out: the session stops working at once',
      security: [{ sessionCookie: [] }],
      response: { 204: z.null().describe('Signed out'), 400: problemSchema, 401: problemSchema, 403: problemSchema },
    },
  }, async (request, reply) => {
    const auth = request.auth!;
    if (auth.method !== 'session') {
      throw new ValidationError('This request used an API token, not a session. Tokens are revoked by an administrator; to sign out a browser, send its session cookie.');
    }
    await signOut(db, auth.sessionId, now());
    request.log.info({ editorId: request.editor!.id, sessionId: auth.sessionId }, 'editor signed out');
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });
}
