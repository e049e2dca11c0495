// The quiet start (GitLab's lesson: pointing the service at an old mailbox must not answer it):
// a real Dovecot mailbox that already holds 50 statements at the first sync. All 50 are ingested
// and drafted, none is answered, even though they are dated after the service started; the
// first statement that arrives after the first sync is answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapSource } from '../../src/ingest/sources/imap-source.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { Dovecot, DOVECOT_MISSING_REASON, hasDovecot } from '../support/dovecot.ts';
import { statementEmail } from '../support/imap-emails.ts';
import { testLogger } from '../support/logger.ts';
import { TestSmtpServer } from '../support/smtp.ts';
import { waitFor } from '../support/wait.ts';
import { ANSWERS, sender } from './support.ts';

describe.skipIf(!hasDovecot)(`quiet start on a mailbox with history${hasDovecot ? '' : ` (skipped: ${DOVECOT_MISSING_REASON})`}`, () => {
  let t: TestDatabase;
  let dovecot: Dovecot;
  let smtp: TestSmtpServer;
  let source: ImapSource | undefined;
  beforeAll(async () => {
    [t, dovecot, smtp] = await Promise.all([createTestDatabase(), Dovecot.start(), TestSmtpServer.start()]);
  });
  afterAll(async () => {
    await source?.stop();
    await smtp?.stop();
    await dovecot?.destroy();
    await t?.drop();
  });

  it('ingests the 50 messages already there without answering one, then answers the next', async () => {
    // Dated a minute from now: only the first-sync rule can keep them quiet.
    const soon = new Date(Date.now() + 60_000);
    await dovecot.append(Array.from({ length: 50 }, (_, i) => statementEmail('history', i + 1, { date: soon })));
    source = new ImapSource({ db: t.db, logger: testLogger, config: dovecot.imapConfig(), reconnect: { baseMs: 200, maxMs: 1000 }, answers: ANSWERS });
    await source.start();
    await waitFor('50 drafts', async () => (await t.db.statement.count()) === 50, { timeoutMs: 90_000, intervalMs: 200 });

    const decided = await t.db.outboxMail.findMany({ where: { kind: 'acknowledgement' } });
    expect(decided).toHaveLength(50);
    expect(new Set(decided.map((d) => d.status))).toEqual(new Set(['suppressed']));
    expect(decided[0]!.reason).toBe('already in the mailbox when the service first read it');
    expect(await sender(t.db, smtp).sendDue()).toBe('idle');
    expect(smtp.received).toHaveLength(0);

    await dovecot.append([statementEmail('after-start', 51, { date: new Date() })]);
    const fresh = await waitFor('the new statement’s acknowledgement', () =>
      t.db.outboxMail.findFirst({ where: { kind: 'acknowledgement', status: 'pending' } }), { timeoutMs: 30_000, intervalMs: 200 });
    expect(fresh.toAddress).toBe('press@solidarity-after-start.example.org');
    await sender(t.db, smtp).sendDue();
    expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['press@solidarity-after-start.example.org']);
  }, 150_000);
});
