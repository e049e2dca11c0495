// A real SMTP server on loopback (the `smtp-server` package, by nodemailer's author) that records
// what it receives, for the outgoing-mail tests. `mode` decides how it answers the next mail:
// accept, refuse for good (550) or defer (451); `stop()` takes it off the network (an outage).
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { findFreePort } from './dovecot.ts';

export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelopeTo: string[];
  header(name: string): string | undefined;
}

export type SmtpMode = 'accept' | 'refuse' | 'defer';

export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  mode: SmtpMode = 'accept';
  /** Called with each mail after it is recorded, before the server answers (a test may kill the client here). */
  onReceived: ((mail: ReceivedMail) => void) | undefined;
  private server: SMTPServer | undefined;

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<TestSmtpServer> {
    const smtp = new TestSmtpServer(port ?? (await findFreePort()));
    await smtp.listen();
    return smtp;
  }

  get host(): string {
    return '127.0.0.1';
  }

  /** SMTP_* variables for src/config.ts pointing at this server (no TLS, no login: loopback). */
  env(): Record<string, string> {
    return { SMTP_HOST: this.host, SMTP_PORT: String(this.port), SMTP_SECURE: 'false' };
  }

  async listen(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null, message?: string) => void) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          if (this.mode !== 'accept') {
            const error = new Error(this.mode === 'refuse' ? 'Mailbox unavailable: no such user here' : 'Greylisted, try again later') as Error & { responseCode: number };
            error.responseCode = this.mode === 'refuse' ? 550 : 451;
            callback(error);
            return;
          }
          void simpleParser(raw).then((parsed) => {
            const mail: ReceivedMail = {
              raw,
              parsed,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              header: (name) => {
                const value = parsed.headers.get(name.toLowerCase());
                return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
              },
            };
            this.received.push(mail);
            this.onReceived?.(mail);
            callback(null, `Queued as test-${this.received.length}`);
          });
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  /** Takes the server off the network; listen() brings it back on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The raw header lines of a received mail, as sent. */
  static rawHeader(mail: ReceivedMail, name: string): string | undefined {
    const head = mail.raw.toString('utf8').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    return new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim();
  }
}
