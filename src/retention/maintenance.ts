// Housekeeping that main.ts runs in the background: expired sessions are pruned, and mail past
// its retention (RETENTION_*_DAYS) is erased. Runs never overlap; several instances may run it
// at once (each erasure batch takes its rows with SKIP LOCKED, pruning is idempotent).
import type { RetentionConfig } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { applyRetention, pruneExpiredSessions } from './erase.ts';

/** Housekeeping is not urgent: once an hour, and a first time shortly after start. */
export const MAINTENANCE_INTERVAL_MS = 3_600_000;
export const MAINTENANCE_FIRST_RUN_DELAY_MS = 60_000;

export interface MaintenanceOptions {
  db: Db;
  logger: Logger;
  retention: RetentionConfig;
  now?: () => Date;
  intervalMs?: number;
  firstRunDelayMs?: number;
}

export class Maintenance {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: MaintenanceOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.options.firstRunDelayMs ?? MAINTENANCE_FIRST_RUN_DELAY_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass; resolves when done. Errors are logged, never thrown: the next pass tries again. */
  runOnce(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runOnce().then(() => this.schedule(this.options.intervalMs ?? MAINTENANCE_INTERVAL_MS));
    }, ms);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    const { db, logger, retention } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    try {
      const sessions = await pruneExpiredSessions(db, now);
      if (sessions) logger.info({ sessions }, 'expired sessions pruned');
    } catch (error) {
      logger.warn({ err: error }, 'could not prune expired sessions; trying again in an hour');
    }
    if (retention.ignoredDays === undefined && retention.failedDays === undefined && retention.rejectedDays === undefined) return;
    try {
      const erased = await applyRetention(db, retention, now);
      if (erased.ignored || erased.failed || erased.rejected) logger.info({ erased }, 'mail past its retention erased');
    } catch (error) {
      logger.warn({ err: error }, 'could not apply the retention policy; trying again in an hour');
    }
  }
}
