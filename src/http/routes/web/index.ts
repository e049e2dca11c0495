// The editors' web pages under /editor: server-rendered HTML forms that work without JavaScript.
// Every page except sign-in needs a signed-in editor (a browser without a session is sent to the
// sign-in page); every form POST carries the session's CSRF token in `_csrf`. Errors leave as an
// HTML page that says what went wrong and what to do, never as a problem+json document.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { DomainError } from '../../../errors.ts';
import activityRoutes from './activity.ts';
import assetRoutes from './assets.ts';
import editorAdminRoutes from './editors.ts';
import messageRoutes from './messages.ts';
import organisationRoutes from './organisations.ts';
import queueRoutes from './queue.ts';
import { renderPage } from './render.ts';
import { FORM_FIELD_LABELS } from '../../../moderation/statement-form.ts';
import senderRoutes from './sender.ts';
import senderOrganisationPageRoutes from './sender-organisation.ts';
import signInRoutes from './sign-in.ts';
import statementRoutes from './statements.ts';
import topicRoutes from './topics.ts';
import { SAFE_METHODS } from '../../plugins/auth.ts';
import { isDataError } from '../../plugins/errors.ts';
import { ZodError } from 'zod';


const TECHNICAL_FIELDS = new Set(['_csrf', 'password', 'version', 'action', 'next', 'statementId', 'direction']);
const FIELD_NAMES: Record<string, string> = { ...FORM_FIELD_LABELS, reasonText: 'Reason', text: 'Reason', introduction: 'Introduction', name: 'Name' };

/** What the editor typed into a form that could not be accepted, so it can be copied, not lost. */
export function keptFields(body: unknown): { label: string; value: string }[] {
  if (!body || typeof body !== 'object') return [];
  return Object.entries(body as Record<string, unknown>)
    .filter(([name, value]) => !TECHNICAL_FIELDS.has(name) && typeof value === 'string' && value.trim())
    .map(([name, value]) => ({ label: FIELD_NAMES[name] ?? name, value: value as string }));
}

/** Sends a browser without a session to the sign-in page, then back to where it was going. */
async function requireEditorPage(request: FastifyRequest, reply: FastifyReply) {
  if (!request.editor || request.auth?.method !== 'session') {
    if (!SAFE_METHODS.has(request.method)) {
      // A form sent after the session ended: keep what was typed on the page instead of losing it.
      return renderPage(request, reply, 'error', {
        title: 'Signed out',
        heading: 'Your session has ended, so nothing was saved',
        detail: 'You were signed out (or the session expired). Sign in again in a new tab, then come back here: use the browser’s Back button to return to your form, or copy your text from below.',
        signIn: true,
        kept: keptFields(request.body),
      }, 401);
    }
    return reply.redirect(`/editor/sign-in?next=${encodeURIComponent(request.url)}`, 303);
  }
  // Checks the CSRF token of form posts (and refuses bearer tokens: these pages are for browsers).
  await request.server.requireEditor(request, reply);
}

function describeError(error: FastifyError): { status: number; heading: string; detail: string } {
  if (error instanceof DomainError) {
    const headings: Record<number, string> = {
      400: 'Something in the form is not right',
      403: 'Not allowed',
      404: 'Not found',
      409: 'That cannot be done now',
      412: 'Someone else changed this first',
      429: 'Too many attempts',
    };
    return { status: error.statusCode, heading: headings[error.statusCode] ?? 'That did not work', detail: error.message };
  }
  if (error instanceof ZodError) {
    return { status: 400, heading: 'Something in the address or form is not right', detail: `${error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ')}. Go back, correct it and try again.` };
  }
  if (isDataError(error)) {
    return { status: 400, heading: 'Something in the address or form is not right', detail: 'A value is not one that can be stored or searched for (a control character, a date before year 1 or after 9999...). Go back, correct it and try again.' };
  }
  const status = error.statusCode ?? 500;
  if (status === 400 && error.validation) {
    return { status, heading: 'Something in the address or form is not right', detail: `${error.message}. Go back, correct it and try again.` };
  }
  if (status >= 400 && status < 500) return { status, heading: 'That did not work', detail: error.message };
  return {
    status: 500,
    heading: 'Something went wrong on our side',
    detail: 'Try again; if it keeps happening, tell an administrator the time it happened.',
  };
}

export default async function editorWebRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  // HTML pages are not part of the API: keep them out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...(route.schema ?? {}), hide: true };
  });
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const { status, heading, detail } = describeError(error);
    if (status >= 500) request.log.error({ err: error }, 'editor page failed');
    else request.log.warn({ status, detail }, 'editor page request rejected');
    const kept = SAFE_METHODS.has(request.method) ? [] : keptFields(request.body);
    return renderPage(request, reply, 'error', { title: heading, heading, detail, kept }, status);
  });
  app.setNotFoundHandler(async (request, reply) =>
    renderPage(request, reply, 'error', {
      title: 'Page not found',
      heading: 'Page not found',
      detail: `There is no editors' page at ${request.url}. Use the links above to find your way.`,
    }, 404),
  );

  await app.register(assetRoutes);
  await app.register(signInRoutes, { deps: options.deps });
  await app.register(async (pages) => {
    pages.addHook('preHandler', requireEditorPage);
    await pages.register(queueRoutes, { deps: options.deps });
    await pages.register(statementRoutes, { deps: options.deps });
    await pages.register(senderRoutes, { deps: options.deps });
    await pages.register(senderOrganisationPageRoutes, { deps: options.deps });
    await pages.register(messageRoutes, { deps: options.deps });
    await pages.register(topicRoutes, { deps: options.deps });
    await pages.register(organisationRoutes, { deps: options.deps });
    await pages.register(editorAdminRoutes, { deps: options.deps });
    await pages.register(activityRoutes, { deps: options.deps });
  });
}
