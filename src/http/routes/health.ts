// GET /health: the process is up. GET /ready: the database and each ingest source, reported
// separately.
//
// The HTTP status is what a load balancer needs: 503 only when this instance cannot serve
// requests (the database does not answer). A source that is down, standing by or catching up
// does not stop the editors' pages, the API or the public feeds, so it does not take the
// instance out of rotation: the body says `degraded` and which source, and a monitor that
// should page on it asks `/ready?sources=required`, which answers 503 while a source is down.
// Anyone may ask (load balancers do); source names (account, host, paths) and error texts are
// shown only to a signed-in editor or a bearer token. A database outage is logged once when it
// starts and once when it ends, not with a stack trace on every probe. The body also counts the
// messages that failed, up to COUNT_LIMIT (the last one's reason for editors): one bad message
// never blocks the rest, so failures do not make the instance unready.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pingDatabase, type Db } from '../../db/client.ts';
import type { OutgoingStatus } from '../../answers/outbox-sender.ts';
import { summarizeFailedMessages } from '../../ingest/message-queries.ts';
import { COUNT_LIMIT } from '../../db/pagination.ts';
import type { SourceState, SourceStatus } from '../../ingest/sources/source.ts';

const sourceStatusSchema = z.object({
  name: z.string(),
  kind: z.enum(['imap', 'drop']),
  state: z.enum(['connecting', 'syncing', 'idle', 'standby', 'down', 'stopped']).describe(
    'connecting; syncing (a backlog, see sync); idle (up to date); standby (another instance holds the mailbox: not an outage); down (failing, retried); stopped.',
  ),
  sync: z.object({ done: z.number().int(), total: z.number().int() }).nullable().describe('While syncing: messages done, and in all.'),
  connected: z.boolean(),
  lastFetchAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
});

const ingestSchema = z
  .object({
    failedMessages: z.number().int().describe(`Messages marked failed (kept raw, each with its reason), counted up to ${COUNT_LIMIT}: see failedMessagesCapped.`),
    failedMessagesCapped: z.boolean().describe(`The count stopped at ${COUNT_LIMIT}: there are at least that many (GET /api/messages?status=failed lists them).`),
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
  status: z.enum(['ready', 'degraded', 'unavailable']).describe('unavailable: the database does not answer (503); degraded: a source is down (200 unless ?sources=required).'),
  database: z.object({ reachable: z.boolean(), error: z.string().nullable() }),
  sources: z.array(sourceStatusSchema),
  ingest: ingestSchema,
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

function stateOf(status: SourceStatus): SourceState {
  if (status.state) return status.state;
  if (isFailingNow(status)) return 'down';
  return status.connected ? 'idle' : 'connecting';
}

function withState(status: SourceStatus): z.infer<typeof sourceStatusSchema> {
  return { ...status, state: stateOf(status), sync: status.sync ?? null };
}

function withoutDetails(status: SourceStatus, index: number): z.infer<typeof sourceStatusSchema> {
  return {
    ...withState(status),
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
  let databaseDownSince: Date | null = null;

  r.get('/health', {
    schema: { tags: ['health'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  r.get('/ready', {
    schema: {
      tags: ['health'],
      summary: 'Database reachable (else 503); state of each ingest source and of outgoing mail',
      description: 'A source that is down makes the body say degraded with 200, since requests are still served; with ?sources=required it answers 503.',
      querystring: z.object({ sources: z.enum(['required', 'optional']).default('optional').describe('required: 503 while a source is down.') }),
      response: { 200: readySchema, 503: readySchema },
    },
  }, async (request, reply) => {
    let error: string | null = null;
    let failures: Awaited<ReturnType<typeof summarizeFailedMessages>> | undefined;
    try {
      await pingDatabase(options.db);
      failures = await summarizeFailedMessages(options.db);
      if (databaseDownSince) {
        app.log.info({ downForMs: Date.now() - databaseDownSince.getTime() }, 'readiness check: the database answers again');
        databaseDownSince = null;
      }
    } catch (e) {
      error = 'the database does not answer';
      if (!databaseDownSince) {
        databaseDownSince = new Date();
        // Once per outage, without a stack: the probe fails the same way every few seconds.
        app.log.error({ error: (e as Error).message?.split('\n')[0] }, 'readiness check: the database does not answer');
      }
    }
    const statuses = options.sourceStatuses();
    const sourceDown = statuses.some((s) => stateOf(s) === 'down');
    const status = error ? ('unavailable' as const) : sourceDown ? ('degraded' as const) : ('ready' as const);
    const last = failures?.last;
    const body = {
      status,
      database: { reachable: !error, error },
      sources: request.editor ? statuses.map(withState) : statuses.map(withoutDetails),
      ingest: failures
        ? {
            failedMessages: failures.count,
            failedMessagesCapped: failures.capped,
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
      outgoing: outgoingFor(options.outgoingStatus?.() ?? NOT_CONFIGURED, Boolean(request.editor)),
    };
    const unavailable = error || (sourceDown && request.query.sources === 'required');
    return reply.status(unavailable ? 503 : 200).send(body);
  });
}
