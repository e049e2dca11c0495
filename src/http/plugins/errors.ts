// One error handler: every error leaves as application/problem+json (RFC 9457). Domain errors
// carry their own status and message; validation errors list what was wrong; anything else is a
// 500 with a generic body (the details go to the log, never to the client).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isQueryCanceled } from '../../db/sql.ts';
import { DomainError } from '../../errors.ts';

/** A request the database stopped at the request pool's statement_timeout may be tried again soon. */
const QUERY_TIMEOUT_RETRY_AFTER_SECONDS = 5;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): Problem {
  return { type: `urn:statement-desk:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...extensions };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.status(body.status).type('application/problem+json; charset=utf-8').send(body);
}

function toProblem(error: FastifyError | Error, request: FastifyRequest): Problem {
  if (error instanceof DomainError) {
    return { ...problem(error.statusCode, error.code, error.message, error.details), instance: request.url };
  }
  if (isQueryCanceled(error)) {
    return {
      ...problem(
        503,
        'query_timeout',
        'The database stopped this request because it ran too long (REQUEST_STATEMENT_TIMEOUT_MS). Narrow it down (a status, a date range, longer or more search words) and try again.',
      ),
      instance: request.url,
    };
  }
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = fastifyError.validationContext ?? 'request';
    const errors = error.validation.map((v) => ({
      field: `${where}${v.instancePath.replace(/\//g, '.')}`,
      message: v.message ?? 'invalid',
    }));
    const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return { ...problem(400, 'invalid_input', `The ${where} is not valid: ${summary}. Fix these fields and send it again.`, { errors }), instance: request.url };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500 && !isResponseSerializationError(error)) {
    const code = fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body_too_large' : (fastifyError.code ?? 'bad_request').toLowerCase();
    return { ...problem(status, code, error.message || TITLES[status] || 'Bad request'), instance: request.url };
  }
  return {
    ...problem(500, 'internal_error', 'Something went wrong on our side. Try again; if it keeps happening, tell an administrator the time it happened.'),
    instance: request.url,
  };
}

async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toProblem(error, request);
    if (body.code === 'client_gone') {
      request.log.info('the client went away; its query was cancelled');
    } else if (body.code === 'query_timeout' || body.code === 'busy') {
      // Load, not a defect: one line, no stack.
      request.log.warn({ code: body.code, status: body.status }, 'request refused under load');
      reply.header('retry-after', String((error as { retryAfterSeconds?: number }).retryAfterSeconds ?? QUERY_TIMEOUT_RETRY_AFTER_SECONDS));
    } else if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.warn({ code: body.code, status: body.status, detail: body.detail }, 'request rejected');
    if (body.status === 401) reply.header('www-authenticate', 'Bearer realm="statement-desk"');
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { ...problem(404, 'not_found', `Nothing here: ${request.method} ${request.url}. See /docs for the API.`), instance: request.url }),
  );
}

export default fp(errorsPlugin, { name: 'errors' });
