// The IMAP poller against a real Dovecot and a real PostgreSQL: what ends up in the database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapSource, type ImapSourceOptions } from '../../src/ingest/sources/imap-source.ts';
import { sha256Hex } from '../../src/ingest/store-raw.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { Dovecot, DOVECOT_MISSING_REASON, hasDovecot, type DovecotUser } from '../support/dovecot.ts';
import { statementEmail, unparseableEmail } from '../support/imap-emails.ts';
import { testLogger } from '../support/logger.ts';
import { waitFor } from '../support/wait.ts';

// One Dovecot account per test, so each test owns its mailbox, checkpoint and messages.
const USERS = ['idle', 'stream', 'backlog', 'twice', 'broken', 'readonly', 'markseen'].map(
  (name): DovecotUser => ({ user: `${name}@example.org`, password: `app-password-${name}` }),
);
const account = (name: string) => USERS.find((u) => u.user.startsWith(`${name}@`))!;

describe.skipIf(!hasDovecot)(`IMAP poller${hasDovecot ? '' : ` (skipped: ${DOVECOT_MISSING_REASON})`}`, () => {
  let t: TestDatabase;
  let dovecot: Dovecot;
  const sources: ImapSource[] = [];

  beforeAll(async () => {
    [t, dovecot] = await Promise.all([createTestDatabase(), Dovecot.start({ users: USERS })]);
  });
  // Each running source holds one pooled connection for its mailbox lock: stop it with its test.
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await dovecot?.destroy();
    await t?.drop();
  });

  async function startSource(user: DovecotUser, overrides: Partial<ImapSourceOptions['config']> = {}) {
    const source = new ImapSource({
      db: t.db,
      logger: testLogger,
      config: dovecot.imapConfig({ user: user.user, password: user.password, ...overrides }),
      reconnect: { baseMs: 200, maxMs: 1000 },
    });
    sources.push(source);
    await source.start();
    return source;
  }

  /** Messages seen in the source's mailbox, by UID, with their drafts. */
  async function storedByUid(source: ImapSource) {
    const locations = await t.db.messageLocation.findMany({
      where: { mailbox: source.name },
      orderBy: { uid: 'asc' },
      include: { message: { include: { statements: true } } },
    });
    return locations;
  }

  async function waitUntilProcessed(source: ImapSource, count: number, timeoutMs = 20_000) {
    return waitFor(
      `${count} processed messages in ${source.name}`,
      async () => {
        const stored = await storedByUid(source);
        return stored.length === count && stored.every((l) => l.message.status !== 'received') && stored;
      },
      { timeoutMs },
    );
  }

  it('turns mail that arrives during IDLE into a stored draft, without polling', { timeout: 60_000 }, async () => {
    // Polling every hour and renewing IDLE only after that: only IDLE can bring the mail in at
    // all within the wait below. How fast is a speed target, measured by `npm run bench`
    // (APPEND to stored draft, p95 under 2 s), not asserted here, where a busy machine flaked it.
    const source = await startSource(account('idle'), { pollIntervalMs: 3_600_000 });
    await waitFor('the first sync', () => source.status().lastFetchAt);
    const raw = statementEmail('idle', 1);
    await dovecot.append([raw], { user: account('idle') });
    const [location] = await waitUntilProcessed(source, 1, 45_000);
    expect(location!.uid).toBe(1n);
    expect(location!.message.status).toBe('drafted');
    expect(location!.message.sha256).toBe(sha256Hex(raw));
    expect(Buffer.from(location!.message.raw).equals(raw)).toBe(true);
    expect(location!.message.statements).toHaveLength(1);
    expect(location!.message.statements[0]).toMatchObject({ status: 'draft' });
    // The title comes from the subject or the body's heading (extraction decides); both name it.
    expect(location!.message.statements[0]!.title).toMatch(/Statement 1\b/);
    expect(source.status()).toMatchObject({ kind: 'imap', connected: true, lastError: null });
  });

  it('does not leave mail that arrives mid-sync waiting for the next IDLE renewal', { timeout: 90_000 }, async () => {
    // Regression: an EXISTS that came in a FETCH response while a backlog was being worked
    // through, rather than during IDLE, was only acted on when IDLE was renewed minutes later.
    const user = account('stream');
    await dovecot.append(Array.from({ length: 120 }, (_, i) => statementEmail('stream', i + 1)), { user });
    const source = new ImapSource({
      db: t.db,
      logger: testLogger,
      config: dovecot.imapConfig({ user: user.user, password: user.password }),
      idleRenewMs: 600_000,
    });
    sources.push(source);
    await source.start();
    await waitFor('the first committed batch', async () => (await t.db.messageLocation.count({ where: { mailbox: source.name } })) > 0, { intervalMs: 10, timeoutMs: 30_000 });
    await dovecot.append(Array.from({ length: 5 }, (_, i) => statementEmail('stream', 121 + i)), { user });
    const stored = await waitUntilProcessed(source, 125, 60_000);
    expect(stored.map((l) => Number(l.uid))).toEqual(Array.from({ length: 125 }, (_, i) => i + 1));
  });

  it('stores a backlog of 200 messages exactly once, in UID order, and moves the checkpoint to the last', { timeout: 120_000 }, async () => {
    const raws = Array.from({ length: 200 }, (_, i) => statementEmail('backlog', i + 1));
    await dovecot.append(raws, { user: account('backlog') });
    const source = await startSource(account('backlog'));
    const stored = await waitUntilProcessed(source, 200, 100_000);
    expect(stored.map((l) => Number(l.uid))).toEqual(raws.map((_, i) => i + 1));
    expect(new Set(stored.map((l) => l.messageId)).size).toBe(200);
    expect(stored.every((l, i) => Buffer.from(l.message.raw).equals(raws[i]!))).toBe(true);
    expect(stored.filter((l) => l.message.status === 'drafted')).toHaveLength(200);
    expect(stored.reduce((n, l) => n + l.message.statements.length, 0)).toBe(200);
    const checkpoint = await t.db.mailboxCheckpoint.findUniqueOrThrow({ where: { mailbox: source.name } });
    expect(checkpoint.lastUid).toBe(200n);
    expect(checkpoint.uidValidity).toBe(await dovecot.uidValidity('INBOX', account('backlog')));
  });

  it('keeps the same message appended twice as one message with two locations and one draft', async () => {
    const raw = statementEmail('twice', 1);
    await dovecot.append([raw, raw], { user: account('twice') });
    const source = await startSource(account('twice'));
    const stored = await waitUntilProcessed(source, 2);
    expect(stored.map((l) => Number(l.uid))).toEqual([1, 2]);
    expect(stored[0]!.messageId).toBe(stored[1]!.messageId);
    expect(await t.db.statement.count({ where: { messageId: stored[0]!.messageId } })).toBe(1);
  });

  it('stores a message that cannot be parsed raw, marks it failed with the error, and goes on with the next', async () => {
    const broken = unparseableEmail('broken');
    const good = statementEmail('broken', 2);
    await dovecot.append([broken, good], { user: account('broken') });
    const source = await startSource(account('broken'));
    const [first, second] = await waitUntilProcessed(source, 2);
    expect(first!.message.status).toBe('failed');
    expect(first!.message.error).toMatch(/could not parse/);
    expect(Buffer.from(first!.message.raw).equals(broken)).toBe(true);
    expect(first!.message.statements).toHaveLength(0);
    expect(second!.message.status).toBe('drafted');
  });

  it('leaves the mailbox untouched by default: no \\Seen flag is set', async () => {
    const uids = await dovecot.append([statementEmail('readonly', 1), statementEmail('readonly', 2)], { user: account('readonly') });
    const source = await startSource(account('readonly'));
    await waitUntilProcessed(source, 2);
    const flags = await dovecot.flagsByUid('INBOX', account('readonly'));
    expect([...flags.keys()]).toEqual(uids);
    for (const uid of uids) expect(flags.get(uid)!.has('\\Seen')).toBe(false);
  });

  it('sets \\Seen after the commit when IMAP_MARK_SEEN is on', async () => {
    const uids = await dovecot.append([statementEmail('markseen', 1)], { user: account('markseen') });
    const source = await startSource(account('markseen'), { markSeen: true });
    await waitUntilProcessed(source, 1);
    await waitFor('\\Seen on the message', async () => (await dovecot.flagsByUid('INBOX', account('markseen'))).get(uids[0]!)?.has('\\Seen'));
  });
});
