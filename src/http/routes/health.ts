// GET /health: the process is up. GET /ready: the database answers, how each ingest source is
// doing (connected, last successful fetch, last error), and how many messages failed (the last
// one's reason). 503 when the database does not answer; failed messages do not make it unready
// (one bad message never blocks the rest). Anyone may ask (load balancers do); source names
// (account, host, paths), error texts and message ids are shown only to a signed-in editor or a
// bearer token.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { summarizeFailedMessages } from '../../ingest/message-queries.ts';
import type { SourceStatus } from '../../ingest/sources/source.ts';

const sourceStatusSchema = z.object({
  name: z.string(),
  kind: z.enum(['imap', 'drop']),
  connected: z.boolean(),
  lastFetchAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
});

const ingestSchema = z
  .object({
    failedMessages: z.number().int().describe('Messages marked failed (kept raw, each with its reason).'),
    lastFailure: z
      .object({
        messageId: z.string().nullable().describe('Signed in only.'),
        receivedAt: z.string(),
        failedAt: z.string().nullable(),
        reason: z.string().nullable().describe('Signed in only.'),
      })
      .nullable()
      .describe('The most recently received failed message.'),
  })
  .nullable()
  .describe('Null when the database does not answer.');

const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  database: z.object({ reachable: z.boolean(), error: z.string().nullable() }),
  sources: z.array(sourceStatusSchema),
  ingest: ingestSchema,
});

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

export default async function healthRoutes(
  app: FastifyInstance,
  options: { db: Db; sourceStatuses: () => SourceStatus[] },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/health', {
    schema: { tags: ['health'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  r.get('/ready', {
    schema: {
      tags: ['health'],
      summary: 'Database reachable; state of each ingest source',
      response: { 200: readySchema, 503: readySchema },
    },
  }, async (request, reply) => {
    let error: string | null = null;
    let failures: Awaited<ReturnType<typeof summarizeFailedMessages>> | undefined;
    try {
      await options.db.$queryRaw`SELECT 1`;
      failures = await summarizeFailedMessages(options.db);
    } catch (e) {
      error = 'the database does not answer';
      app.log.error({ err: e }, 'readiness check: database unreachable');
    }
    const statuses = options.sourceStatuses();
    const last = failures?.last;
    const body = {
      status: error ? ('unavailable' as const) : ('ready' as const),
      database: { reachable: !error, error },
      sources: request.editor ? statuses : statuses.map(withoutDetails),
      ingest: failures
        ? {
            failedMessages: failures.count,
            lastFailure: last
              ? {
                  messageId: request.editor ? last.id : null,
                  receivedAt: last.receivedAt.toISOString(),
                  failedAt: last.parsedAt?.toISOString() ?? null,
                  reason: request.editor ? last.error : null,
                }
              : null,
          }
        : null,
    };
    return reply.status(error ? 503 : 200).send(body);
  });
}
