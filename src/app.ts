// buildApp(deps): the Fastify app. It never listens and starts no background work (the IMAP
// poller and the drop folder are started by main.ts), so tests build it and call app.inject.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import view from '@fastify/view';
import { Eta } from 'eta';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { fileURLToPath } from 'node:url';
import { DomainError } from './errors.ts';
import authPlugin from './http/plugins/auth.ts';
import errorsPlugin, { frameworkErrorHandler } from './http/plugins/errors.ts';
import textInputPlugin from './http/plugins/text-input.ts';
import { capConnectionsPerIp, DEFAULT_HTTP_LIMITS, serverTimeoutOptions } from './http/connection-limits.ts';
import apiRoutes from './http/routes/api/index.ts';
import editorWebRoutes from './http/routes/web/index.ts';
import healthRoutes from './http/routes/health.ts';
import metricsRoutes from './http/routes/metrics.ts';
import publicRoutes from './http/routes/public/index.ts';
import { bindMetricSources, httpRequestDuration } from './observability/metrics.ts';
import { requestIdFrom } from './http/request-id.ts';
import { QueryGate } from './http/query-gate.ts';
import type { AppDeps } from './http/app-deps.ts';

export type { AppDeps };

export const VIEWS_DIR = fileURLToPath(new URL('./http/views/', import.meta.url));

/** How long browsers keep to https once they saw it (a year), sent only when PUBLIC_BASE_URL is https. */
export const HSTS_MAX_AGE_S = 31_536_000;

/** Largest request body we accept: a statement edit is a few hundred kB at most. */
export const BODY_LIMIT_BYTES = 1_048_576;

/** A refused connection is logged at most this often (a flood would otherwise flood the log). */
const REFUSED_CONNECTION_LOG_INTERVAL_MS = 60_000;
/**
 * One info line per request: method, route, status, time and request id (the route pattern,
 * not the URL, so no token or search leaks into the log). Debug adds the URL and headers.
 */
function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  const route = request.routeOptions.url ?? '(no route)';
  const ms = Math.round(reply.elapsedTime * 10) / 10;
  const line = { method: request.method, route, status: reply.statusCode, ms };
  if (request.log.level === 'debug' || request.log.level === 'trace') {
    request.log.debug({ ...line, req: request, res: reply }, `${request.method} ${route} ${reply.statusCode} ${ms} ms`);
  } else {
    request.log.info(line, `${request.method} ${route} ${reply.statusCode} ${ms} ms`);
  }
}

class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(_error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    logRequest(request, reply);
  }
}

/** Routes the flood guard never limits: load balancers' probes and the metrics scraper. */
const FLOOD_GUARD_EXEMPT = new Set(['/health', '/ready', '/metrics']);

export async function buildApp(appDeps: AppDeps): Promise<FastifyInstance> {
  // One gate for the API and the editors' pages: they search the same statements.
  const deps: AppDeps = { ...appDeps, searchGate: appDeps.searchGate ?? new QueryGate() };
  const limits = deps.config.http ?? DEFAULT_HTTP_LIMITS;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    ...serverTimeoutOptions(limits),
    // One line per request, written by logRequest below, instead of Fastify's two.
    logController: new OneLineRequestLog(),
    // Off unless configured: believing X-Forwarded-For from anyone would let a client pick the
    // address that sign-in rate limits count against.
    trustProxy: (deps.config.trustProxy ?? false) as FastifyServerOptions['trustProxy'],
    // A well-formed X-Request-Id from the proxy is kept (so one id follows a request through the
    // proxy's logs and ours), anything else is replaced; it is in every log line of the request.
    requestIdHeader: false,
    genReqId: (request) => requestIdFrom(request.headers['x-request-id']),
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  let lastRefusalLoggedAt = 0;
  capConnectionsPerIp(app.server, limits.maxConnectionsPerIp, (address, open) => {
    if (Date.now() - lastRefusalLoggedAt < REFUSED_CONNECTION_LOG_INTERVAL_MS) return;
    lastRefusalLoggedAt = Date.now();
    deps.logger.warn({ address, open, max: limits.maxConnectionsPerIp }, 'connection refused: too many open connections from one address (MAX_CONNECTIONS_PER_IP)');
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, so that ids and slugs do not make a label per request.
    const route = request.routeOptions.url ?? 'unmatched';
    httpRequestDuration.observe({ route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  bindMetricSources({ db: deps.db, sourceStatuses: deps.sourceStatuses ?? (() => []) });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorsPlugin);
  if (limits.requestsPerMinutePerIp > 0) {
    // A coarse flood guard per client address (request.ip: the proxy's X-Forwarded-For with
    // TRUST_PROXY). Each instance counts its own; sign-in has its own tight limits in PostgreSQL.
    // Health probes and the metrics scraper are never limited.
    await app.register(rateLimit, {
      max: limits.requestsPerMinutePerIp,
      timeWindow: 60_000,
      allowList: (request) => FLOOD_GUARD_EXEMPT.has(request.routeOptions.url ?? ''),
      errorResponseBuilder: (_request, context) =>
        new DomainError(
          'too_many_requests',
          429,
          `More than ${context.max} requests a minute came from your address. Wait ${context.after} and try again.`,
          { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
        ),
    });
  }
  await app.register(textInputPlugin);
  // Over plain http (a VM before TLS, a LAN address), telling the browser to upgrade its requests
  // would make it fetch styles over https and block the sign-in form: only an https public base
  // URL asks for upgrades, and for HSTS.
  const https = deps.config.publicBaseUrl.startsWith('https:');
  await app.register(helmet, {
    hsts: https ? { maxAge: HSTS_MAX_AGE_S, includeSubDomains: true } : false,
    // Pages are server-rendered without inline scripts; /docs needs its own bundle and styles.
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: https ? [] : null,
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
          'Admin API (bearer token or session cookie + CSRF token) and public feeds of statement-desk. Errors are application/problem+json (RFC 9457). Text anywhere in a request (path, query, body) must not hold a NUL character or a lone UTF-16 surrogate (400). API answers carry Cache-Control: no-store.',
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

  if (deps.config.metricsToken) await app.register(metricsRoutes, { token: deps.config.metricsToken });
  await app.register(healthRoutes, { db: deps.db, sourceStatuses: deps.sourceStatuses ?? (() => []), outgoingStatus: deps.outgoingStatus });
  await app.register(apiRoutes, { prefix: '/api', deps });
  await app.register(publicRoutes, { deps });
  await app.register(editorWebRoutes, { prefix: '/editor', deps });
  return app;
}
