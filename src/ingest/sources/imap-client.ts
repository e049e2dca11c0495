// The one module that imports imapflow (CONVENTIONS 11). It offers the IMAP poller exactly what it
// needs: open one mailbox, list and fetch new UIDs byte-exact, wait for new mail, and the two
// optional changes to the mailbox (\Seen, move). Everything above it is written in terms of
// UIDs and Buffers, so replacing imapflow touches this file only.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';

export interface ImapAccount {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  /** A password or a Gmail app password (LOGIN / AUTHENTICATE PLAIN). */
  password?: string | undefined;
  /** An OAuth2 access token, sent with AUTHENTICATE XOAUTH2 (or OAUTHBEARER). Wins over password. */
  accessToken?: string | undefined;
}

export interface FetchedMessage {
  uid: number;
  /** The message exactly as the server holds it (BODY.PEEK[]: never sets \Seen). */
  raw: Buffer;
}

/** Give up on a connection attempt (TCP, TLS, greeting) after this long. */
const CONNECT_TIMEOUT_MS = 30_000;
/** A clean LOGOUT that takes longer than this is abandoned and the socket closed. */
const LOGOUT_TIMEOUT_MS = 5_000;

/**
 * An operator-facing sentence for a failed IMAP operation: what went wrong and what to do.
 * Never includes the password or token (imapflow's errors do not carry them either).
 */
export function describeImapError(error: unknown, account: Pick<ImapAccount, 'host' | 'port' | 'user' | 'accessToken'> & { oauth?: unknown }): string {
  const raw = (error ?? {}) as { message?: string; code?: string; authenticationFailed?: boolean; response?: string; responseText?: string };
  // One line for the log and GET /ready: OpenSSL messages, for one, span several.
  const oneLine = (text: string | undefined) => text?.replace(/\s+/g, ' ').trim();
  const e = { ...raw, message: oneLine(raw.message), response: oneLine(raw.response), responseText: oneLine(raw.responseText) };
  const where = `${account.host}:${account.port}`;
  if (e.authenticationFailed) {
    const reply = e.response ?? e.responseText ?? e.message ?? 'rejected';
    if (account.oauth) {
      return `IMAP login as ${account.user} at ${where} failed (${reply}) with an access token fresh from IMAP_OAUTH_REFRESH_TOKEN: check that IMAP_USER is the account the refresh token was issued for and that its scope allows IMAP (Gmail: https://mail.google.com/); retrying with a new token.`;
    }
    return account.accessToken
      ? `IMAP login as ${account.user} at ${where} failed (${reply}): the OAuth2 access token in IMAP_ACCESS_TOKEN is invalid or expired (they last about an hour); set a fresh one.`
      : `IMAP login as ${account.user} at ${where} failed (${reply}): check IMAP_USER and IMAP_PASSWORD (for Gmail, an app password).`;
  }
  const code = e.code ? ` (${e.code})` : '';
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EHOSTUNREACH' || e.code === 'ETIMEDOUT' || e.code === 'CONNECT_TIMEOUT') {
    return `Cannot reach the IMAP server at ${where}${code}: check IMAP_HOST and IMAP_PORT and that the server is up; retrying.`;
  }
  if (/certificate|tls|ssl/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) {
    return `TLS with the IMAP server at ${where} failed${code}: ${e.message ?? 'handshake error'}. Check IMAP_SECURE and IMAP_PORT (993 for TLS, 143 for STARTTLS).`;
  }
  return `IMAP error with ${where}${code}: ${e.message ?? String(error)}; retrying.`;
}

/** One connection with one mailbox selected. */
export class ImapSession {
  /** Settles (never rejects) when the connection is gone, with the reason when one is known. */
  readonly closed: Promise<Error>;
  private lastError: Error | undefined;
  /** EXISTS responses seen so far, during IDLE or in any other command's response. */
  private existsCount = 0;

  private constructor(
    private readonly client: ImapFlow,
    readonly mailbox: string,
  ) {
    client.on('error', (error: Error) => {
      this.lastError = error;
    });
    client.on('exists', () => {
      this.existsCount += 1;
    });
    this.closed = new Promise((resolve) => {
      client.once('close', () => resolve(this.lastError ?? new Error('the IMAP server closed the connection')));
    });
  }

  /**
   * Connects, logs in and selects `mailbox`: read-only (EXAMINE) unless the caller will change
   * flags or move messages, so that by default nothing can modify the mailbox.
   */
  static async open(
    account: ImapAccount,
    mailbox: string,
    options: { readOnly: boolean; signal?: AbortSignal },
  ): Promise<ImapSession> {
    const client = new ImapFlow(clientOptions(account));
    // The session listens for 'error' from the start: an unheard 'error' event crashes Node.
    const session = new ImapSession(client, mailbox);
    // Stopping while connecting (a slow or unreachable server) must not wait for the timeout.
    const abandon = () => client.close();
    options.signal?.addEventListener('abort', abandon, { once: true });
    try {
      await client.connect();
      await client.mailboxOpen(mailbox, { readOnly: options.readOnly });
      return session;
    } catch (error) {
      client.close();
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', abandon);
    }
  }

  get uidValidity(): bigint {
    if (!this.client.mailbox) throw new Error(`mailbox ${this.mailbox} is not selected`);
    return BigInt(this.client.mailbox.uidValidity);
  }

  /**
   * A mark to pass to waitForNewMail: mail announced after it (say, in a FETCH response while
   * syncing) ends the wait at once instead of being noticed only at the next IDLE renewal.
   */
  get changeMark(): number {
    return this.existsCount;
  }

  get supportsIdle(): boolean {
    return this.client.capabilities.has('IDLE');
  }

  /** UIDs of the messages with UID >= fromUid, as the server lists them (may include one below). */
  async searchUidsFrom(fromUid: number): Promise<number[]> {
    const uids = await this.client.search({ uid: `${fromUid}:*` }, { uid: true });
    if (uids === false || uids === undefined) throw new Error(`UID SEARCH failed in ${this.mailbox}`);
    return uids;
  }

  /** The raw bytes of the given messages, ascending by UID; expunged ones are simply absent. */
  async fetchRaw(uids: readonly number[]): Promise<FetchedMessage[]> {
    if (!uids.length) return [];
    const fetched = await this.client.fetchAll(uids.join(','), { uid: true, source: true }, { uid: true });
    return fetched
      .filter((m) => m.source !== undefined && uids.includes(m.uid))
      .map((m) => ({ uid: m.uid, raw: m.source as Buffer }))
      .sort((a, b) => a.uid - b.uid);
  }

  /**
   * Returns when the mailbox may hold new mail: at once if an EXISTS came after `sinceMark`, on
   * an EXISTS during IDLE, after `timeoutMs`
   * (re-IDLE: servers drop IDLE sessions after some minutes), or when `signal` aborts. Rejects
   * when the connection closes. The next command breaks the IDLE.
   */
  waitForNewMail(timeoutMs: number, signal: AbortSignal, sinceMark = this.existsCount): Promise<void> {
    if (this.existsCount !== sinceMark) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const finish = (error?: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.client.off('exists', onExists);
        signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onExists = () => finish();
      const onAbort = () => finish();
      const timer = setTimeout(() => finish(), timeoutMs);
      this.client.on('exists', onExists);
      signal.addEventListener('abort', onAbort, { once: true });
      void this.closed.then((error) => finish(error));
      if (signal.aborted) return finish();
      this.client.idle().then(
        () => finish(),
        (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  async markSeen(uids: readonly number[]): Promise<void> {
    if (!uids.length) return;
    const ok = await this.client.messageFlagsAdd(uids.join(','), ['\\Seen'], { uid: true });
    if (!ok) throw new Error(`could not set \\Seen in ${this.mailbox}`);
  }

  async moveTo(uids: readonly number[], destination: string): Promise<void> {
    if (!uids.length) return;
    const moved = await this.client.messageMove(uids.join(','), destination, { uid: true });
    if (!moved) throw new Error(`could not move messages from ${this.mailbox} to ${destination}`);
  }

  /** Logs out politely, or drops the socket when the server does not answer in time. */
  async close(): Promise<void> {
    if (this.client.isClosed) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.logout().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, LOGOUT_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    this.client.close();
  }
}

function clientOptions(account: ImapAccount): ImapFlowOptions {
  return {
    host: account.host,
    port: account.port,
    secure: account.secure,
    auth: account.accessToken
      ? { user: account.user, accessToken: account.accessToken }
      : { user: account.user, pass: account.password ?? '' },
    // imapflow's own logs are protocol chatter; our poller logs what an operator needs.
    logger: false,
    // We IDLE ourselves right after each sync, so new mail is seen at once.
    disableAutoIdle: true,
    // BODY.PEEK[] always: BINARY would hand back decoded content, not the stored bytes.
    disableBinary: true,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    clientInfo: { name: 'statement-desk' },
  };
}
