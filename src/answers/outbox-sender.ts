// The sender loop (started by main.ts, never by the app): takes due mails from the outbox,
// renders and sends them over SMTP, and records the server's response. An SMTP outage pauses the
// loop with back-off and leaves every mail pending; a 4xx defers one mail, a 5xx fails it; a
// crash leaves a lease that runs out, and the mail is taken again (same Message-ID).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { SmtpConfig } from '../config.ts';
import type { Db } from '../db/client.ts';
import { computeBackoffMs, type BackoffPolicy } from '../net/backoff.ts';
import type { Logger } from '../logger.ts';
import { statementUrl } from '../publishing/public-urls.ts';
import { claimOutboxMails, enqueuePublishedNotices, MAX_ATTEMPTS, MAX_INTERRUPTED, recordFailed, releaseClaims, recordRetry, recordSent, type OutboxRow } from './outbox-store.ts';
import { smtpTransportFactory, SmtpFailure, type MailTransport } from './smtp.ts';
import { loadTemplate, renderMail, templateLanguage } from './templates.ts';

export const OUTBOX_POLL_MS = 5_000;
/** Longer than any one SMTP conversation may take (its timeouts add up to under two minutes). */
export const OUTBOX_LEASE_MS = 5 * 60_000;
const BATCH = 20;
/** Between rounds while the SMTP server is down, and between deferred attempts of one mail. */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 60 * 60_000 };

/** What GET /ready shows of the outgoing side. */
export interface OutgoingStatus {
  configured: boolean;
  lastSentAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface OutboxSenderOptions {
  db: Db;
  logger: Logger;
  smtp: SmtpConfig;
  publicBaseUrl: string;
  notifyOnPublish: boolean;
  pollMs?: number;
  leaseMs?: number;
  backoff?: BackoffPolicy;
  /** Tests give a transport of their own making (still a real SMTP conversation). */
  openTransport?: () => Promise<MailTransport>;
  random?: () => number;
}

export class OutboxSender {
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly log: Logger;
  private readonly openTransport: () => Promise<MailTransport>;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private lastSentAt: Date | null = null;
  private lastError: string | null = null;
  private lastErrorAt: Date | null = null;

  constructor(private readonly options: OutboxSenderOptions) {
    this.log = options.logger.child({ part: 'outbox' });
    this.openTransport = options.openTransport ?? smtpTransportFactory(options.smtp);
  }

  start(): void {
    if (this.loop) return;
    this.log.info({ host: this.options.smtp.host, port: this.options.smtp.port, from: this.options.smtp.from }, 'outgoing mail: sender loop starting');
    this.loop = this.run();
  }

  /** Lets the mail in hand finish (its outcome recorded), then stops. */
  async stop(): Promise<void> {
    this.stopController.abort();
    this.wake?.();
    await this.loop;
  }

  status(): OutgoingStatus {
    return {
      configured: true,
      lastSentAt: this.lastSentAt?.toISOString() ?? null,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt?.toISOString() ?? null,
    };
  }

  private async run(): Promise<void> {
    let outages = 0;
    while (!this.stopController.signal.aborted) {
      let delay = this.options.pollMs ?? OUTBOX_POLL_MS;
      try {
        const outcome = await this.sendDue();
        if (outcome === 'outage') {
          outages += 1;
          delay = computeBackoffMs(outages, this.backoff(), this.options.random ?? Math.random);
          this.log.warn({ retryInMs: delay, error: this.lastError }, 'outgoing mail: SMTP unavailable; mails stay in the outbox');
        } else {
          outages = 0;
        }
      } catch (error) {
        // The database: the mails stay where they are; try again at the next round.
        this.recordError(`could not read or update the outbox: ${(error as Error).message.split('\n')[0]}`);
        this.log.warn({ err: error }, 'outgoing mail: outbox unavailable');
      }
      await this.sleep(delay);
    }
    this.log.info('outgoing mail: sender loop stopped');
  }

  private backoff(): BackoffPolicy {
    return this.options.backoff ?? OUTBOX_BACKOFF;
  }

  /** One round: claim the due mails and send them. 'outage' when the SMTP server could not be used. */
  async sendDue(): Promise<'idle' | 'sent' | 'outage'> {
    const db = this.options.db;
    if (this.options.notifyOnPublish) await enqueuePublishedNotices(db, this.options.smtp.from);
    const mails = await claimOutboxMails(db, { workerId: this.workerId, leaseMs: this.options.leaseMs ?? OUTBOX_LEASE_MS, limit: BATCH });
    if (!mails.length) return 'idle';
    let transport: MailTransport | undefined;
    try {
      for (const [index, mail] of mails.entries()) {
        if (mail.interrupted >= MAX_INTERRUPTED) {
          const reason = `sending was interrupted ${mail.interrupted} times (the service stopped mid-send); it may have arrived already, so it is not sent again`;
          await recordFailed(db, mail.id, this.workerId, { reason, response: null });
          this.log.error({ outboxId: mail.id, kind: mail.kind }, 'outgoing mail: given up after interrupted attempts');
          continue;
        }
        try {
          transport ??= await this.openTransport();
          const receipt = await transport.send(await this.compose(mail));
          if (!(await recordSent(db, mail.id, this.workerId, receipt.response))) {
            this.log.warn({ outboxId: mail.id }, 'outgoing mail: sent, but another process had taken it over (lease ran out)');
          }
          this.lastSentAt = new Date();
          this.log.info({ outboxId: mail.id, kind: mail.kind, statementMessageId: mail.message_id_header }, 'outgoing mail sent');
        } catch (error) {
          const failure = error instanceof SmtpFailure ? error : new SmtpFailure(`could not prepare the mail: ${(error as Error).message}`, 'permanent', null);
          if (failure.kind === 'outage') {
            this.recordError(failure.message);
            // This mail and the rest of the round go back untouched (their attempt does not count).
            await releaseClaims(db, mails.slice(index).map((m) => m.id), this.workerId, failure.message);
            return 'outage';
          }
          if (failure.kind === 'permanent' || mail.attempts >= MAX_ATTEMPTS) {
            await recordFailed(db, mail.id, this.workerId, { reason: failure.message, response: failure.response });
            this.log.warn({ outboxId: mail.id, kind: mail.kind, error: failure.message }, 'outgoing mail refused; given up');
          } else {
            const delayMs = computeBackoffMs(mail.attempts, this.backoff(), this.options.random ?? Math.random);
            await recordRetry(db, mail.id, this.workerId, { error: failure.message, response: failure.response, delayMs });
            this.log.warn({ outboxId: mail.id, retryInMs: delayMs, error: failure.message }, 'outgoing mail deferred by the server; will retry');
          }
        }
      }
    } finally {
      transport?.close();
    }
    return 'sent';
  }

  private async compose(mail: OutboxRow) {
    const language = templateLanguage(mail.language);
    const template = await loadTemplate(this.options.db, mail.kind, language);
    const values: Record<string, string> = { title: mail.payload.title ?? '' };
    if (mail.kind === 'acknowledgement') {
      if (!mail.payload.statusUrl) throw new Error('the status link is missing');
      values.statusUrl = mail.payload.statusUrl;
    } else {
      values.publicUrl = statementUrl(this.options.publicBaseUrl, mail.payload.slug ?? '');
    }
    const { text, html } = renderMail(template, values, language);
    return {
      from: { name: this.options.smtp.fromName, address: this.options.smtp.from },
      to: mail.to_address,
      subject: mail.subject,
      text,
      html,
      messageId: mail.message_id_header,
      date: mail.created_at,
      inReplyTo: mail.in_reply_to,
      references: mail.references ?? [],
      autoReply: true,
    };
  }

  private recordError(message: string): void {
    this.lastError = message;
    this.lastErrorAt = new Date();
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopController.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
