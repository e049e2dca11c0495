// What buildApp (src/app.ts) hands to every route plugin: the database, the logger, the config
// the routes read, and the running parts of the process they report on. Kept apart from app.ts so
// that routes import it without importing the app that imports them.
import type { OutgoingStatus } from '../answers/outbox-sender.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SourceStatus } from '../ingest/sources/source.ts';
import type { Logger } from '../logger.ts';
import type { QueryGate } from './query-gate.ts';

export interface AppDeps {
  db: Db;
  logger: Logger;
  config: Pick<Config, 'publicBaseUrl' | 'sessionTtlMs'> & Partial<Pick<Config, 'trustProxy' | 'http' | 'metricsToken' | 'trustedAuthservIds'>>;
  /** Status of the running ingest sources, for GET /ready (none in tests that start none). */
  sourceStatuses?: () => SourceStatus[];
  /** The outgoing side (SMTP sender loop), for GET /ready; "not configured" when absent. */
  outgoingStatus?: () => OutgoingStatus;
  now?: () => Date;
  /** Limits the searches running at once (src/http/query-gate.ts); one per app unless a test gives its own. */
  searchGate?: QueryGate;
  /** How long a public feed may answer from its last version read (ms, default 1000); 0 in tests. */
  publicFeedVersionMaxAgeMs?: number;
}
