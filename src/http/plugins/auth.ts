// Authentication for the admin API and the editors' pages. A request is made by an editor when
// it carries a valid bearer token (scripts) or session cookie (browsers). Requests made with a
// cookie that change state must also carry the session's CSRF token, in the `x-csrf-token`
// header or a `_csrf` form field; bearer tokens are not sent by browsers on their own, so they
// need none.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/cookie';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.ts';
import type { EditorIdentity } from '../../editors/editors.ts';
import { findActiveSession, SESSION_COOKIE } from '../../editors/sessions.ts';
import { findEditorByApiToken } from '../../editors/tokens.ts';
import { DomainError, ForbiddenError, UnauthorizedError } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    editor: EditorIdentity | null;
    /** How the editor was authenticated; sessions carry their id and CSRF token. */
    auth: { method: 'token' } | { method: 'session'; sessionId: string; csrfToken: string } | null;
    /** Why credentials that were sent did not identify an editor (told only where auth is needed). */
    authProblem: string | null;
  }
  interface FastifyInstance {
    /** preHandler: 401 unless an editor made the request (and 403 on a missing CSRF token). */
    requireEditor: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** preHandler: like requireEditor, and 403 unless the editor is an admin. */
    requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/** Methods that change nothing, so need no CSRF token. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Where requests are identified (see the onRequest hook). */
const IDENTIFIED_PATHS = /^\/(?:api|editor|ready|docs)(?:[/?]|$)/;

export class CsrfError extends DomainError {
  constructor() {
    super(
      'csrf_token_invalid',
      403,
      'This request needs the CSRF token of your session (header x-csrf-token, or the _csrf form field). Reload the page and try again.',
    );
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function csrfTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string' && header) return header;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined;
}

async function authPlugin(app: FastifyInstance, options: { db: Db; now?: () => Date }) {
  const now = options.now ?? (() => new Date());
  app.decorateRequest('editor', null);
  app.decorateRequest('auth', null);
  app.decorateRequest('authProblem', null);

  // Identify the editor where it matters: the admin API, the editors' pages and /ready (which
  // shows editors more). Public pages and feeds never look at credentials, so a feed reader
  // that sends an Authorization header of its own still gets the feed.
  app.addHook('onRequest', async (request) => {
    if (!IDENTIFIED_PATHS.test(request.url)) return;
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) {
        request.authProblem = 'The Authorization header must be "Bearer <token>".';
        return;
      }
      const editor = await findEditorByApiToken(options.db, match[1]!, now());
      if (!editor) {
        request.authProblem = 'This API token is not valid (revoked, or mistyped). Create a new one with `statement-desk editor token <email>`.';
        return;
      }
      request.editor = editor;
      request.auth = { method: 'token' };
      return;
    }
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (cookie) {
      const session = await findActiveSession(options.db, cookie, now());
      if (session) {
        request.editor = session.editor;
        request.auth = { method: 'session', sessionId: session.id, csrfToken: session.csrfToken };
      }
    }
  });

  app.decorate('requireEditor', async (request: FastifyRequest) => {
    if (!request.editor || !request.auth) throw new UnauthorizedError(request.authProblem ?? undefined);
    if (request.auth.method === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = csrfTokenOf(request);
      if (!sent || !sameSecret(sent, request.auth.csrfToken)) throw new CsrfError();
    }
  });
  app.decorate('requireAdmin', async (request: FastifyRequest, reply: FastifyReply) => {
    await app.requireEditor(request, reply);
    if (request.editor?.role !== 'admin') throw new ForbiddenError('Only administrators can do this. Ask an administrator.');
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['@fastify/cookie'] });
