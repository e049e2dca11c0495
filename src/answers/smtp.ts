// The one module that imports nodemailer (CONVENTIONS 11). Sends one prepared mail over SMTP and
// sorts failures into: the server is unreachable or refuses us (an outage: wait, retry everything
// later), the server refuses this mail for now (4xx: retry it later), or for good (5xx: give up).
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config.ts';
import { AccessTokens } from '../net/oauth-token.ts';

export interface OutgoingMail {
  from: { name?: string | undefined; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Without angle brackets; the same on every attempt, so mail stores drop a second copy. */
  messageId: string;
  date: Date;
  inReplyTo: string | null;
  references: string[];
  /** Mark it as an automatic reply (RFC 3834) that no auto-responder should answer. */
  autoReply: boolean;
}

export interface SmtpReceipt {
  /** The server's final reply, e.g. "250 2.0.0 OK  1700000000 queued". */
  response: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<SmtpReceipt>;
  close(): void;
}

export type SmtpFailureKind = 'outage' | 'temporary' | 'permanent';

export class SmtpFailure extends Error {
  constructor(
    message: string,
    readonly kind: SmtpFailureKind,
    readonly response: string | null,
  ) {
    super(message);
    this.name = 'SmtpFailure';
  }
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'EPROTOCOL', 'ECONNREFUSED', 'ECONNRESET', 'EOAUTH2']);

/** What went wrong, for the outbox row and /ready; never a password or token. */
export function classifySmtpError(error: unknown): SmtpFailure {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const response = typeof e.response === 'string' ? e.response.slice(0, 500) : null;
  if (typeof e.responseCode === 'number' && e.code !== 'EAUTH') {
    if (e.responseCode >= 500) return new SmtpFailure(`the SMTP server refused the mail: ${response ?? e.responseCode}`, 'permanent', response);
    if (e.responseCode >= 400) return new SmtpFailure(`the SMTP server deferred the mail: ${response ?? e.responseCode}`, 'temporary', response);
  }
  if (e.code === 'EAUTH' || e.code === 'EOAUTH2') {
    return new SmtpFailure(`the SMTP server did not accept our login (${response ?? e.message ?? 'EAUTH'}): check SMTP_USER and SMTP_PASSWORD or the OAuth2 client`, 'outage', response);
  }
  if (e.code && CONNECTION_CODES.has(e.code)) {
    return new SmtpFailure(`cannot reach the SMTP server (${e.code}: ${firstLine(e.message)}): check SMTP_HOST, SMTP_PORT and SMTP_SECURE`, 'outage', response);
  }
  return new SmtpFailure(`sending failed: ${firstLine(e.message ?? String(error))}`, 'outage', response);
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.trim();
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Opens a transport per round of sending (an OAuth2 access token is fetched or renewed for it). */
export function smtpTransportFactory(config: SmtpConfig): () => Promise<MailTransport> {
  const tokens = config.oauth ? new AccessTokens(config.oauth) : undefined;
  return async () => {
    const auth = config.password
      ? { user: config.user, pass: config.password }
      : tokens
        ? { type: 'OAuth2' as const, user: config.user, accessToken: await tokens.get() }
        : config.accessToken
          ? { type: 'OAuth2' as const, user: config.user, accessToken: config.accessToken }
          : undefined;
    const transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      // STARTTLS is required off loopback: a server that does not offer it gets nothing.
      requireTLS: !config.secure && !isLoopback(config.host),
      ...(auth ? { auth } : {}),
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 60_000,
      logger: false,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    return {
      async send(mail) {
        try {
          const info = await transport.sendMail({
            from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
            to: mail.to,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            messageId: `<${mail.messageId}>`,
            date: mail.date,
            ...(mail.inReplyTo ? { inReplyTo: `<${mail.inReplyTo}>` } : {}),
            ...(mail.references.length ? { references: mail.references.map((r) => `<${r}>`) } : {}),
            headers: mail.autoReply ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
          });
          return { response: String(info.response ?? '') };
        } catch (error) {
          if (tokens && (error as { code?: string }).code === 'EAUTH') tokens.invalidate();
          throw classifySmtpError(error);
        }
      },
      close: () => transport.close(),
    };
  };
}
