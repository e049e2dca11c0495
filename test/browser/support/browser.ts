// The browser harness: Debian's Chromium (never a downloaded browser) driven by playwright-core,
// the real app listening on a loopback port against the test file's database, axe-core for
// accessibility, and screenshots under test-results/. One browser per test file.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Db } from '../../../src/db/client.ts';
import { findFreePort } from '../../../src/db/embedded-postgres.ts';
import { buildTestApp } from '../../support/app.ts';
import { editorPreparer } from '../../../src/ingest/preparer.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
export const CHROMIUM_MISSING_REASON = `(skipped: ${CHROMIUM_PATH} is missing; install Debian's chromium package, as .ci/run does)`;

export const SCREENSHOT_DIR = path.resolve('test-results');

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Per browser action: a missing element fails in seconds, not at the test's timeout. */
export const BROWSER_ACTION_TIMEOUT_MS = 10_000;
/** A browser test walks several pages; give it more than the default 30 s. */
export const BROWSER_TEST_TIMEOUT_MS = 90_000;

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  // launch() gives the browser a fresh temporary profile every time.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

export interface RunningApp {
  app: FastifyInstance;
  baseUrl: string;
}

/** The real app on a loopback port (the browser needs a socket, not app.inject). */
export async function startApp(db: Db, options: { hostname?: string } = {}): Promise<RunningApp> {
  // The public address is the one the browser uses, as in a real deployment (plain http here,
  // so cookies are not Secure; feeds link back to this server).
  const port = await findFreePort();
  const baseUrl = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
  const app = await buildTestApp(db, { config: { publicBaseUrl: baseUrl, sessionTtlMs: 3_600_000 } });
  await app.listen({ port, host: '127.0.0.1' });
  // As the service does at start (src/main.ts): the email frames are sanitised in this worker.
  await editorPreparer().warm();
  return { app, baseUrl };
}

export async function signInInBrowser(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/editor`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/editor`);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

let axeSource: string | undefined;

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Our pages forbid inline scripts (CSP script-src 'self'), so page.addScriptTag cannot inject
  // axe; evaluating its source through the DevTools protocol is not subject to the page's CSP,
  // and the CSP stays on for everything else the test checks.
  axeSource ??= await readFile(AXE_PATH, 'utf8');
  await page.evaluate(axeSource);
  // A string, evaluated in the page: this file is compiled without the DOM library.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
