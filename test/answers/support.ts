// Shared by the outgoing-mail tests: settings as main.ts derives them, and a way to ingest an
// email the way the drop folder does, with acknowledgements on.
import { readFile } from 'node:fs/promises';
import type { AnswerSettings } from '../../src/answers/acknowledge.ts';
import { recordAnswerStart } from '../../src/answers/answer-start.ts';
import { OutboxSender } from '../../src/answers/outbox-sender.ts';
import type { SmtpConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/client.ts';
import { ingestRawMessages } from '../../src/ingest/ingest-raw.ts';
import { TEST_PUBLIC_BASE_URL } from '../support/app.ts';
import { testLogger } from '../support/logger.ts';
import type { TestSmtpServer } from '../support/smtp.ts';

export const DESK = 'statements@publication.example.org';

export const ANSWERS: AnswerSettings = { from: DESK, ourAddresses: [DESK], publicBaseUrl: TEST_PUBLIC_BASE_URL };

export function smtpConfig(smtp: { host: string; port: number }): SmtpConfig {
  return { host: smtp.host, port: smtp.port, secure: false, user: undefined, password: undefined, from: DESK, fromName: 'Statements desk' };
}

export function sender(db: Db, smtp: TestSmtpServer | { host: string; port: number }, options: { notifyOnPublish?: boolean; leaseMs?: number } = {}): OutboxSender {
  return new OutboxSender({
    db,
    logger: testLogger,
    smtp: smtpConfig(smtp),
    publicBaseUrl: TEST_PUBLIC_BASE_URL,
    notifyOnPublish: options.notifyOnPublish ?? false,
    leaseMs: options.leaseMs,
    backoff: { baseMs: 50, maxMs: 200 },
  });
}

/** Answering starts long ago: the drop-folder messages of a test are all answerable by date. */
export async function startAnsweringLongAgo(db: Db): Promise<void> {
  await recordAnswerStart(db, 'drop:test', new Date('2000-01-01T00:00:00Z'));
}

/** Stores and processes one email as the drop folder does; returns its statement id, if drafted. */
/** `answers` null: outgoing mail is not configured. */
export async function ingest(db: Db, raw: Buffer | string, answers: AnswerSettings | null = ANSWERS): Promise<string | null> {
  const [result] = await ingestRawMessages({ db, logger: testLogger, answers: answers ?? undefined }, [{ raw: Buffer.from(raw), source: 'drop' }]);
  const outcome = result!.outcome;
  return outcome.status === 'drafted' ? outcome.statementId : null;
}

export async function fixture(name: string): Promise<Buffer> {
  return readFile(new URL(`../fixtures/emails/${name}`, import.meta.url));
}

let counter = 0;

/** A statement email; `headers` are added to (or replace) the defaults. */
export function statementMail(options: { from?: string; subject?: string; body?: string; date?: Date; headers?: Record<string, string>; messageId?: string } = {}): string {
  counter += 1;
  const headers: Record<string, string> = {
    From: `"Dock Workers Union" <${options.from ?? 'press@dockers.example.org'}>`,
    To: DESK,
    Subject: options.subject ?? `Statement on the port strike ${counter}`,
    Date: (options.date ?? new Date()).toUTCString(),
    'Message-ID': `<${options.messageId ?? `strike-${counter}-${Date.now()}@dockers.example.org`}>`,
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    ...options.headers,
  };
  const body =
    options.body ??
    `Statement of the Dock Workers Union ${counter}\n\nWe stand with the dock workers who have been on strike for three weeks for safe working conditions and a living wage. We call on the port authority to negotiate in good faith and to withdraw every threat of dismissal (${counter}).\n\nSolidarity with the strikers.\n\nMaria Santos, General Secretary\n`;
  return `${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}`;
}
