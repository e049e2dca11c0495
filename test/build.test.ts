// The production build (issue 14, item 1; issue 16): `npm run build` emits JavaScript into dist/
// with the views, assets and workers beside it, and the built code runs with production
// dependencies only: no tsx, no pino-pretty, no TypeScript compiled at start. The service is
// started from a copy of the build whose node_modules holds only the production dependencies
// (`npm ls --omit=dev`), so any import of a development package fails the test.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../src/db/embedded-postgres.ts';
import { createEditor } from '../src/editors/editors.ts';
import { createApiToken } from '../src/editors/tokens.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { copyTarget, parseDockerfile, type DockerCopy } from './support/dockerfile.ts';
import { waitFor } from './support/wait.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const DOCKERFILE = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const [BUILD_STAGE, RUNTIME_STAGE] = DOCKERFILE;

/** Where a runtime-stage COPY source is in this checkout: the build context, or dist/ after the build. */
function checkoutPath(copy: DockerCopy, source: string): string {
  return path.join(ROOT, copy.from === BUILD_STAGE?.name ? source.replace(/^\/app\//, '') : source);
}

/**
 * A directory laid out like the image's runtime stage (what its COPY instructions put in /app),
 * with production packages only (`npm ci --omit=dev`).
 */
function productionCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-build-'));
  for (const copy of RUNTIME_STAGE!.copies) {
    for (const source of copy.sources) cpSync(checkoutPath(copy, source), path.join(dir, copyTarget(copy, source)), { recursive: true });
  }
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
  const modules = path.join(ROOT, 'node_modules') + path.sep;
  const packages = new Set<string>();
  for (const line of listed.split('\n')) {
    if (!line.startsWith(modules)) continue;
    const parts = line.slice(modules.length).split(path.sep);
    const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    // The Prisma CLI is listed as @prisma/client's peer; nothing at run time needs it.
    if (name !== 'prisma') packages.add(name);
  }
  for (const name of packages) {
    const target = path.join(dir, 'node_modules', name);
    mkdirSync(path.dirname(target), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', name), target);
  }
  return dir;
}

function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

describe('the production build', { timeout: 300_000 }, () => {
  let t: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    const build = await run(['scripts/build.mjs'], ROOT);
    if (build.code !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
    dir = productionCopy();
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await t?.drop();
  });

  it('emits JavaScript with the views, assets and workers beside it', () => {
    for (const file of [
      'dist/cli.js',
      'dist/app.js',
      'dist/generated/prisma/client.js',
      'dist/http/views/editor/statement.eta',
      'dist/http/views/public/public.css',
      'dist/http/routes/web/assets/editor.js',
      'dist/ingest/prepare-worker-start.mjs',
      'dist/ingest/prepare-worker.js',
      'dist/extract/document-worker.mjs',
    ]) {
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
    }
    expect(existsSync(path.join(dir, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(path.join(dir, 'node_modules', 'pino-pretty'))).toBe(false);
  });

  it('has a Dockerfile whose every COPY source exists, in the checkout or in the build, and whose CMD runs a file it copied', () => {
    expect(DOCKERFILE.map((stage) => stage.name)).toEqual(['build', undefined]);
    for (const stage of DOCKERFILE) {
      for (const copy of stage.copies) {
        for (const source of copy.sources) expect(existsSync(checkoutPath(copy, source)), `COPY ${source}`).toBe(true);
      }
    }
    const entry = RUNTIME_STAGE!.cmd!.find((arg) => arg.endsWith('.js'))!;
    expect(existsSync(path.join(dir, entry)), entry).toBe(true);
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n[^\n]*\/health/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it('answers --help from the build without loading TypeScript', async () => {
    const help = await run(['dist/cli.js', '--help'], dir);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: statement-desk <command>/);
    const viaBin = await run(['bin/statement-desk.js', '--help'], dir);
    expect(viaBin.stdout).toBe(help.stdout);
    // Node alone takes a good part of this on a busy machine; through tsx it was about 2 s.
    process.stdout.write(`built --help answered in ${Math.round(help.ms)} ms\n`);
    expect(help.ms).toBeLessThan(5_000);
  });

  it('serves from dist/ with production dependencies only: pages, the API, and the drop folder through the worker', async () => {
    const port = await findFreePort();
    const inbox = path.join(dir, 'inbox');
    mkdirSync(inbox);
    const editor = await createEditor(t.db, { email: 'build-test@example.org', password: 'build-test-password' });
    const token = await createApiToken(t.db, editor.id);
    // As the image runs it (its CMD), with the environment its runtime stage sets.
    const child = spawn(process.execPath, RUNTIME_STAGE!.cmd!.slice(1), {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), INBOX_DIR: inbox, PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor('the built service to answer /health', async () => (await fetch(`${base}/health`).catch(() => undefined))?.ok === true, { timeoutMs: 60_000 });
      expect((await fetch(`${base}/editor/sign-in`)).status).toBe(200);
      expect((await fetch(`${base}/editor/assets/editor.js`)).status).toBe(200);
      expect((await fetch(`${base}/assets/public.css`)).status).toBe(200);
      writeFileSync(
        path.join(inbox, 'built.eml'),
        'Message-ID: <built-1@example.org>\r\nFrom: Tenants Union <info@tenants.example.org>\r\nDate: Wed, 02 Mar 2022 08:00:00 +0000\r\n' +
          'Subject: Rent freeze now\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe Tenants Union calls for a rent freeze.\r\n',
      );
      await waitFor('the dropped email to become a draft', async () => {
        const res = await fetch(`${base}/api/statements?status=draft`, { headers: { authorization: `Bearer ${token}` } });
        return ((await res.json()) as { items: { title: string }[] }).items.some((s) => s.title === 'Rent freeze now');
      }, { timeoutMs: 60_000 });
      // The preparer's worker thread started from the build (it logs when it cannot and falls back).
      expect(log).not.toMatch(/worker/i);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(log).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
  });
});
