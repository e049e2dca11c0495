// Everything under /api/ needs an editor (bearer token or session cookie with CSRF token),
// except routes that declare `config: { public: true }` (sign-in). Secure by default: a new
// route is protected unless it says otherwise.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import adminRoutes from './admin.ts';
import attachmentRoutes from './attachments.ts';
import erasureRoutes from './erasures.ts';
import mailTemplateRoutes from './mail-templates.ts';
import messageRoutes from './messages.ts';
import organisationRoutes from './organisations.ts';
import senderApiRoutes from './senders.ts';
import senderOrganisationRoutes from './sender-organisation.ts';
import sessionRoutes from './session.ts';
import statementRoutes from './statements.ts';
import topicRoutes from './topics.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers without authentication. */
    public?: boolean;
  }
}

export default async function apiRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  // API answers are per editor and often carry drafts, tokens or sender addresses: no browser,
  // proxy or shared cache may keep them (set first, so error answers carry it too).
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  app.addHook('onRoute', (route) => {
    if (route.config?.public) return;
    // preValidation, not preHandler: a caller without credentials learns nothing about the
    // request schema (401 before 400), and the body is parsed by then for the _csrf form field.
    const existing = route.preValidation ? (Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation]) : [];
    route.preValidation = [app.requireEditor, ...existing];
  });
  await app.register(sessionRoutes, { deps: options.deps });
  await app.register(messageRoutes, { deps: options.deps });
  await app.register(statementRoutes, { deps: options.deps });
  await app.register(senderApiRoutes, { deps: options.deps });
  await app.register(senderOrganisationRoutes, { deps: options.deps });
  await app.register(attachmentRoutes, { deps: options.deps });
  await app.register(topicRoutes, { deps: options.deps });
  await app.register(organisationRoutes, { deps: options.deps });
  await app.register(adminRoutes, { deps: options.deps });
  await app.register(erasureRoutes, { deps: options.deps });
  await app.register(mailTemplateRoutes, { deps: options.deps });
}
