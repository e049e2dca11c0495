// Nothing lost, nothing doubled: the poller killed mid-backlog, Dovecot restarted mid-run, a
// UIDVALIDITY change, and two pollers on one mailbox. Real Dovecot, real PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapSource, type ImapSourceOptions } from '../../src/ingest/sources/imap-source.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { Dovecot, DOVECOT_MISSING_REASON, hasDovecot, type DovecotUser } from '../support/dovecot.ts';
import { statementEmail } from '../support/imap-emails.ts';
import { testLogger } from '../support/logger.ts';
import { waitFor } from '../support/wait.ts';

const USERS = ['killed', 'restart', 'validity', 'locked'].map(
  (name): DovecotUser => ({ user: `${name}@example.org`, password: `app-password-${name}` }),
);
const account = (name: string) => USERS.find((u) => u.user.startsWith(`${name}@`))!;
const RUNNER = fileURLToPath(new URL('../support/run-imap-source.ts', import.meta.url));

describe.skipIf(!hasDovecot)(`IMAP poller recovery${hasDovecot ? '' : ` (skipped: ${DOVECOT_MISSING_REASON})`}`, () => {
  let t: TestDatabase;
  let dovecot: Dovecot;
  const sources: ImapSource[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    [t, dovecot] = await Promise.all([createTestDatabase(), Dovecot.start({ users: USERS })]);
  });
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.stop()));
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await dovecot?.destroy();
    await t?.drop();
  });

  function newSource(user: DovecotUser, options: Partial<ImapSourceOptions> = {}) {
    const source = new ImapSource({
      db: t.db,
      logger: testLogger,
      config: dovecot.imapConfig({ user: user.user, password: user.password }),
      reconnect: { baseMs: 200, maxMs: 1000 },
      ...options,
    });
    sources.push(source);
    return source;
  }

  const mailboxKey = (user: DovecotUser) => `${user.user}@${dovecot.host}/INBOX`;

  function locations(mailbox: string) {
    return t.db.messageLocation.findMany({
      where: { mailbox },
      orderBy: [{ uidValidity: 'asc' }, { uid: 'asc' }],
      include: { message: { select: { id: true, status: true, _count: { select: { statements: true } } } } },
    });
  }

  async function waitUntilProcessed(mailbox: string, count: number, timeoutMs = 30_000) {
    return waitFor(
      `${count} processed messages in ${mailbox}`,
      async () => {
        const found = await locations(mailbox);
        return found.length === count && found.every((l) => l.message.status !== 'received') && found;
      },
      { timeoutMs },
    );
  }

  /** Every UID 1..count stored exactly once, each its own message with exactly one draft. */
  function expectEachUidOnce(found: Awaited<ReturnType<typeof locations>>, count: number) {
    expect(found.map((l) => Number(l.uid))).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(new Set(found.map((l) => l.message.id)).size).toBe(count);
    expect(found.filter((l) => l.message.status === 'drafted' && l.message._count.statements === 1)).toHaveLength(count);
  }

  it('stores every message exactly once when the poller is killed with SIGKILL mid-backlog and started again', { timeout: 180_000 }, async () => {
    const user = account('killed');
    const total = 300;
    await dovecot.append(Array.from({ length: total }, (_, i) => statementEmail('killed', i + 1)), { user });
    const env = { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn', ...dovecot.imapEnv(user) };
    const run = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', RUNNER], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      return child;
    };

    const first = run();
    const beforeKill = await waitFor('the first committed batch', async () => {
      const n = await t.db.messageLocation.count({ where: { mailbox: mailboxKey(user) } });
      return n > 0 && n;
    }, { timeoutMs: 60_000, intervalMs: 10 });
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    const atKill = await t.db.messageLocation.count({ where: { mailbox: mailboxKey(user) } });
    expect(beforeKill).toBeLessThan(total);
    expect(atKill, 'the kill must land mid-backlog for this test to mean anything').toBeLessThan(total);

    const second = run();
    const found = await waitUntilProcessed(mailboxKey(user), total, 150_000);
    expectEachUidOnce(found, total);
    const checkpoint = await t.db.mailboxCheckpoint.findUniqueOrThrow({ where: { mailbox: mailboxKey(user) } });
    expect(checkpoint.lastUid).toBe(BigInt(total));
    second.kill('SIGTERM');
  });

  it('reconnects after Dovecot restarts mid-run and loses nothing', { timeout: 120_000 }, async () => {
    const user = account('restart');
    await dovecot.append(Array.from({ length: 120 }, (_, i) => statementEmail('restart', i + 1)), { user });
    const source = newSource(user);
    await source.start();
    await waitFor('the first committed batch', async () => (await t.db.messageLocation.count({ where: { mailbox: source.name } })) > 0, { intervalMs: 10 });
    await dovecot.restart();
    await dovecot.append(Array.from({ length: 10 }, (_, i) => statementEmail('restart', 121 + i)), { user });
    const found = await waitUntilProcessed(source.name, 130, 100_000);
    expectEachUidOnce(found, 130);
    await waitFor('the source to report itself connected again', () => source.status().connected);
    // The restart cut the connection mid-run: the source noticed and said so.
    expect(source.status().lastError).toMatch(/IMAP|server/);
  });

  it('resyncs after a UIDVALIDITY change without doubling messages or drafts', { timeout: 60_000 }, async () => {
    const user = account('validity');
    await dovecot.append([1, 2, 3].map((n) => statementEmail('validity', n)), { user });
    const source = newSource(user);
    await source.start();
    await waitUntilProcessed(source.name, 3);
    const before = await dovecot.uidValidity('INBOX', user);

    await dovecot.changeInboxUidValidity(user);
    const after = await dovecot.uidValidity('INBOX', user);
    expect(after).not.toBe(before);
    await dovecot.append([statementEmail('validity', 4)], { user });

    // Three messages seen under both UIDVALIDITYs, one new: 7 locations, 4 messages, 4 drafts.
    const found = await waitUntilProcessed(source.name, 7, 30_000);
    expect(found.filter((l) => l.uidValidity === before).map((l) => Number(l.uid))).toEqual([1, 2, 3]);
    expect(found.filter((l) => l.uidValidity === after).map((l) => Number(l.uid))).toEqual([1, 2, 3, 4]);
    const messageIds = new Set(found.map((l) => l.message.id));
    expect(messageIds.size).toBe(4);
    expect(await t.db.statement.count({ where: { messageId: { in: [...messageIds] } } })).toBe(4);
    const checkpoint = await t.db.mailboxCheckpoint.findUniqueOrThrow({ where: { mailbox: source.name } });
    expect([checkpoint.uidValidity, checkpoint.lastUid]).toEqual([after, 4n]);
  });

  it('lets only one poller work a mailbox; the other stands by and takes over when the first stops', { timeout: 60_000 }, async () => {
    const user = account('locked');
    const first = newSource(user);
    const second = newSource(user, { lockRetryMs: 200 });
    await first.start();
    await waitFor('the first poller to sync', () => first.status().lastFetchAt);
    await second.start();
    await waitFor('the second poller to find the mailbox taken', () => second.status().state === 'standby');
    await dovecot.append([1, 2].map((n) => statementEmail('locked', n)), { user });
    await waitUntilProcessed(first.name, 2);
    // Standing by is not an outage: no error for /ready to report (it read "failing" before).
    expect(second.status()).toMatchObject({ connected: false, lastFetchAt: null, state: 'standby', lastError: null });

    await first.stop();
    await waitFor('the second poller to take over', () => second.status().connected);
    await dovecot.append([3, 4].map((n) => statementEmail('locked', n)), { user });
    expectEachUidOnce(await waitUntilProcessed(first.name, 4), 4);
  });
});
