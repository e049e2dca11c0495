// Logging in (password and OAuth2 access token), failing to log in, and polling a server without
// IDLE. Real Dovecot, real PostgreSQL.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapSource } from '../../src/ingest/sources/imap-source.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { Dovecot, DOVECOT_MISSING_REASON, findFreePort, hasDovecot, type DovecotUser } from '../support/dovecot.ts';
import { statementEmail } from '../support/imap-emails.ts';
import { testLogger } from '../support/logger.ts';
import { waitFor } from '../support/wait.ts';

// Dovecot 2.3 checks an XOAUTH2 bearer token against the passdb like a password, so this
// account's "password" is the access token a real provider would have issued.
const OAUTH_USER: DovecotUser = { user: 'oauth@example.org', password: 'ya29.test-access-token-4f9c' };
const PASSWORD_USER: DovecotUser = { user: 'password@example.org', password: 'gmail-app-password-xyzw' };
const POLL_USER: DovecotUser = { user: 'poll@example.org', password: 'app-password-poll' };

function captureLogs() {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  return { logger, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe.skipIf(!hasDovecot)(`IMAP login and polling${hasDovecot ? '' : ` (skipped: ${DOVECOT_MISSING_REASON})`}`, () => {
  let t: TestDatabase;
  let dovecot: Dovecot;
  let withoutIdle: Dovecot;
  const sources: ImapSource[] = [];
  const servers: Dovecot[] = [];

  beforeAll(async () => {
    [t, dovecot, withoutIdle] = await Promise.all([
      createTestDatabase(),
      Dovecot.start({ users: [OAUTH_USER] }),
      Dovecot.start({ users: [POLL_USER], withoutIdle: true }),
    ]);
  });
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.stop()));
    await Promise.all(servers.splice(0).map((s) => s.destroy()));
  });
  afterAll(async () => {
    await Promise.all([dovecot?.destroy(), withoutIdle?.destroy()]);
    await t?.drop();
  });

  function start(source: ImapSource) {
    sources.push(source);
    return source.start().then(() => source);
  }

  async function processedCount(source: ImapSource) {
    return t.db.messageLocation.count({ where: { mailbox: source.name, message: { status: { not: 'received' } } } });
  }

  it('logs in with an OAuth2 access token over XOAUTH2 and ingests mail', async () => {
    await dovecot.append([statementEmail('oauth', 1)], { user: OAUTH_USER });
    const source = await start(
      new ImapSource({
        db: t.db,
        logger: testLogger,
        config: dovecot.imapConfig({ user: OAUTH_USER.user, password: undefined, accessToken: OAUTH_USER.password }),
      }),
    );
    await waitFor('the message to be processed', async () => (await processedCount(source)) === 1);
    expect(await dovecot.readLog()).toMatch(/Login: user=<oauth@example\.org>, method=XOAUTH2/);
  });

  it.each([
    { how: 'an expired OAuth2 access token', secret: 'ya29.expired-token-0000', field: 'accessToken' as const, hint: /IMAP_ACCESS_TOKEN/ },
    { how: 'a wrong password', secret: 'not-the-app-password', field: 'password' as const, hint: /IMAP_USER and IMAP_PASSWORD/ },
  ])('with $how, reports the login failure, retries with growing pauses, and never logs the secret', { timeout: 60_000 }, async ({ secret, field, hint }) => {
    const { logger, lines, entries } = captureLogs();
    const user = field === 'accessToken' ? OAUTH_USER : PASSWORD_USER;
    // Its own server: Dovecot slows down repeated failed logins from one address (anvil penalty).
    const server = await Dovecot.start({ users: [user] });
    servers.push(server);
    const source = await start(
      new ImapSource({
        db: t.db,
        logger,
        config: server.imapConfig({ user: user.user, password: undefined, [field]: secret }),
        reconnect: { baseMs: 100, maxMs: 400 },
        random: () => 0.5,
      }),
    );
    const failures = () => entries().filter((e) => e.msg === 'IMAP source failed; reconnecting after a pause');
    await waitFor('two failed attempts', () => failures().length >= 2, { timeoutMs: 50_000 });
    expect(failures().slice(0, 2).map((e) => [e.attempt, e.retryInMs])).toEqual([
      [1, 75],
      [2, 150],
    ]);
    expect(source.status()).toMatchObject({ connected: false, lastFetchAt: null });
    expect(source.status().lastError).toMatch(hint);
    expect(source.status().lastErrorAt).not.toBeNull();
    expect(lines.join('\n')).not.toContain(secret);
  });

  it.each([
    { how: 'TLS spoken to a plaintext port', secure: true, closedPort: false, hint: /TLS with the IMAP server .* failed.*IMAP_SECURE/ },
    { how: 'nothing listening on the port', secure: false, closedPort: true, hint: /Cannot reach the IMAP server.*IMAP_HOST and IMAP_PORT/ },
  ])('with $how, says what to check and keeps retrying', async ({ secure, closedPort, hint }) => {
    const { logger, entries } = captureLogs();
    const port = closedPort ? await findFreePort() : dovecot.port;
    const source = await start(
      new ImapSource({
        db: t.db,
        logger,
        config: dovecot.imapConfig({ user: OAUTH_USER.user, password: OAUTH_USER.password, secure, port }),
        reconnect: { baseMs: 50, maxMs: 100 },
      }),
    );
    await waitFor('two failed attempts', () => entries().filter((e) => e.msg === 'IMAP source failed; reconnecting after a pause').length >= 2);
    expect(source.status()).toMatchObject({ connected: false, lastFetchAt: null });
    expect(source.status().lastError).toMatch(hint);
  });

  it('polls at IMAP_POLL_INTERVAL_MS when the server offers no IDLE', async () => {
    const client = await withoutIdle.connect(POLL_USER);
    const offersIdle = client.capabilities.has('IDLE');
    await client.logout();
    expect(offersIdle, 'the test server must not offer IDLE').toBe(false);

    const source = await start(
      new ImapSource({
        db: t.db,
        logger: testLogger,
        config: withoutIdle.imapConfig({ user: POLL_USER.user, password: POLL_USER.password, pollIntervalMs: 500 }),
      }),
    );
    await waitFor('the first sync', () => source.status().lastFetchAt);
    await withoutIdle.append([statementEmail('poll', 1), statementEmail('poll', 2)], { user: POLL_USER });
    await waitFor('both messages to be processed', async () => (await processedCount(source)) === 2, { timeoutMs: 10_000 });
    expect(source.status()).toMatchObject({ connected: true, lastError: null });
  });
});
