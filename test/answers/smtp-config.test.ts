// Outgoing mail's configuration: off unless SMTP_HOST is set; the From and the login default to
// the IMAP account; with no SMTP password the IMAP OAuth2 client is reused (Gmail XOAUTH2).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { answerSettingsOf } from '../../src/main.ts';

const IMAP = { IMAP_HOST: 'imap.gmail.com', IMAP_USER: 'Statements@Publication.example.org' };

describe('SMTP configuration', () => {
  it('sends nothing unless SMTP_HOST is set', () => {
    const config = loadConfig({ ...IMAP, IMAP_PASSWORD: 'app-password' });
    expect(config.smtp).toBeUndefined();
    expect(answerSettingsOf(config)).toBeUndefined();
  });

  it('reuses the IMAP OAuth2 client and refresh token for SMTP XOAUTH2 (Gmail)', () => {
    const config = loadConfig({
      ...IMAP,
      IMAP_OAUTH_CLIENT_ID: 'client',
      IMAP_OAUTH_CLIENT_SECRET: 'secret',
      IMAP_OAUTH_REFRESH_TOKEN: '1//refresh',
      SMTP_HOST: 'smtp.gmail.com',
    });
    expect(config.smtp).toMatchObject({ host: 'smtp.gmail.com', port: 465, secure: true, user: IMAP.IMAP_USER, password: undefined, from: IMAP.IMAP_USER });
    expect(config.smtp?.oauth).toMatchObject({ clientId: 'client', refreshToken: '1//refresh' });
    expect(answerSettingsOf(config)?.ourAddresses).toEqual(['statements@publication.example.org']);
  });

  it('uses an SMTP password over OAuth2, and MAIL_FROM over IMAP_USER', () => {
    const config = loadConfig({ ...IMAP, IMAP_PASSWORD: 'x', SMTP_HOST: 'smtp.example.org', SMTP_USER: 'relay@example.org', SMTP_PASSWORD: 'pw', MAIL_FROM: 'desk@example.org', ACK_SINCE: '2026-12-01T00:00:00Z', NOTIFY_ON_PUBLISH: 'true' });
    expect(config.smtp).toMatchObject({ user: 'relay@example.org', password: 'pw', from: 'desk@example.org', oauth: undefined });
    expect(config.ackSince?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(config.notifyOnPublish).toBe(true);
    expect(answerSettingsOf(config)?.ourAddresses.sort()).toEqual(['desk@example.org', 'relay@example.org', 'statements@publication.example.org']);
  });

  it.each([
    [{ SMTP_HOST: 'smtp.example.org' }, /MAIL_FROM: required when SMTP_HOST is set/],
    [{ SMTP_HOST: 'smtp.example.org', MAIL_FROM: 'not an address' }, /MAIL_FROM: expected an email address/],
    [{ ACK_SINCE: 'yesterday' }, /ACK_SINCE: expected an ISO 8601 date and time/],
    [{ SMTP_SECURE: 'perhaps' }, /SMTP_SECURE: expected true or false/],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
