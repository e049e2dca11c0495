// One pino root logger. Secrets and message bodies are redacted wherever they appear in a log
// object; pretty output only on a TTY.
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password',
  '*.password',
  'accessToken',
  '*.accessToken',
  'auth',
  '*.auth',
  'token',
  '*.token',
  'raw',
  '*.raw',
  'body',
  '*.body',
  'text',
  '*.text',
  'html',
  '*.html',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function createLogger(level: LoggerOptions['level'] = 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (!destination && process.stdout.isTTY && hasPinoPretty()) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true } } });
  }
  return destination ? pino(options, destination) : pino(options);
}

/** pino-pretty is a development dependency: a production install logs JSON lines even on a terminal. */
function hasPinoPretty(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
