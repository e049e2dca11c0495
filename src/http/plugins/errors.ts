// One error handler: every error leaves as application/problem+json (RFC 9457). Domain errors
// carry their own status and message; validation errors list what was wrong; anything else is a
// 500 with a generic body (the details go to the log, never to the client).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
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
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
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

/** Prisma's codes for a value the database refused (too long, invalid, out of range). */
const PRISMA_DATA_ERRORS = new Set(['P2000', 'P2006', 'P2007', 'P2020']);
/** Driver adapter error kinds for the same. */
const ADAPTER_DATA_ERRORS = new Set(['InvalidInputValue', 'ValueOutOfRange', 'LengthMismatch']);

/**
 * Whether the database refused a value the request brought (SQLSTATE class 22, "data
 * exception": a NUL in text, a date or number out of range, a bad LIKE escape) rather than
 * failing. Only these become a 400; a lost connection, a constraint or a bug stays a 500.
 */
export function isDataError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const e = current as { code?: unknown; kind?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown; kind?: unknown } } }; cause?: unknown };
    const adapter = e.meta?.driverAdapterError?.cause;
    const sqlState = [adapter?.originalCode, adapter?.code, e.meta?.code, e.code].find((c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c) && !/^P\d{4}$/.test(c));
    if (sqlState) return sqlState.startsWith('22');
    if (typeof e.code === 'string' && PRISMA_DATA_ERRORS.has(e.code)) return true;
    if (ADAPTER_DATA_ERRORS.has(String(adapter?.kind ?? e.kind))) return true;
    current = e.cause;
  }
  return false;
}
/** Fastify's names for the parts of a request, as a person would say them ("The params is not valid" read badly). */
const PART_OF_REQUEST: Record<string, string> = {
  params: 'address',
  querystring: 'query string',
  body: 'request body',
  headers: 'request headers',
};

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
    const part = PART_OF_REQUEST[where] ?? 'request';
    const summary = error.validation.map((v) => `${v.instancePath ? v.instancePath.slice(1).replace(/\//g, '.') : part}: ${v.message ?? 'not accepted'}`).join('; ');
    const fix = errors.length > 1 ? 'Correct these and send the request again.' : 'Correct it and send the request again.';
    return { ...problem(400, 'invalid_input', `Something in the ${part} is wrong (${summary}). ${fix}`, { errors }), instance: request.url };
  }
  if (error instanceof ZodError) {
    const errors = error.issues.map((i) => ({ field: i.path.join('.') || 'request', message: i.message }));
    const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return { ...problem(400, 'invalid_input', `The request is not valid: ${summary}. Fix these fields and send it again.`, { errors }), instance: request.url };
  }
  if (isDataError(error)) {
    return {
      ...problem(400, 'invalid_input', 'A value in the request is not one the database can store or search for (a control character, a date before year 1 or after 9999, a number too large...). Check what you sent and try again.'),
      instance: request.url,
    };
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
    // The database's own words (and where it happened) stay in the log, in case a value came
    // from stored data rather than from this request.
    else if (isDataError(error)) request.log.warn({ err: error, code: body.code, status: body.status }, 'request rejected: the database refused a value');
    else request.log.warn({ code: body.code, status: body.status, detail: body.detail }, 'request rejected');
    if (body.status === 401) reply.header('www-authenticate', 'Bearer realm="statement-desk"');
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { ...problem(404, 'not_found', `Nothing here: ${request.method} ${request.url}. See /docs for the API.`), instance: request.url }),
  );
}

/**
 * Errors fastify meets before any route: a broken percent-encoding in the address, a path part
 * longer than the router takes. Set as the `frameworkErrors` server option.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const body = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? problem(414, 'uri_too_long', 'A part of the address is too long. Check the link; ids and slugs are short.')
    : problem(400, 'bad_url', 'The address is not valid (a broken percent-encoding or character). Check the link and try again.');
  request.log.warn({ code: body.code, status: body.status }, 'request rejected');
  void sendProblem(reply, { ...body, instance: request.url });
}

export default fp(errorsPlugin, { name: 'errors' });
