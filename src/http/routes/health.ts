// GET /health: the process is up. GET /ready: the database answers, and how each ingest source
// is doing (connected, last successful fetch, last error). 503 when the database does not answer.
// Anyone may ask (load balancers do); source names (account, host, paths) and error texts are
// shown only to a signed-in editor or a bearer token.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { OutgoingStatus } from '../../answers/outbox-sender.ts';
import type { SourceStatus } from '../../ingest/sources/source.ts';

const sourceStatusSchema = z.object({
  name: z.string(),
  kind: z.enum(['imap', 'drop']),
  connected: z.boolean(),
  lastFetchAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
});

const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  database: z.object({ reachable: z.boolean(), error: z.string().nullable() }),
  sources: z.array(sourceStatusSchema),
  outgoing: z
    .object({
      configured: z.boolean().describe('SMTP_HOST is set: acknowledgements are sent. Unset: nothing is ever sent.'),
      lastSentAt: z.string().nullable(),
      lastError: z.string().nullable(),
      lastErrorAt: z.string().nullable(),
    })
    .describe('The outgoing side: mail to senders over SMTP.'),
});

const NOT_CONFIGURED: OutgoingStatus = { configured: false, lastSentAt: null, lastError: null, lastErrorAt: null };

/** lastError is history: it still counts as failing only while no fetch has succeeded since. */
function isFailingNow(status: SourceStatus): boolean {
  if (status.lastError === null) return false;
  return !status.lastFetchAt || !status.lastErrorAt || status.lastErrorAt >= status.lastFetchAt;
}

function withoutDetails(status: SourceStatus, index: number): SourceStatus {
  return {
    ...status,
    name: `${status.kind}-${index + 1}`,
    lastError: status.lastError === null ? null : isFailingNow(status) ? 'failing (sign in, or see the log, for details)' : 'recovered from an earlier error',
  };
}

/** Error texts (they name the SMTP host) only for editors, as for the sources. */
function outgoingFor(status: OutgoingStatus, signedIn: boolean): OutgoingStatus {
  if (signedIn || status.lastError === null) return status;
  const failing = !status.lastSentAt || !status.lastErrorAt || status.lastErrorAt >= status.lastSentAt;
  return { ...status, lastError: failing ? 'failing (sign in, or see the log, for details)' : 'recovered from an earlier error' };
}

export default async function healthRoutes(
  app: FastifyInstance,
  options: { db: Db; sourceStatuses: () => SourceStatus[]; outgoingStatus?: (() => OutgoingStatus) | undefined },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/health', {
    schema: { tags: ['health'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  r.get('/ready', {
    schema: {
      tags: ['health'],
      summary: 'Database reachable; state of each ingest source and of outgoing mail',
      response: { 200: readySchema, 503: readySchema },
    },
  }, async (request, reply) => {
    let error: string | null = null;
    try {
      await options.db.$queryRaw`SELECT 1`;
    } catch (e) {
      error = 'the database does not answer';
      app.log.error({ err: e }, 'readiness check: database unreachable');
    }
    const statuses = options.sourceStatuses();
    const body = {
      status: error ? ('unavailable' as const) : ('ready' as const),
      database: { reachable: !error, error },
      sources: request.editor ? statuses : statuses.map(withoutDetails),
      outgoing: outgoingFor(options.outgoingStatus?.() ?? NOT_CONFIGURED, Boolean(request.editor)),
    };
    return reply.status(error ? 503 : 200).send(body);
  });
}
