// buildApp(deps): the Fastify app. It never listens and starts no background work (the IMAP
// poller and the drop folder are started by main.ts), so tests build it and call app.inject.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import view from '@fastify/view';
import { Eta } from 'eta';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { fileURLToPath } from 'node:url';
import type { OutgoingStatus } from './answers/outbox-sender.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import authPlugin from './http/plugins/auth.ts';
import errorsPlugin from './http/plugins/errors.ts';
import apiRoutes from './http/routes/api/index.ts';
import editorWebRoutes from './http/routes/web/index.ts';
import healthRoutes from './http/routes/health.ts';
import publicRoutes from './http/routes/public/index.ts';
import type { SourceStatus } from './ingest/sources/source.ts';
import type { Logger } from './logger.ts';

export interface AppDeps {
  db: Db;
  logger: Logger;
  config: Pick<Config, 'publicBaseUrl' | 'sessionTtlMs'> & Partial<Pick<Config, 'trustProxy'>>;
  /** Status of the running ingest sources, for GET /ready (none in tests that start none). */
  sourceStatuses?: () => SourceStatus[];
  /** The outgoing side (SMTP sender loop), for GET /ready; "not configured" when absent. */
  outgoingStatus?: () => OutgoingStatus;
  now?: () => Date;
  /** How long a public feed may answer from its last version read (ms, default 1000); 0 in tests. */
  publicFeedVersionMaxAgeMs?: number;
}

export const VIEWS_DIR = fileURLToPath(new URL('./http/views/', import.meta.url));

/** Largest request body we accept: a statement edit is a few hundred kB at most. */
export const BODY_LIMIT_BYTES = 1_048_576;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Off unless configured: believing X-Forwarded-For from anyone would let a client pick the
    // address that sign-in rate limits count against.
    trustProxy: (deps.config.trustProxy ?? false) as FastifyServerOptions['trustProxy'],
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorsPlugin);
  await app.register(helmet, {
    // Pages are server-rendered without inline scripts; /docs needs its own bundle and styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'statement-desk',
        description:
          'Admin API (bearer token or session cookie + CSRF token) and public feeds of statement-desk. Errors are application/problem+json (RFC 9457).',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Create one with `statement-desk editor token <email>`.' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'sd_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin, { db: deps.db, now: deps.now });
  // Server-rendered pages (public pages and the editors' pages): Eta escapes every <%= %> by
  // default; <%~ %> (raw) is only for HTML that src/html/sanitize.ts produced.
  await app.register(view, {
    engine: { eta: new Eta({ views: VIEWS_DIR, autoEscape: true, cache: true }) },
    root: VIEWS_DIR,
    viewExt: 'eta',
  });

  await app.register(healthRoutes, { db: deps.db, sourceStatuses: deps.sourceStatuses ?? (() => []), outgoingStatus: deps.outgoingStatus });
  await app.register(apiRoutes, { prefix: '/api', deps });
  await app.register(publicRoutes, { deps });
  await app.register(editorWebRoutes, { prefix: '/editor', deps });
  return app;
}
