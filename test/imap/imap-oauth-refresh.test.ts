// Access tokens renewed with a refresh token (IMAP_OAUTH_*): asked for from a real HTTP token
// endpoint on loopback (standing in for Google's, which cannot be reached from here), used to
// log in to a real Dovecot over XOAUTH2, renewed before they expire, and every refusal told
// plainly without a secret in it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapSource } from '../../src/ingest/sources/imap-source.ts';
import { AccessTokens, OAuthTokenError, type OAuthRefreshConfig } from '../../src/net/oauth-token.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { Dovecot, DOVECOT_MISSING_REASON, findFreePort, hasDovecot, type DovecotUser } from '../support/dovecot.ts';
import { statementEmail } from '../support/imap-emails.ts';
import { waitFor } from '../support/wait.ts';

const CLIENT = { clientId: 'desk.apps.example.org', clientSecret: 'client-secret-9d1e', refreshToken: '1//refresh-token-77ab' };
// Dovecot 2.3 checks an XOAUTH2 bearer token against the passdb like a password: the account's
// "password" is the access token the endpoint below hands out.
const ACCESS_TOKEN = 'ya29.refreshed-access-token-51c0';
const USER: DovecotUser = { user: 'refresh@example.org', password: ACCESS_TOKEN };

/** A token endpoint as RFC 6749 section 6 describes it; `answer` decides each reply. */
class TokenEndpoint {
  readonly requests: URLSearchParams[] = [];
  answer: (form: URLSearchParams) => { status: number; body: Record<string, unknown> } = (form) =>
    form.get('grant_type') === 'refresh_token' &&
    form.get('refresh_token') === CLIENT.refreshToken &&
    form.get('client_id') === CLIENT.clientId &&
    form.get('client_secret') === CLIENT.clientSecret
      ? { status: 200, body: { access_token: ACCESS_TOKEN, expires_in: 3599, token_type: 'Bearer', scope: 'https://mail.google.com/' } }
      : { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let data = '';
      request.on('data', (chunk) => (data += chunk));
      request.on('end', () => {
        const form = new URLSearchParams(data);
        this.requests.push(form);
        const { status, body } = request.method === 'POST' && request.headers['content-type'] === 'application/x-www-form-urlencoded' ? this.answer(form) : { status: 400, body: { error: 'invalid_request' } };
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/token`;
  }

  config(overrides: Partial<OAuthRefreshConfig> = {}): OAuthRefreshConfig {
    return { tokenUrl: this.url, ...CLIENT, ...overrides };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

describe('OAuth2 access tokens from a refresh token', () => {
  const endpoint = new TokenEndpoint();
  beforeAll(() => endpoint.start());
  afterAll(() => endpoint.stop());

  it('asks once, keeps the token until a minute before it expires, then asks again', async () => {
    let clock = 1_000_000;
    const tokens = new AccessTokens(endpoint.config(), () => clock);
    const before = endpoint.requests.length;
    expect(await Promise.all([tokens.get(), tokens.get()])).toEqual([ACCESS_TOKEN, ACCESS_TOKEN]);
    expect(endpoint.requests.length - before).toBe(1);
    clock += 3599_000 - 61_000;
    await tokens.get();
    expect(endpoint.requests.length - before).toBe(1);
    clock += 2_000;
    await tokens.get();
    expect(endpoint.requests.length - before).toBe(2);
    tokens.invalidate();
    await tokens.get();
    expect(endpoint.requests.length - before).toBe(3);
  });

  it('says what to do when the refresh token or the client is refused, or the endpoint is unreachable, without a secret', async () => {
    const revoked = new AccessTokens(endpoint.config({ refreshToken: '1//revoked-token-0000' }));
    const error = await revoked.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthTokenError);
    expect((error as Error).message).toBe(
      `The OAuth2 token endpoint ${endpoint.url} refused the refresh token in IMAP_OAUTH_REFRESH_TOKEN (invalid_grant: Token has been expired or revoked.): it was revoked, has expired or belongs to another client; create a new one and restart.`,
    );
    expect((error as Error).message).not.toContain('1//revoked-token-0000');

    endpoint.answer = () => ({ status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } });
    try {
      await expect(new AccessTokens(endpoint.config()).get()).rejects.toThrow(/refused the client \(invalid_client: The OAuth client was not found\.\): check IMAP_OAUTH_CLIENT_ID and IMAP_OAUTH_CLIENT_SECRET/);
    } finally {
      endpoint.answer = new TokenEndpoint().answer;
    }

    const closedPort = await findFreePort();
    await expect(new AccessTokens(endpoint.config({ tokenUrl: `http://127.0.0.1:${closedPort}/token` })).get()).rejects.toThrow(
      `Could not reach the OAuth2 token endpoint http://127.0.0.1:${closedPort}/token (ECONNREFUSED): check IMAP_OAUTH_TOKEN_URL and the network; retrying.`,
    );
  });
});

describe.skipIf(!hasDovecot)(`IMAP login with a refreshed token${hasDovecot ? '' : ` (skipped: ${DOVECOT_MISSING_REASON})`}`, () => {
  const endpoint = new TokenEndpoint();
  let t: TestDatabase;
  let dovecot: Dovecot;
  const sources: ImapSource[] = [];
  beforeAll(async () => {
    [t, dovecot] = await Promise.all([createTestDatabase(), Dovecot.start({ users: [USER] }), endpoint.start()]);
  });
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await Promise.all([dovecot?.destroy(), endpoint.stop()]);
    await t?.drop();
  });

  it('fetches an access token, logs in over XOAUTH2 and ingests mail', async () => {
    await dovecot.append([statementEmail('oauth-refresh', 1)], { user: USER });
    const source = new ImapSource({
      db: t.db,
      logger: createLogger('silent'),
      config: { ...dovecot.imapConfig({ user: USER.user, password: undefined, accessToken: undefined }), oauth: endpoint.config() },
    });
    sources.push(source);
    await source.start();
    await waitFor('the message to be drafted', async () => (await t.db.message.count({ where: { status: 'drafted', messageIdHeader: 'statement-oauth-refresh-1@solidarity-oauth-refresh.example.org' } })) === 1);
    expect(endpoint.requests.at(-1)?.get('grant_type')).toBe('refresh_token');
    expect(await dovecot.readLog()).toMatch(/Login: user=<refresh@example\.org>, method=XOAUTH2/);
  });

  it('reports a revoked refresh token on /ready and in the log, never the secrets, and keeps retrying', { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    const source = new ImapSource({
      db: t.db,
      logger: createLogger('debug', { write: (line: string) => void lines.push(line) }),
      config: { ...dovecot.imapConfig({ user: USER.user, password: undefined, accessToken: undefined }), oauth: endpoint.config({ refreshToken: '1//revoked-token-1111' }) },
      reconnect: { baseMs: 100, maxMs: 200 },
    });
    sources.push(source);
    await source.start();
    await waitFor('two failed attempts', () => lines.filter((l) => l.includes('IMAP source failed; reconnecting after a pause')).length >= 2, { timeoutMs: 30_000 });
    expect(source.status()).toMatchObject({ connected: false });
    expect(source.status().lastError).toMatch(/refused the refresh token in IMAP_OAUTH_REFRESH_TOKEN \(invalid_grant/);
    const log = lines.join('\n');
    for (const secret of ['1//revoked-token-1111', CLIENT.clientSecret, ACCESS_TOKEN]) expect(log).not.toContain(secret);
  });

  it('asks for a new token after the server refuses one, and says what to check', { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    const wrong = new TokenEndpoint();
    wrong.answer = () => ({ status: 200, body: { access_token: 'ya29.token-for-another-account', expires_in: 3599 } });
    await wrong.start();
    try {
      const source = new ImapSource({
        db: t.db,
        logger: createLogger('debug', { write: (line: string) => void lines.push(line) }),
        config: { ...dovecot.imapConfig({ user: USER.user, password: undefined, accessToken: undefined }), oauth: wrong.config() },
        reconnect: { baseMs: 100, maxMs: 200 },
      });
      sources.push(source);
      await source.start();
      await waitFor('two refused logins', () => lines.filter((l) => l.includes('IMAP source failed; reconnecting after a pause')).length >= 2, { timeoutMs: 30_000 });
      // The token is valid for an hour, yet each refused login threw it away.
      expect(wrong.requests.length).toBeGreaterThanOrEqual(2);
      expect(source.status().lastError).toMatch(/failed .* with an access token fresh from IMAP_OAUTH_REFRESH_TOKEN: check that IMAP_USER is the account/);
      expect(lines.join('\n')).not.toContain('ya29.token-for-another-account');
    } finally {
      await Promise.all(sources.splice(0).map((s) => s.stop()));
      await wrong.stop();
    }
  });
});
