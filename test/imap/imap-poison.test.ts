// Issue 10 through IMAP, against a real Dovecot and PostgreSQL: an email dated year 10000 in the
// inbox stopped the IMAP source across restarts (the pending step before each poll failed on it,
// and every failure was taken for a lost database). Poison messages among good ones: the good
// ones are drafted, the poison ones failed with reasons (or drafted without the bad date), and
// the source stays healthy; after a crash, the pending step processes the rest and goes on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapSource } from '../../src/ingest/sources/imap-source.ts';
import { storeRawMessages } from '../../src/ingest/store-raw.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { Dovecot, DOVECOT_MISSING_REASON, hasDovecot, type DovecotUser } from '../support/dovecot.ts';
import { testLogger } from '../support/logger.ts';
import { expectAllDrafted, expectPoisonOutcomes, goodEmails, poisonEmails, TEST_MAX_MESSAGE_BYTES, type PoisonEmail } from '../support/poison-emails.ts';
import { waitFor } from '../support/wait.ts';

const USERS = ['poison', 'restart'].map((name): DovecotUser => ({ user: `${name}@example.org`, password: `app-password-${name}` }));
const account = (name: string) => USERS.find((u) => u.user.startsWith(`${name}@`))!;

/**
 * IMAP cannot carry a NUL byte (RFC 3501 literals exclude it; Dovecot stores another byte in its
 * place), so the NUL poison reaches us changed: it goes through the drop folder and import only.
 */
const overImap = (poisons: PoisonEmail[]) => poisons.filter((p) => !p.raw.includes(0));

describe.skipIf(!hasDovecot)(`IMAP source and poison messages${hasDovecot ? '' : ` (skipped: ${DOVECOT_MISSING_REASON})`}`, () => {
  let t: TestDatabase;
  let dovecot: Dovecot;
  const sources: ImapSource[] = [];

  beforeAll(async () => {
    [t, dovecot] = await Promise.all([createTestDatabase(), Dovecot.start({ users: USERS })]);
  });
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await dovecot?.destroy();
    await t?.drop();
  });

  async function startSource(user: DovecotUser) {
    const source = new ImapSource({
      db: t.db,
      logger: testLogger,
      config: dovecot.imapConfig({ user: user.user, password: user.password }),
      reconnect: { baseMs: 200, maxMs: 1000 },
      maxMessageBytes: TEST_MAX_MESSAGE_BYTES,
    });
    sources.push(source);
    await source.start();
    return source;
  }

  /** Waits until `count` messages of the mailbox are stored and none is still `received`. */
  async function waitUntilProcessed(source: ImapSource, count: number) {
    await waitFor(
      `${count} processed messages in ${source.name}`,
      async () => {
        const locations = await t.db.messageLocation.findMany({ where: { mailbox: source.name }, include: { message: { select: { status: true } } } });
        return locations.length === count && locations.every((l) => l.message.status !== 'received');
      },
      { timeoutMs: 60_000 },
    );
  }

  it('drafts the good mail around poison mail in the inbox, fails the poison with reasons, and keeps polling', { timeout: 120_000 }, async () => {
    const poisons = overImap(poisonEmails('imap'));
    const good = goodEmails('imap', 3);
    await dovecot.append([good[0]!, ...poisons.map((p) => p.raw), good[1]!], { user: account('poison') });
    const source = await startSource(account('poison'));
    await waitUntilProcessed(source, poisons.length + 2);
    await expectAllDrafted(t.db, [good[0]!, good[1]!]);
    await expectPoisonOutcomes(t.db, poisons);
    // Still polling: mail that arrives afterwards is drafted too.
    await dovecot.append([good[2]!], { user: account('poison') });
    await waitUntilProcessed(source, poisons.length + 3);
    await expectAllDrafted(t.db, [good[2]!]);
    expect(source.status()).toMatchObject({ connected: true, lastError: null });
  });

  it('after a crash left poison mail received, the pending step before the poll processes it and the source goes on', { timeout: 120_000 }, async () => {
    // Stored raw, never processed: what a crash (or the old behaviour) left behind.
    const poisons = poisonEmails('restart');
    const pendingGood = goodEmails('restart-pending', 2);
    const pending = [pendingGood[0]!, ...poisons.map((p) => p.raw), pendingGood[1]!];
    await storeRawMessages(t.db, pending.map((raw) => ({ raw, source: 'imap' as const })));
    const fresh = goodEmails('restart-new', 2);
    await dovecot.append(fresh, { user: account('restart') });
    const source = await startSource(account('restart'));
    await waitUntilProcessed(source, fresh.length);
    await expectAllDrafted(t.db, [...pendingGood, ...fresh]);
    await expectPoisonOutcomes(t.db, poisons);
    expect(await t.db.message.count({ where: { status: 'received' } })).toBe(0);
    expect(source.status()).toMatchObject({ connected: true, lastError: null });
  });
});
