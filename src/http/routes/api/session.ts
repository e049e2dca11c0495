// POST /api/session (sign in: the only /api route that answers without credentials),
// GET /api/session (who am I, and the CSRF token for state-changing requests),
// DELETE /api/session (sign out: the session is revoked server-side),
// PUT /api/session/password (change my own password; my other sessions end).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { findSessionExpiry, SESSION_COOKIE } from '../../../editors/sessions.ts';
import { signIn, signOut, TooManySignInsError } from '../../../editors/sign-in.ts';
import { MIN_PASSWORD_LENGTH } from '../../../editors/passwords.ts';
import { changeOwnPassword } from '../../../moderation/editor-accounts.ts';
import { DomainError, ForbiddenError, UnsupportedMediaTypeError, ValidationError } from '../../../errors.ts';
import { editorIdentitySchema } from '../../schemas/editor.ts';
import { problemSchema } from '../../schemas/common.ts';
import { sessionCookieOptions } from '../../session-cookie.ts';

/** application/json, or a JSON type such as application/merge-patch+json, with or without parameters. */
const JSON_CONTENT_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Login CSRF: a form on another site can post urlencoded or text/plain credentials (the
 * attacker's) and sign the victim's browser into the attacker's account. A browser sends JSON
 * cross-site only after a CORS preflight, which this server never grants, so JSON alone is safe;
 * Sec-Fetch-Site tells the rest when the browser says so.
 */
async function refuseCrossSiteSignIn(request: FastifyRequest): Promise<void> {
  if (request.headers['sec-fetch-site'] === 'cross-site') {
    throw new ForbiddenError('Signing in from another site is not allowed. Open the statement-desk sign-in page and sign in there.');
  }
  if (!JSON_CONTENT_TYPE.test(request.headers['content-type'] ?? '')) {
    throw new UnsupportedMediaTypeError('Send the sign-in as JSON (Content-Type: application/json) with "email" and "password". Browsers sign in on /editor/sign-in.');
  }
}

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
    preValidation: refuseCrossSiteSignIn,
    schema: {
      tags: ['session'],
      summary: 'Sign in with email and password',
      description: `Sets the httpOnly session cookie \`${SESSION_COOKIE}\` and returns the CSRF token. Failed sign-ins are limited per address and per IP (5 per 15 minutes): the 429 says when to try again. JSON only (any other Content-Type gets 415), and a request the browser marks \`Sec-Fetch-Site: cross-site\` gets 403, so another site cannot sign a browser in.`,
      body: z.strictObject({ email: z.string().trim().min(1, 'enter your email address').max(254), password: z.string().min(1, 'enter your password').max(1000) }),
      response: { 200: sessionSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 415: problemSchema, 429: problemSchema },
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
      const expiresAt = await findSessionExpiry(db, auth.sessionId);
      return { editor: request.editor!, method: 'session' as const, csrfToken: auth.csrfToken, expiresAt: expiresAt?.toISOString() ?? null };
    }
    return { editor: request.editor!, method: 'token' as const, csrfToken: null, expiresAt: null };
  });

  r.put('/session/password', {
    schema: {
      tags: ['session'],
      summary: 'Change my own password',
      description:
        'Needs the current password; wrong ones are limited like sign-ins (5 per 15 minutes per editor and per IP, then 429 saying when to try again). Every other session of mine ends; this one stays signed in. My API tokens are revoked too (a password is changed because it may have leaked), unless `revokeApiTokens` is false.',
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
      body: z.strictObject({
        currentPassword: z.string().min(1, 'enter your current password').max(1000),
        newPassword: z.string().min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`).max(1000),
        revokeApiTokens: z.boolean().default(true).describe('Revoke every API token of mine (default true; a token used for this request stops working too).'),
      }),
      response: { 204: z.null().describe('Password changed'), 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema },
    },
  }, async (request, reply) => {
    const auth = request.auth!;
    try {
      const result = await changeOwnPassword(db, {
        editor: request.editor!,
        currentPassword: request.body.currentPassword,
        newPassword: request.body.newPassword,
        ip: request.ip,
        now: now(),
        keepSessionId: auth.method === 'session' ? auth.sessionId : undefined,
        revokeApiTokens: request.body.revokeApiTokens,
      });
      request.log.info({ editorId: request.editor!.id, ...result }, 'editor changed their password');
      return reply.code(204).send(null);
    } catch (error) {
      if (error instanceof DomainError && error.statusCode === 429) reply.header('retry-after', String(error.details?.retryAfterSeconds ?? 60));
      throw error;
    }
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
