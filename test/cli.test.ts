// The command-line entry point, run as a user runs it: a real process, real PostgreSQL.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../src/db/embedded-postgres.ts';
import { createEditor } from '../src/editors/editors.ts';
import { createApiToken } from '../src/editors/tokens.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { waitFor } from './support/wait.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const email = (n: number | string) =>
  `Message-ID: <cli-${n}@example.org>\r\nFrom: Tenants Union <info@tenants.example.org>\r\nDate: Wed, 02 Mar 2022 08:00:00 +0000\r\n` +
  `Subject: [Statement] Rent freeze now ${n}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe Tenants Union calls for a rent freeze (${n}).\r\n`;

// Each case starts several Node processes; on a loaded two-core machine that takes a while.
describe('statement-desk command line', { timeout: 120_000 }, () => {
  let t: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sd-cli-'));
    env = { DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), INBOX_DIR: path.join(dir, 'inbox') };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await t?.drop();
  });

  it('adds an editor with the password from standard input, and refuses the same address twice', async () => {
    const added = await cli(['editor', 'add', 'Ana@Example.org', '--role', 'admin'], env, 'correct horse battery\n');
    expect(added).toMatchObject({ code: 0, stdout: 'Created admin ana@example.org.\n' });
    const editor = await t.db.editor.findUniqueOrThrow({ where: { email: 'ana@example.org' } });
    expect(editor.passwordHash).toMatch(/^\$argon2id\$/);
    const again = await cli(['editor', 'add', 'ana@example.org'], env, 'another password\n');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    const short = await cli(['editor', 'add', 'bo@example.org'], env, 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 10 characters/);
  });

  it('sets a new password from standard input, and records editor add, token and password in the audit log', async () => {
    const run = await cli(['editor', 'password', 'ana@example.org'], env, 'the new password for ana\n');
    expect(run).toMatchObject({ code: 0, stdout: 'Set a new password for ana@example.org; their sessions have ended and their API tokens are revoked.\n' });
    const { verifyPassword } = await import('../src/editors/passwords.ts');
    const editor = await t.db.editor.findUniqueOrThrow({ where: { email: 'ana@example.org' } });
    expect(await verifyPassword(editor.passwordHash, 'the new password for ana')).toBe(true);
    await cli(['editor', 'token', 'ana@example.org'], env);
    const actions = (await t.db.auditEntry.findMany({ where: { targetId: editor.id, actorLabel: 'cli' } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['editor.create', 'editor.password', 'editor.token_create']));
  });

  it('prints a new API token alone on its last line; it works against the API; only its hash is stored', async () => {
    const run = await cli(['editor', 'token', 'ana@example.org'], env);
    expect(run.code).toBe(0);
    const token = run.stdout.trimEnd().split('\n').at(-1)!;
    expect(token).toMatch(/^sdt_[\w-]{40,}$/);
    const stored = await t.db.apiToken.findMany();
    expect(stored.some((row) => row.tokenHash.includes(token))).toBe(false);
    const unknown = await cli(['editor', 'token', 'nobody@example.org'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/editor add nobody@example.org/);
  });

  it('imports a folder and an mbox, counting what became of each message', async () => {
    await writeFile(path.join(dir, 'one.eml'), email(1));
    await writeFile(path.join(dir, 'two.mbox'), `From x@example.org Wed Mar  2 08:00:00 2022\n${email(2)}\nFrom x@example.org Wed Mar  2 08:00:00 2022\n${email(3)}`);
    const run = await cli(['import', path.join(dir, 'one.eml')], env);
    expect(run.stdout).toMatch(/^Imported 1 message\(s\) from 1 file\(s\) in \d+s \(\d+\/s\): 1 drafted, 0 ignored, 0 failed, 0 already stored.\n$/);
    // Not a terminal: plain progress lines on standard error.
    expect(run.stderr).toMatch(/^1 messages, \d+\/s, 100% of 1 kB \(1 drafted, 0 ignored, 0 failed, 0 already stored\)$/m);
    const mbox = await cli(['import', path.join(dir, 'two.mbox')], env);
    expect(mbox.stdout).toMatch(/Imported 2 message\(s\) from 1 file\(s\) in \d+s \(\d+\/s\): 2 drafted/);
    expect(mbox.stderr).toMatch(/two.mbox as mboxrd: no escaped "From " lines/);
    const again = await cli(['import', path.join(dir, 'one.eml')], env);
    expect(again.stdout).toMatch(/1 already stored/);
    const badFormat = await cli(['import', '--format', 'mbox', path.join(dir, 'two.mbox')], env);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be auto, mboxrd or mboxo/);
    const missing = await cli(['import', path.join(dir, 'nope')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file or folder/);
  });

  it('resumes an import stopped with Ctrl-C: what was stored is skipped, nothing is drafted twice', async () => {
    const n = 1_500;
    const file = path.join(dir, 'interrupted.mbox');
    await writeFile(file, Array.from({ length: n }, (_, i) => `From x@example.org Wed Mar  2 08:00:00 2022\n${email(`resume-${i}`)}\n`).join(''));
    const ours = { messageIdHeader: { startsWith: 'cli-resume-' } };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', file], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    await waitFor('the import to draft its first messages', async () => (await t.db.statement.count({ where: { message: ours } })) >= 100, { timeoutMs: 60_000, intervalMs: 20 });
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(stdout).toBe('');
    const stored = await t.db.message.count({ where: ours });
    expect(stored).toBeGreaterThanOrEqual(100);
    expect(stored).toBeLessThan(n);

    const again = await cli(['import', file], env);
    expect(again.code).toBe(0);
    const counts = /Imported (\d+) message\(s\) from 1 file\(s\) in \d+s \(\d+\/s\): (\d+) drafted, 0 ignored, 0 failed, (\d+) already stored/.exec(again.stdout);
    expect(counts, again.stdout + again.stderr).not.toBeNull();
    const [, messages, drafted, alreadyStored] = counts!.map(Number);
    expect(messages).toBe(n);
    // Everything stored by the first run is skipped or finished now (a message stored but not yet
    // drafted when it stopped is drafted by this run, and counted as stored before).
    expect(alreadyStored).toBe(stored);
    expect(drafted).toBe(n - stored);
    expect(await t.db.message.count({ where: ours })).toBe(n);
    expect(await t.db.message.count({ where: { ...ours, status: 'received' } })).toBe(0);
    expect(await t.db.statement.count({ where: { message: ours } })).toBe(n);
  });

  it('refuses to import through a symbolic link, saying why and what to do', async () => {
    await writeFile(path.join(dir, 'target.eml'), email(9));
    await symlink(path.join(dir, 'target.eml'), path.join(dir, 'link.eml'));
    const run = await cli(['import', path.join(dir, 'link.eml')], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/link\.eml is a symbolic link, and import does not follow links .* Import the file or folder a link points to by its own path/);
    expect(run.stdout).toBe('');
  });

  it('honours LOG_LEVEL in import, not only in serve (it logged warnings only, whatever was set)', async () => {
    await writeFile(path.join(dir, 'logged.eml'), email(14));
    const quiet = await cli(['import', path.join(dir, 'logged.eml')], env);
    expect(quiet.stdout).not.toMatch(/message ingested/);
    await writeFile(path.join(dir, 'logged-too.eml'), email(15));
    const verbose = await cli(['import', path.join(dir, 'logged-too.eml')], { ...env, LOG_LEVEL: 'info' });
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toMatch(/"msg":"message ingested"/);
  });

  it('stops with a message naming the variable on a bad configuration, and exits 2 on a usage error', async () => {
    const bad = await cli(['migrate'], { ...env, PORT: 'http' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/PORT: expected a port number/);
    const usage = await cli(['publish-everything'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Unknown command "publish-everything"[\s\S]*Usage: statement-desk/);
    expect((await cli(['migrate'], env)).stdout).toBe('The database is up to date.\n');
  });

  it('serves: a file dropped into the inbox becomes a draft visible through the API; SIGTERM stops it cleanly', async () => {
    const port = await findFreePort();
    const editor = await createEditor(t.db, { email: 'serve-test@example.org', password: 'serve-test-password' });
    const token = await createApiToken(t.db, editor.id);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor('the service to answer /health', async () => (await fetch(`${base}/health`).catch(() => undefined))?.ok === true, { timeoutMs: 30_000 });
      await writeFile(path.join(env.INBOX_DIR!, 'served.eml'), email(4));
      const draft = await waitFor('the dropped email to show up as a draft', async () => {
        const res = await fetch(`${base}/api/statements?status=draft`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { items: { title: string }[] };
        return body.items.find((s) => s.title === 'Rent freeze now 4');
      }, { timeoutMs: 30_000 });
      // waitFor fails the test when the draft never shows up; check it is the served email's.
      expect(draft.title).toBe('Rent freeze now 4');
      expect(await readdir(path.join(env.INBOX_DIR!, 'processed'))).toContain('served.eml');
      const ready = (await (await fetch(`${base}/ready`)).json()) as { sources: { kind: string; connected: boolean }[] };
      expect(ready.sources).toEqual([expect.objectContaining({ kind: 'drop', connected: true })]);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await exited;
    if (code !== 0) process.stderr.write(`SERVE LOG\n${log}\n`);
    expect(code).toBe(0);
    expect(log).toMatch(/statement-desk stopped/);
    // Operators' logs never carry message bodies.
    expect(log).not.toMatch(/calls for a rent freeze/);
  });
});
