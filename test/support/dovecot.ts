// A private Dovecot for the IMAP tests and the benchmark: its own config in a temp dir, a free
// loopback port, plaintext auth (loopback only), users from a passwd-file, maildirs owned by
// nobody:nogroup (Dovecot refuses to run mail processes as root). Tests put mail in with IMAP
// APPEND as any mail client would. This file talks IMAP through imapflow directly, on purpose:
// it plays the mail client, so it must not depend on the code under test (src/ingest/sources).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

export const DOVECOT_BINARY = '/usr/sbin/dovecot';
export const hasDovecot = existsSync(DOVECOT_BINARY);
export const DOVECOT_MISSING_REASON =
  'Dovecot is not installed (/usr/sbin/dovecot is absent): install Debian\'s dovecot-imapd to run the IMAP tests (.ci/run does)';

const NOBODY_UID = 65534;
const NOGROUP_GID = 65534;
const START_TIMEOUT_MS = 15_000;
/** Dovecot's master may linger for seconds after SIGTERM; it is killed after this grace. */
const STOP_GRACE_MS = 1_000;

export interface DovecotUser {
  user: string;
  password: string;
}

export interface DovecotOptions {
  users?: DovecotUser[];
  /** Leave IDLE out of the advertised capabilities, to test polling. */
  withoutIdle?: boolean;
  /** Dovecot's auth_mechanisms; default "plain login xoauth2". */
  authMechanisms?: string;
}

export class Dovecot {
  readonly host = '127.0.0.1';
  private process: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly users: DovecotUser[],
  ) {}

  /** Starts a fresh Dovecot; call stop() (or destroy()) in afterAll. */
  static async start(options: DovecotOptions = {}): Promise<Dovecot> {
    const version = execFileSync(DOVECOT_BINARY, ['--version'], { encoding: 'utf8' }).trim();
    if (!version.startsWith('2.3.')) {
      // 2.4 renamed most settings (mail_driver, passdb blocks, %{user}); failing loudly beats
      // Dovecot refusing a config with a less helpful message.
      throw new Error(`test/support/dovecot.ts writes a Dovecot 2.3 config (Debian 12's dovecot-imapd), but ${DOVECOT_BINARY} is ${version}: add a config for it there`);
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'statement-desk-dovecot-'));
    // Mail processes run as nobody and must reach their maildirs below this directory.
    await chmod(dir, 0o755);
    const users = options.users ?? [{ user: 'desk@example.org', password: 'app-password-1' }];
    const server = new Dovecot(dir, await findFreePort(), users);
    await server.writeConfig(options);
    await server.launch();
    return server;
  }

  get configPath(): string {
    return path.join(this.dir, 'dovecot.conf');
  }

  get logPath(): string {
    return path.join(this.dir, 'dovecot.log');
  }

  /** The maildir of a user (INBOX lives at its root). */
  maildir(user = this.users[0]!.user): string {
    return path.join(this.dir, 'mail', user);
  }

  /** Environment for src/config.ts (IMAP_*) pointing at this server. */
  imapEnv(user: DovecotUser = this.users[0]!, mailbox = 'INBOX'): Record<string, string> {
    return {
      IMAP_HOST: this.host,
      IMAP_PORT: String(this.port),
      IMAP_SECURE: 'false',
      IMAP_USER: user.user,
      IMAP_PASSWORD: user.password,
      IMAP_MAILBOX: mailbox,
    };
  }

  /** The imap part of Config, for constructing an ImapSource directly. */
  imapConfig(overrides: Partial<ImapConfigLike> = {}): ImapConfigLike {
    const user = this.users[0]!;
    return {
      host: this.host,
      port: this.port,
      secure: false,
      user: user.user,
      password: user.password,
      accessToken: undefined,
      mailbox: 'INBOX',
      pollIntervalMs: 1000,
      markSeen: false,
      moveTo: undefined,
      ...overrides,
    };
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Dovecot 2.3's master leaves running imap processes (and their client connections) behind
    // when it stops; a restart must drop every connection, so its children are ended too.
    const children = await childPids(child.pid);
    child.kill('SIGTERM');
    for (const pid of children) signal(pid, 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
    const deadline = Date.now() + STOP_GRACE_MS;
    while (children.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const pid of children.filter(isAlive)) signal(pid, 'SIGKILL');
  }

  /** Stops the server and starts it again on the same port with the same mail. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops the server and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * Gives INBOX a new UIDVALIDITY, as after a server migration or an index rebuild: Dovecot is
   * stopped, its UID list and indexes for the maildir are removed, and on the next start it
   * numbers the same messages afresh under a new UIDVALIDITY.
   */
  async changeInboxUidValidity(user: DovecotUser = this.users[0]!): Promise<void> {
    await this.stop();
    const maildir = this.maildir(user.user);
    for (const name of await readdir(maildir)) {
      if (name === 'dovecot-uidlist' || name.startsWith('dovecot.index') || name === 'dovecot.list.index' || name === 'dovecot.list.index.log') {
        await rm(path.join(maildir, name), { force: true });
      }
    }
    // Dovecot derives a new mailbox's UIDVALIDITY from the clock (seconds); make sure it moves.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await this.launch();
  }

  async readLog(): Promise<string> {
    return readFile(this.logPath, 'utf8').catch(() => '');
  }

  /** A connected imapflow client playing the mail client. Log out when done. */
  async connect(user: DovecotUser = this.users[0]!): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: this.host,
      port: this.port,
      secure: false,
      auth: { user: user.user, pass: user.password },
      logger: false,
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** APPENDs messages in order and returns their UIDs. */
  async append(raws: (Buffer | string)[], options: { mailbox?: string; user?: DovecotUser } = {}): Promise<number[]> {
    const client = await this.connect(options.user);
    try {
      const uids: number[] = [];
      for (const raw of raws) {
        const result = await client.append(options.mailbox ?? 'INBOX', raw);
        if (!result || result.uid === undefined) throw new Error('APPEND returned no UID (UIDPLUS missing?)');
        uids.push(result.uid);
      }
      return uids;
    } finally {
      await client.logout();
    }
  }

  /** The flags of every message in a mailbox, by UID. */
  async flagsByUid(mailbox = 'INBOX', user?: DovecotUser): Promise<Map<number, Set<string>>> {
    const client = await this.connect(user);
    try {
      await client.mailboxOpen(mailbox, { readOnly: true });
      const messages = await client.fetchAll('1:*', { uid: true, flags: true }, { uid: true });
      return new Map(messages.map((m) => [m.uid, m.flags ?? new Set<string>()]));
    } finally {
      await client.logout();
    }
  }

  /** The mailbox's current UIDVALIDITY. */
  async uidValidity(mailbox = 'INBOX', user?: DovecotUser): Promise<bigint> {
    const client = await this.connect(user);
    try {
      const opened = await client.mailboxOpen(mailbox, { readOnly: true });
      return BigInt(opened.uidValidity);
    } finally {
      await client.logout();
    }
  }

  private async writeConfig(options: DovecotOptions): Promise<void> {
    const asRoot = process.getuid?.() === 0;
    const mailRoot = path.join(this.dir, 'mail');
    await mkdir(mailRoot, { recursive: true });
    for (const { user } of this.users) await mkdir(path.join(mailRoot, user), { recursive: true });
    if (asRoot) {
      await chown(mailRoot, NOBODY_UID, NOGROUP_GID);
      for (const { user } of this.users) await chown(path.join(mailRoot, user), NOBODY_UID, NOGROUP_GID);
    }
    // {PLAIN} and world-readable (Dovecot's auth process runs as the dovecot user): test secrets only. The same secret works as an XOAUTH2 token, because Dovecot
    // 2.3 verifies an XOAUTH2 token against the passdb like a password.
    await writeFile(
      path.join(this.dir, 'passwd'),
      this.users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''),
      { mode: 0o644 },
    );
    const who = os.userInfo();
    const lines = [
      `base_dir = ${this.dir}/run`,
      `state_dir = ${this.dir}/state`,
      `instance_name = statement-desk-test-${this.port}`,
      `log_path = ${this.logPath}`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      // Plaintext LOGIN is acceptable here: loopback only, throwaway accounts.
      'disable_plaintext_auth = no',
      `auth_mechanisms = ${options.authMechanisms ?? 'plain login xoauth2'}`,
      'auth_verbose = yes',
      // Failed logins are answered at once: tests retry them on purpose.
      'auth_failure_delay = 0',
      'login_trusted_networks = 127.0.0.0/8',
      `mail_location = maildir:${mailRoot}/%u`,
      asRoot ? 'default_internal_user = dovecot' : `default_internal_user = ${who.username}`,
      asRoot ? 'default_login_user = dovenull' : `default_login_user = ${who.username}`,
      asRoot ? '' : `first_valid_uid = ${who.uid}`,
      'passdb {',
      '  driver = passwd-file',
      `  args = scheme=PLAIN username_format=%u ${this.dir}/passwd`,
      '}',
      'userdb {',
      '  driver = static',
      asRoot ? `  args = uid=nobody gid=nogroup home=${mailRoot}/%u` : `  args = uid=${who.uid} gid=${who.gid} home=${mailRoot}/%u`,
      '}',
      'service imap-login {',
      '  inet_listener imap {',
      '    address = 127.0.0.1',
      `    port = ${this.port}`,
      '  }',
      '  inet_listener imaps {',
      '    port = 0',
      '  }',
      '}',
      'service pop3-login {',
      '  inet_listener pop3 {',
      '    port = 0',
      '  }',
      '}',
      'protocol imap {',
      '  mail_max_userip_connections = 50',
      options.withoutIdle
        ? '  imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS NAMESPACE'
        : '',
      '}',
    ];
    await writeFile(this.configPath, `${lines.filter((l) => l !== '').join('\n')}\n`);
  }

  private async launch(): Promise<void> {
    const child = spawn(DOVECOT_BINARY, ['-F', '-c', this.configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    this.process = child;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await acceptsConnections(this.host, this.port))) {
      if (child.exitCode !== null) {
        throw new Error(`Dovecot exited at start (code ${child.exitCode}): ${output}\n${await this.readLog()}`);
      }
      if (Date.now() > deadline) throw new Error(`Dovecot did not listen on ${this.port} within ${START_TIMEOUT_MS} ms: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The shape of Config['imap'] (kept structural so this file does not import src/config.ts). */
export interface ImapConfigLike {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string | undefined;
  accessToken: string | undefined;
  mailbox: string;
  pollIntervalMs: number;
  markSeen: boolean;
  moveTo: string | undefined;
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Processes whose parent is `pid` (Linux /proc). */
async function childPids(pid: number): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 is the parent pid; the command name (field 2) may contain spaces but ends with ')'.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === pid) found.push(Number(entry));
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
