// Several instances behind a load balancer: two real service processes (`statement-desk serve`)
// on one database. They share a drop folder or one IMAP mailbox; each message is drafted once,
// one process works the source while the other stands by and takes over when the first stops,
// and both serve the API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/db/embedded-postgres.ts';
import { createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { Dovecot, DOVECOT_MISSING_REASON, hasDovecot, type DovecotUser } from '../support/dovecot.ts';
import { statementEmail } from '../support/imap-emails.ts';
import { waitFor } from '../support/wait.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Instance {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await findFreePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`the service on port ${port} to answer`, async () => {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${output}`);
    return fetch(`${url}/health`).then((r) => r.ok, () => false);
  }, { timeoutMs: 90_000, intervalMs: 200 });
  return { child, url, output: () => output };
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGTERM');
  await exited;
}

function dropEmail(n: number, tag: string): string {
  return (
    `Message-ID: <${tag}-${n}@union.example>\r\nFrom: Dock Workers Union <press@union.example>\r\nDate: Wed, 02 Mar 2022 08:00:00 +0000\r\n` +
    `Subject: Statement ${n}: solidarity with the port strike\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
    `The Dock Workers Union stands with the strikers of the port (${tag} ${n}).\r\n\r\nExecutive Board\r\n`
  );
}

describe('two service processes on one database', { timeout: 240_000 }, () => {
  let t: TestDatabase;
  let dir: string;
  let editor: TestEditor;
  const running: Instance[] = [];
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sd-two-'));
    editor = await createTestEditor(t.db);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map(stopInstance));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await t?.drop();
  });

  it('share a drop folder: one works it, each file is drafted once, the sign-in limit is shared, the other takes over when the first stops', async () => {
    const inbox = path.join(dir, 'inbox');
    await mkdir(inbox, { recursive: true });
    const env = { DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), INBOX_DIR: inbox };
    const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    running.push(a!, b!);
    for (let n = 1; n <= 12; n++) await writeFile(path.join(inbox, `drop-${n}.eml`), dropEmail(n, 'drop'));
    await waitFor('12 drafts from the drop folder', async () => (await t.db.statement.count()) === 12, { timeoutMs: 120_000, intervalMs: 250 });
    expect(await t.db.message.count()).toBe(12);
    // A file is moved to processed/ after its draft is committed: the last move may still be on its way.
    const processed = async () => (await readdir(path.join(inbox, 'processed'))).filter((f) => f.endsWith('.eml'));
    await waitFor('12 files moved to processed/', async () => (await processed()).length >= 12, { timeoutMs: 30_000, intervalMs: 100 });
    expect(await processed()).toHaveLength(12);

    // Both serve the API from the same data.
    for (const instance of [a!, b!]) {
      const list = await fetch(`${instance.url}/api/statements?limit=50`, { headers: editor.headers });
      expect(list.status).toBe(200);
      expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(12);
    }
    // Sign-in limits are counted in the database: five wrong passwords on one instance, and the
    // sixth try on the other is refused with 429 before the password is even checked.
    const signIn = (instance: Instance, password: string) =>
      fetch(`${instance.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: editor.email, password }),
      });
    for (let attempt = 0; attempt < 5; attempt++) expect((await signIn(a!, `wrong-${attempt}`)).status).toBe(401);
    const sixth = await signIn(b!, editor.password);
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('retry-after')).toMatch(/^\d+$/);

    const holder = [a!, b!].find((i) => /watching the drop folder/.test(i.output()) && !/standing by/.test(i.output()));
    const other = holder === a ? b! : a!;
    expect(holder).toBeDefined();
    expect(other.output()).toMatch(/drop folder held by another process; standing by/);

    await stopInstance(holder!);
    await writeFile(path.join(inbox, 'drop-13.eml'), dropEmail(13, 'drop'));
    await waitFor('the standing-by process to take over and draft the 13th file', async () => (await t.db.statement.count()) === 13, {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(other.output()).toMatch(/drop folder claimed; taking over/);
  });

  const user: DovecotUser = { user: 'shared@example.org', password: 'app-password-shared' };
  it.skipIf(!hasDovecot)(`share an IMAP mailbox: one poller, each message drafted once${hasDovecot ? '' : ` (skipped: ${DOVECOT_MISSING_REASON})`}`, async () => {
    const dovecot = await Dovecot.start({ users: [user] });
    try {
      const before = await t.db.statement.count();
      const env = { DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), ...dovecot.imapEnv(user) };
      const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
      running.push(a!, b!);
      await dovecot.append([1, 2, 3, 4, 5].map((n) => statementEmail('shared', n)), { user });
      await waitFor('5 drafts from the mailbox', async () => (await t.db.statement.count()) - before === 5, { timeoutMs: 120_000, intervalMs: 250 });
      const standingBy = [a!, b!].filter((i) => /mailbox lock held by another process; standing by/.test(i.output()));
      expect(standingBy).toHaveLength(1);
      const locations = await t.db.messageLocation.findMany({ where: { mailbox: { startsWith: user.user } } });
      expect(locations).toHaveLength(5);
      expect(new Set(locations.map((l) => l.messageId)).size).toBe(5);
    } finally {
      await Promise.all(running.splice(0).map(stopInstance));
      await dovecot.destroy();
    }
  });
});
