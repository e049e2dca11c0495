// `npm run demo` as a newcomer meets it, and the curl walk-through of docs/api.md run verbatim against
// it (issue 16): the banner appears once the server answers; a second demo beside a running one
// fails before changing anything; a restart leaves one valid API token; the walk-through's
// commands print what docs/api.md says they print.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../src/db/embedded-postgres.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { waitFor } from './support/wait.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BANNER = /sign in as demo@example\.org \/ (\S+)\n.*Bearer (sdt_[^"]+)"/;

interface Demo {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startDemo(env: Record<string, string>): Demo {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--demo'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function bannerOf(demo: Demo): Promise<{ password: string; token: string }> {
  await waitFor('the demo banner', () => BANNER.test(demo.stdout()) || demo.child.exitCode !== null, { timeoutMs: 90_000 });
  const match = BANNER.exec(demo.stdout());
  if (!match) throw new Error(`no demo banner; stderr: ${demo.stderr()}`);
  return { password: match[1]!, token: match[2]! };
}

/** The walk-through block of docs/api.md, and the output its comments promise. */
async function walkThrough(): Promise<{ script: string; expected: string[] }> {
  const doc = await readFile(path.join(ROOT, 'docs', 'api.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Walk-through with curl'));
  const script = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const expected: string[] = [];
  let previous = '';
  let inOutput = false;
  for (const line of script.split('\n')) {
    // Comments right under a command (no blank line between) are that command's output.
    inOutput = line.startsWith('# ') && (inOutput || (previous !== '' && !previous.startsWith('#')));
    if (inOutput) expected.push(line.slice(2));
    previous = line;
  }
  return { script, expected };
}

function run(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No stdin: bash reads ~/.bashrc when its stdin is a socket (as if started by rshd).
    const child = spawn(command, args, { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the demo and the walk-through of docs/api.md', { timeout: 300_000 }, () => {
  let t: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let base: string;
  const running: Demo[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sd-demo-'));
    const port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    env = { DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), INBOX_DIR: path.join(dir, 'inbox'), HOST: '127.0.0.1', PORT: String(port) };
  });
  afterAll(async () => {
    for (const demo of running) if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    await t?.drop();
  });

  it('answers as soon as it prints its banner, refuses a second demo without touching the first, and the walk-through runs verbatim', async () => {
    const first = startDemo(env);
    running.push(first);
    const access = await bannerOf(first);
    // Regression: the banner came about 5 s before the server listened.
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(first.stdout().match(/statement-desk demo/g)).toHaveLength(1);
    await waitFor('four drafts from the examples', async () => (await t.db.statement.count({ where: { status: 'draft' } })) === 4, { timeoutMs: 60_000 });

    // Regression: a second demo reset the running one's password before failing on the port.
    const second = startDemo(env);
    running.push(second);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`Port ${env.PORT} on 127.0.0.1 is already in use`);
    expect(second.stdout()).not.toContain('command failed');
    expect(second.stdout()).not.toContain('sign in as');
    const stillWorks = await fetch(`${base}/api/statements`, { headers: { authorization: `Bearer ${access.token}` } });
    expect(stillWorks.status).toBe(200);

    const { script, expected } = await walkThrough();
    expect(expected.length).toBeGreaterThan(8);
    const result = await run('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: dir, env: { BASE: base, PASSWORD: access.password } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\r/g, '').trim().split('\n')).toEqual(expected);

    // Regression: every restart minted a new token and the old ones stayed valid.
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const again = startDemo(env);
    running.push(again);
    const renewed = await bannerOf(again);
    expect(renewed.token).not.toBe(access.token);
    expect((await fetch(`${base}/api/statements`, { headers: { authorization: `Bearer ${access.token}` } })).status).toBe(401);
    expect((await fetch(`${base}/api/statements`, { headers: { authorization: `Bearer ${renewed.token}` } })).status).toBe(200);
    expect(await t.db.topic.count()).toBe(1);
    expect(await t.db.apiToken.count({ where: { revokedAt: null } })).toBe(1);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
