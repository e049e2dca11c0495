// OAuth2 access tokens for the IMAP login (XOAUTH2), kept fresh with a refresh token (RFC 6749,
// section 6): Gmail's access tokens last an hour, so a poller given only IMAP_ACCESS_TOKEN stops
// after one. A token is asked for when the poller connects and none is held, or the one held
// expires within a minute, or the server refused it. Never logs or reports a token or secret.

export interface OAuthRefreshConfig {
  /** The provider's token endpoint (Google: https://oauth2.googleapis.com/token). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Renew this long before the stated expiry: a login must not race the clock. */
const EXPIRY_MARGIN_MS = 60_000;
/** Providers that omit expires_in: assume Google's hour. */
const DEFAULT_LIFETIME_S = 3600;
const REQUEST_TIMEOUT_MS = 30_000;

/** A token could not be had; the message says what to do. The poller retries with backoff. */
export class OAuthTokenError extends Error {}

export class AccessTokens {
  private current: { token: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;

  constructor(
    private readonly config: OAuthRefreshConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token valid for at least another minute: the one held, or a new one. */
  async get(): Promise<string> {
    if (this.current && this.now() < this.current.expiresAt - EXPIRY_MARGIN_MS) return this.current.token;
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** The server refused the token held (revoked early, say): the next get() asks for a new one. */
  invalidate(): void {
    this.current = undefined;
  }

  private async refresh(): Promise<string> {
    const endpoint = new URL(this.config.tokenUrl);
    const where = `${endpoint.origin}${endpoint.pathname}`;
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: this.config.refreshToken,
          client_id: this.config.clientId,
          client_secret: this.config.clientSecret,
        }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new OAuthTokenError(`Could not reach the OAuth2 token endpoint ${where} (${cause}): check IMAP_OAUTH_TOKEN_URL and the network; retrying.`);
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };
    if (!response.ok) {
      const code = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
      const said = typeof body.error_description === 'string' ? `: ${body.error_description.replace(/\s+/g, ' ').slice(0, 200)}` : '';
      if (code === 'invalid_grant') {
        throw new OAuthTokenError(`The OAuth2 token endpoint ${where} refused the refresh token in IMAP_OAUTH_REFRESH_TOKEN (invalid_grant${said}): it was revoked, has expired or belongs to another client; create a new one and restart.`);
      }
      if (code === 'invalid_client' || code === 'unauthorized_client') {
        throw new OAuthTokenError(`The OAuth2 token endpoint ${where} refused the client (${code}${said}): check IMAP_OAUTH_CLIENT_ID and IMAP_OAUTH_CLIENT_SECRET.`);
      }
      throw new OAuthTokenError(`The OAuth2 token endpoint ${where} gave no access token (${code}${said}); retrying.`);
    }
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw new OAuthTokenError(`The OAuth2 token endpoint ${where} answered without an access_token; check IMAP_OAUTH_TOKEN_URL; retrying.`);
    }
    const lifetimeS = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S;
    this.current = { token: body.access_token, expiresAt: this.now() + lifetimeS * 1000 };
    return body.access_token;
  }
}
