import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('.env.example lists exactly the variables the schema knows, and parses as a valid configuration', async () => {
    const text = await readFile(new URL('../.env.example', import.meta.url), 'utf8');
    const entries = Object.fromEntries(
      text
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(Object.keys(entries).sort()).toEqual(Object.keys(configSchema.shape).sort());
    expect(() => loadConfig(entries)).not.toThrow();
  });

  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.imap).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:3000');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT: expected a port number/],
    [{ PORT: '70000' }, /PORT: expected a port number from 0 to 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: expected a postgresql:\/\/ URL/],
    [{ IMAP_HOST: 'imap.gmail.com' }, /IMAP_USER: required when IMAP_HOST is set[\s\S]*IMAP_PASSWORD: IMAP_PASSWORD, IMAP_ACCESS_TOKEN or IMAP_OAUTH_REFRESH_TOKEN/],
    [
      { IMAP_HOST: 'imap.gmail.com', IMAP_USER: 'desk@example.org', IMAP_OAUTH_REFRESH_TOKEN: '1//refresh' },
      /IMAP_OAUTH_CLIENT_ID: required with IMAP_OAUTH_REFRESH_TOKEN[\s\S]*IMAP_OAUTH_CLIENT_SECRET: required with IMAP_OAUTH_REFRESH_TOKEN/,
    ],
    [{ IMAP_OAUTH_TOKEN_URL: 'token endpoint' }, /IMAP_OAUTH_TOKEN_URL: expected the absolute URL of an OAuth2 token endpoint/],
    [{ IMAP_SECURE: 'maybe' }, /IMAP_SECURE: expected true or false/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ PUBLIC_BASE_URL: 'statements' }, /PUBLIC_BASE_URL: expected an absolute URL/],
    [{ TRUST_PROXY: 'the load balancer' }, /TRUST_PROXY: expected false, true, a number of proxy hops/],
    [{ TRUSTED_AUTHSERV_ID: 'mx.google.com; dmarc=pass' }, /TRUSTED_AUTHSERV_ID: expected the authserv-id of your receiving mail server/],
  ])('stops on %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.1, 10.0.0.2', '10.0.0.1, 10.0.0.2'],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    [undefined, []],
    ['', []],
    ['mx.google.com', ['mx.google.com']],
    [' MX.Google.com , mx.fastmail.example ', ['mx.google.com', 'mx.fastmail.example']],
  ])('reads TRUSTED_AUTHSERV_ID=%s (unset: no sender is verified)', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUSTED_AUTHSERV_ID: value }).trustedAuthservIds).toEqual(expected);
  });

  it('reads an IMAP account with an OAuth2 access token, secure by default, never modifying the mailbox', () => {
    const config = loadConfig({ IMAP_HOST: 'imap.gmail.com', IMAP_USER: 'desk@example.com', IMAP_ACCESS_TOKEN: 'ya29.x' });
    expect(config.imap).toMatchObject({ host: 'imap.gmail.com', port: 993, secure: true, mailbox: 'INBOX', markSeen: false, moveTo: undefined, accessToken: 'ya29.x', oauth: undefined });
  });

  it("reads an OAuth2 client and refresh token, with Google's token endpoint by default", () => {
    const config = loadConfig({
      IMAP_HOST: 'imap.gmail.com',
      IMAP_USER: 'desk@example.com',
      IMAP_OAUTH_CLIENT_ID: 'client.apps.googleusercontent.com',
      IMAP_OAUTH_CLIENT_SECRET: 'secret',
      IMAP_OAUTH_REFRESH_TOKEN: '1//refresh',
    });
    expect(config.imap?.oauth).toEqual({
      tokenUrl: 'https://oauth2.googleapis.com/token',
      clientId: 'client.apps.googleusercontent.com',
      clientSecret: 'secret',
      refreshToken: '1//refresh',
    });
  });
});
