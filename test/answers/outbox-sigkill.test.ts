// At least once, never lost, at most twice: a sender process killed (SIGKILL) after the SMTP
// server took the mail but before it recorded that leaves the mail leased; when the lease runs
// out another process sends it once more with the same Message-ID, and never a third time.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestSmtpServer } from '../support/smtp.ts';
import { waitFor } from '../support/wait.ts';
import { DESK, ingest, startAnsweringLongAgo, statementMail } from './support.ts';

const RUNNER = fileURLToPath(new URL('../support/run-outbox-sender.ts', import.meta.url));

describe('the outbox under SIGKILL', () => {
  let t: TestDatabase;
  let smtp: TestSmtpServer;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    t = await createTestDatabase();
    smtp = await TestSmtpServer.start();
    await startAnsweringLongAgo(t.db);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await smtp?.stop();
    await t?.drop();
  });

  const run = () => {
    const env = { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent', MAIL_FROM: DESK, OUTBOX_LEASE_MS: '1500', ...smtp.env() };
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    return child;
  };
  /** Kills `child` the moment the server has the mail, before the client hears "250". */
  const killOnDelivery = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      smtp.onReceived = () => {
        smtp.onReceived = undefined;
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      };
    });
  const copiesOf = (messageId: string) => smtp.received.filter((m) => m.parsed.messageId === `<${messageId}>`).length;

  it('sends the mail once more with the same Message-ID after a kill between acceptance and our commit, then stops', async () => {
    const statementId = (await ingest(t.db, statementMail({ from: 'killed@unions.example.org' })))!;
    const first = run();
    await killOnDelivery(first);
    const leased = await t.db.outboxMail.findFirstOrThrow({ where: { statementId } });
    expect(leased.status).toBe('pending');
    expect(leased.leasedBy).not.toBeNull();
    expect(copiesOf(leased.messageIdHeader!)).toBe(1);

    const second = run();
    const sent = await waitFor('the mail recorded as sent', async () => {
      const row = await t.db.outboxMail.findFirstOrThrow({ where: { statementId } });
      return row.status === 'sent' && row;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    expect(copiesOf(sent.messageIdHeader!)).toBe(2);
    expect(sent.interrupted).toBe(1);
    expect(sent.smtpResponse).toMatch(/^250/);
    // Later rounds of the living process leave it alone.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(copiesOf(sent.messageIdHeader!)).toBe(2);
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
  }, 120_000);

  it('never sends a third copy: after two interrupted sends the mail is left unsent, and says why', async () => {
    const statementId = (await ingest(t.db, statementMail({ from: 'twice-killed@unions.example.org' })))!;
    await killOnDelivery(run());
    await killOnDelivery(run());
    const third = run();
    const row = await waitFor('the mail given up', async () => {
      const r = await t.db.outboxMail.findFirstOrThrow({ where: { statementId } });
      return r.status === 'failed' && r;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    expect(row.reason).toMatch(/interrupted 2 times .* not sent again/);
    expect(copiesOf(row.messageIdHeader!)).toBe(2);
    third.kill('SIGTERM');
    await new Promise((resolve) => third.once('exit', resolve));
  }, 120_000);
});
