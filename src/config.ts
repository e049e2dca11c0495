// The only module that reads process.env. Parsed once at start; a bad value stops the service
// with a message naming the variable and what is expected.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { GOOGLE_TOKEN_URL, type OAuthRefreshConfig } from './net/oauth-token.ts';

/** MAX_MESSAGE_BYTES's default: 50 MB, above what Gmail accepts (25 MB of attachments, encoded). */
export const DEFAULT_MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

const retentionDays = z.preprocess(
  emptyToUndefined,
  z.coerce.number({ error: 'expected a number of days' }).int().min(1, { error: 'expected at least 1 day (unset keeps everything)' }).optional(),
);

export const configSchema = z
  .object({
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .url({ protocol: /^postgres(ql)?$/, error: 'expected a postgresql:// URL' })
        .optional()
        .describe('PostgreSQL connection URL. Unset: an embedded PostgreSQL under DATA_DIR.'),
    ),
    DATA_DIR: z.string().min(1).default('./data').describe('Where the embedded database and other state live.'),
    HOST: z.string().min(1).default('127.0.0.1').describe('Address the HTTP server listens on.'),
    PORT: z.coerce
      .number({ error: 'expected a port number' })
      .int()
      .min(0)
      .max(65535, { error: 'expected a port number from 0 to 65535' })
      .default(3000)
      .describe('HTTP port.'),
    PUBLIC_BASE_URL: z.preprocess(
      emptyToUndefined,
      z.url({ error: 'expected an absolute URL such as https://statements.example.org' }).optional(),
    ).describe('Base of the public URLs in feeds and pages. Default: http://HOST:PORT.'),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    ).describe('pino log level, for every command. Unset: info for serve, warn for the others (import shows its own progress).'),
    IMAP_HOST: z.preprocess(emptyToUndefined, z.string().optional()).describe(
      'IMAP server. Unset: ingest .eml files from INBOX_DIR instead.',
    ),
    IMAP_PORT: z.coerce.number({ error: 'expected a port number' }).int().min(1).max(65535).default(993),
    IMAP_SECURE: z.preprocess(emptyToUndefined, booleanFromEnv.default(true)).describe('Use TLS from the start.'),
    IMAP_USER: z.preprocess(emptyToUndefined, z.string().optional()),
    IMAP_PASSWORD: z.preprocess(emptyToUndefined, z.string().optional()).describe('Password or Gmail app password.'),
    IMAP_ACCESS_TOKEN: z.preprocess(emptyToUndefined, z.string().optional()).describe('OAuth2 access token (XOAUTH2); lasts about an hour.'),
    IMAP_OAUTH_CLIENT_ID: z.preprocess(emptyToUndefined, z.string().optional()).describe('OAuth2 client, to refresh access tokens.'),
    IMAP_OAUTH_CLIENT_SECRET: z.preprocess(emptyToUndefined, z.string().optional()),
    IMAP_OAUTH_REFRESH_TOKEN: z.preprocess(emptyToUndefined, z.string().optional()).describe('Refresh token: access tokens are fetched and renewed with it.'),
    IMAP_OAUTH_TOKEN_URL: z.preprocess(
      emptyToUndefined,
      z.url({ error: 'expected the absolute URL of an OAuth2 token endpoint' }).default(GOOGLE_TOKEN_URL),
    ),
    IMAP_MAILBOX: z.string().min(1).default('INBOX'),
    IMAP_POLL_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000).describe(
      'Polling interval when the server offers no IDLE.',
    ),
    IMAP_MARK_SEEN: z.preprocess(emptyToUndefined, booleanFromEnv.default(false)).describe(
      'Set \\Seen on messages after they are committed. Off: the mailbox is never modified.',
    ),
    IMAP_MOVE_TO: z.preprocess(emptyToUndefined, z.string().optional()).describe(
      'Move messages to this mailbox after they are committed. Unset: never move.',
    ),
    SMTP_HOST: z.preprocess(emptyToUndefined, z.string().optional()).describe(
      'SMTP server for acknowledgements (Gmail: smtp.gmail.com). Unset: nothing is ever sent.',
    ),
    SMTP_PORT: z.coerce.number({ error: 'expected a port number' }).int().min(1).max(65535).default(465),
    SMTP_SECURE: z.preprocess(emptyToUndefined, booleanFromEnv.default(true)).describe(
      'TLS from the start (port 465). false: STARTTLS, required except on loopback (port 587).',
    ),
    SMTP_USER: z.preprocess(emptyToUndefined, z.string().optional()).describe('Default: IMAP_USER. Unset with no password or OAuth2: no authentication.'),
    SMTP_PASSWORD: z.preprocess(emptyToUndefined, z.string().optional()).describe(
      'Password or Gmail app password. Unset: the IMAP OAuth2 client and refresh token (or access token) are used (XOAUTH2).',
    ),
    MAIL_FROM: z.preprocess(
      emptyToUndefined,
      z.email({ error: 'expected an email address such as statements@example.org' }).optional(),
    ).describe('From address of the mail we send. Default: IMAP_USER (or SMTP_USER).'),
    MAIL_FROM_NAME: z.preprocess(emptyToUndefined, z.string().max(200).optional()).describe('Display name of MAIL_FROM.'),
    ACK_SINCE: z.preprocess(
      emptyToUndefined,
      z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date and time such as 2026-12-01T00:00:00Z' }).optional(),
    ).describe('Mail dated before this is never acknowledged. Default: when the service first read each mailbox.'),
    NOTIFY_ON_PUBLISH: z.preprocess(emptyToUndefined, booleanFromEnv.default(false)).describe(
      'Also tell the sender when their statement is published.',
    ),
    INBOX_DIR: z.string().min(1).default('./inbox').describe('Drop folder used when IMAP_HOST is unset.'),
    MAX_MESSAGE_BYTES: z.coerce
      .number({ error: 'expected a number of bytes' })
      .int({ error: 'expected a whole number of bytes' })
      .min(1024, { error: 'expected at least 1024 bytes' })
      .max(1024 * 1024 * 1024, { error: 'expected at most 1073741824 bytes (1 GB, what PostgreSQL stores in one value)' })
      .default(DEFAULT_MAX_MESSAGE_BYTES)
      .describe('Largest email that is read (parsed and drafted); a larger one is stored raw and marked failed with the reason.'),
    TRUSTED_AUTHSERV_ID: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\s*[A-Za-z0-9._-]+(\s*,\s*[A-Za-z0-9._-]+)*\s*$/, {
          error: 'expected the authserv-id of your receiving mail server, e.g. mx.google.com (several: comma-separated)',
        })
        .optional(),
    ).describe(
      'Authserv-id(s) of the receiving mail server whose topmost Authentication-Results header is believed (Gmail: mx.google.com). Unset: no sender is ever shown as verified.',
    ),
    SESSION_TTL_HOURS: z.coerce.number().int().min(1).default(12),
    REQUEST_STATEMENT_TIMEOUT_MS: z.coerce
      .number({ error: 'expected a number of milliseconds' })
      .int()
      .min(100, { error: 'expected at least 100 (ms)' })
      .default(5_000)
      .describe('PostgreSQL statement_timeout for the queries of HTTP requests; a request that runs longer gets 503. Ingest is not limited.'),
    TRUST_PROXY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^(true|false|\d+|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
          error: 'expected false, true, a number of proxy hops, or a comma-separated list of proxy addresses',
        })
        .default('false'),
    ).describe(
      'Whether X-Forwarded-For/-Proto are believed (client address for rate limits, https for cookies). Set it only behind a reverse proxy.',
    ),
    METRICS_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().min(24, { error: 'expected a random secret of at least 24 characters (openssl rand -hex 24)' }).optional(),
    ).describe('Bearer token for GET /metrics (Prometheus). Unset: /metrics answers 404.'),
    RETENTION_IGNORED_DAYS: retentionDays.describe('Erase the raw email, attachments and text of ignored messages this many days after they arrived. Unset: kept.'),
    RETENTION_FAILED_DAYS: retentionDays.describe('The same for messages that failed to process.'),
    RETENTION_REJECTED_DAYS: retentionDays.describe('The same for the emails of rejected statements, counted from the rejection.'),
    REQUEST_TIMEOUT_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(1000).default(30_000).describe(
      'Longest time a client may take to send a whole request (headers and body); then 408 and the connection closes.',
    ),
    HEADERS_TIMEOUT_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(1000).default(10_000).describe(
      'Longest time a client may take to send the request headers (at most REQUEST_TIMEOUT_MS).',
    ),
    CONNECTION_TIMEOUT_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(1000).default(60_000).describe(
      'A connection on which nothing moves for this long is closed.',
    ),
    KEEP_ALIVE_TIMEOUT_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(1000).default(72_000).describe(
      'How long an idle keep-alive connection is kept open; longer than a reverse proxy\'s own idle timeout.',
    ),
    RATE_LIMIT_PER_MINUTE: z.coerce
      .number({ error: 'expected a number of requests per minute' })
      .int()
      .min(0)
      .default(600)
      .describe('Requests one client address may make per minute (each instance counts its own); more get 429. A coarse flood guard: sign-in has its own, tighter limits. 0: off.'),
    MAX_CONNECTIONS_PER_IP: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected a number of connections' }).int().min(0).optional(),
    ).describe('Open connections one client address may hold; more are closed at once. 0: no cap. Default 50, or 0 when TRUST_PROXY is set (every connection then comes from the proxy).'),
  })
  .superRefine((env, ctx) => {
    if (env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['HEADERS_TIMEOUT_MS'], message: `must be at most REQUEST_TIMEOUT_MS (${env.REQUEST_TIMEOUT_MS})` });
    }
    if (env.IMAP_HOST) {
      if (!env.IMAP_USER) {
        ctx.addIssue({ code: 'custom', path: ['IMAP_USER'], message: 'required when IMAP_HOST is set' });
      }
      const oauth = ['IMAP_OAUTH_CLIENT_ID', 'IMAP_OAUTH_CLIENT_SECRET', 'IMAP_OAUTH_REFRESH_TOKEN'] as const;
      const given = oauth.filter((name) => env[name]);
      if (given.length && given.length < oauth.length) {
        for (const name of oauth.filter((n) => !env[n])) {
          ctx.addIssue({ code: 'custom', path: [name], message: `required with ${given.join(' and ')}: refreshing access tokens needs the client id, its secret and a refresh token` });
        }
      }
      if (!env.IMAP_PASSWORD && !env.IMAP_ACCESS_TOKEN && !given.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['IMAP_PASSWORD'],
          message: 'IMAP_PASSWORD, IMAP_ACCESS_TOKEN or IMAP_OAUTH_REFRESH_TOKEN (with its client) is required when IMAP_HOST is set',
        });
      }
    }
    if (env.SMTP_HOST && !env.MAIL_FROM && !env.IMAP_USER && !env.SMTP_USER) {
      ctx.addIssue({ code: 'custom', path: ['MAIL_FROM'], message: 'required when SMTP_HOST is set and neither IMAP_USER nor SMTP_USER is: the address acknowledgements come from' });
    }
    if (env.SMTP_HOST && env.SMTP_PASSWORD && !env.SMTP_USER && !env.IMAP_USER) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_USER'], message: 'required with SMTP_PASSWORD when IMAP_USER is not set' });
    }
  });

export type Env = z.input<typeof configSchema>;

export interface Config {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly publicBaseUrl: string;
  readonly logLevel: NonNullable<z.infer<typeof configSchema>['LOG_LEVEL']>;
  /** LOG_LEVEL was set: every command logs at it. Unset: commands other than serve log warnings only. */
  readonly logLevelGiven: boolean;
  readonly imap:
    | {
        readonly host: string;
        readonly port: number;
        readonly secure: boolean;
        readonly user: string;
        readonly password: string | undefined;
        readonly accessToken: string | undefined;
        /** Set: access tokens are fetched and renewed with a refresh token (accessToken is not used). */
        readonly oauth?: Readonly<OAuthRefreshConfig> | undefined;
        readonly mailbox: string;
        readonly pollIntervalMs: number;
        readonly markSeen: boolean;
        readonly moveTo: string | undefined;
      }
    | undefined;
  /** Outgoing mail; undefined when SMTP_HOST is unset (then nothing is ever sent). */
  readonly smtp: SmtpConfig | undefined;
  /** Mail dated before this is never acknowledged (default: each source's first run). */
  readonly ackSince: Date | undefined;
  readonly notifyOnPublish: boolean;
  readonly inboxDir: string;
  /** MAX_MESSAGE_BYTES: larger emails are stored raw and failed unread. */
  readonly maxMessageBytes: number;
  /** TRUSTED_AUTHSERV_ID, lower-cased; empty: no sender is verified. */
  readonly trustedAuthservIds: readonly string[];
  readonly sessionTtlMs: number;
  /** statement_timeout of the connections that serve HTTP requests. */
  readonly requestStatementTimeoutMs: number;
  /** Fastify's trustProxy: false, true, a hop count, or proxy addresses. */
  readonly trustProxy: boolean | number | string;
  readonly http: HttpLimits;
  /** Bearer token that GET /metrics requires; unset: no /metrics. */
  readonly metricsToken: string | undefined;
  /** Days after which the mail of such messages is erased; undefined keeps it. */
  readonly retention: RetentionConfig;
}

export interface RetentionConfig {
  readonly ignoredDays: number | undefined;
  readonly failedDays: number | undefined;
  readonly rejectedDays: number | undefined;
}

/** Transport limits of the HTTP server (see docs/security.md, "HTTP"). */
export interface HttpLimits {
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** 0: no cap. */
  readonly maxConnectionsPerIp: number;
  /** Requests per minute from one client address (a coarse flood guard, per process); 0: off. */
  readonly requestsPerMinutePerIp: number;
}

/** Open connections per client address when MAX_CONNECTIONS_PER_IP is unset and no proxy is trusted. */
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 50;

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** XOAUTH2 with the IMAP OAuth2 client (renewed) or access token, when no password is set. */
  readonly oauth?: Readonly<OAuthRefreshConfig> | undefined;
  readonly accessToken?: string | undefined;
  readonly from: string;
  readonly fromName: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

/**
 * The environment the service runs with: process.env, over the values of a `.env` file in the
 * working directory (a variable set in the environment wins over the file).
 */
export function readEnvironment(envFile = path.resolve('.env')): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};
  return { ...fromFile, ...process.env };
}

/** Whether standard input/output are terminals (the CLI asks for a password only then). */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/** Parses an environment into a frozen Config, or throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    dataDir,
    host: e.HOST,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL ?? 'info',
    logLevelGiven: e.LOG_LEVEL !== undefined,
    imap: e.IMAP_HOST
      ? Object.freeze({
          host: e.IMAP_HOST,
          port: e.IMAP_PORT,
          secure: e.IMAP_SECURE,
          user: e.IMAP_USER as string,
          password: e.IMAP_PASSWORD,
          accessToken: e.IMAP_ACCESS_TOKEN,
          oauth: imapOAuthOf(e),
          mailbox: e.IMAP_MAILBOX,
          pollIntervalMs: e.IMAP_POLL_INTERVAL_MS,
          markSeen: e.IMAP_MARK_SEEN,
          moveTo: e.IMAP_MOVE_TO,
        })
      : undefined,
    smtp: e.SMTP_HOST ? smtpConfigOf(e) : undefined,
    ackSince: e.ACK_SINCE ? new Date(e.ACK_SINCE) : undefined,
    notifyOnPublish: e.NOTIFY_ON_PUBLISH,
    inboxDir: path.resolve(e.INBOX_DIR),
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    trustedAuthservIds: Object.freeze((e.TRUSTED_AUTHSERV_ID ?? '').split(',').map((id) => id.trim().toLowerCase()).filter(Boolean)),
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    requestStatementTimeoutMs: e.REQUEST_STATEMENT_TIMEOUT_MS,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    metricsToken: e.METRICS_TOKEN,
    retention: Object.freeze({
      ignoredDays: e.RETENTION_IGNORED_DAYS,
      failedDays: e.RETENTION_FAILED_DAYS,
      rejectedDays: e.RETENTION_REJECTED_DAYS,
    }),
    http: Object.freeze({
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
      connectionTimeoutMs: e.CONNECTION_TIMEOUT_MS,
      keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
      requestsPerMinutePerIp: e.RATE_LIMIT_PER_MINUTE,
      maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP ?? (parseTrustProxy(e.TRUST_PROXY) === false ? DEFAULT_MAX_CONNECTIONS_PER_IP : 0),
    }),
  });
}

function smtpConfigOf(e: z.infer<typeof configSchema>): SmtpConfig {
  const user = e.SMTP_USER ?? e.IMAP_USER;
  const oauthReused = !e.SMTP_PASSWORD && Boolean(user);
  return Object.freeze({
    host: e.SMTP_HOST as string,
    port: e.SMTP_PORT,
    secure: e.SMTP_SECURE,
    user,
    password: e.SMTP_PASSWORD,
    oauth: oauthReused ? imapOAuthOf(e) : undefined,
    accessToken: oauthReused && !e.IMAP_OAUTH_REFRESH_TOKEN ? e.IMAP_ACCESS_TOKEN : undefined,
    from: (e.MAIL_FROM ?? e.IMAP_USER ?? e.SMTP_USER) as string,
    fromName: e.MAIL_FROM_NAME,
  });
}

/** The IMAP OAuth2 client and refresh token (SMTP reuses them), or undefined without a refresh token. */
function imapOAuthOf(e: z.infer<typeof configSchema>): Readonly<OAuthRefreshConfig> | undefined {
  if (!e.IMAP_OAUTH_REFRESH_TOKEN) return undefined;
  return Object.freeze({
    tokenUrl: e.IMAP_OAUTH_TOKEN_URL,
    clientId: e.IMAP_OAUTH_CLIENT_ID as string,
    clientSecret: e.IMAP_OAUTH_CLIENT_SECRET as string,
    refreshToken: e.IMAP_OAUTH_REFRESH_TOKEN,
  });
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}
