// Editors teach the organisation registry in a real browser (Debian's Chromium): an editor
// corrects a draft's organisation, clicks the one-click "remember" button that appears, and
// the next email from that sender arrives (through the real pipeline) with the organisation
// already set and nothing to check about it. The page passes axe-core with the offer shown.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { ingestDraft, registryMail } from '../fixtures/registry-emails.ts';
import {
  BROWSER_ACTION_TIMEOUT_MS,
  BROWSER_TEST_TIMEOUT_MS,
  CHROMIUM_MISSING_REASON,
  hasChromium,
  launchChromium,
  saveScreenshot,
  seriousAxeViolations,
  signInInBrowser,
  startApp,
  type RunningApp,
} from './support/browser.ts';

describe.skipIf(!hasChromium)(`teaching the registry in Chromium ${hasChromium ? '' : CHROMIUM_MISSING_REASON}`, { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let t: TestDatabase;
  let running: RunningApp;
  let browser: Browser;
  let editor: TestEditor;
  let page: Page;

  beforeAll(async () => {
    t = await createTestDatabase();
    [running, browser, editor] = await Promise.all([startApp(t.db), launchChromium(), createTestEditor(t.db)]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
    await t?.drop();
  });

  const ingest = (raw: Buffer) => ingestDraft(t.db, raw);

  it('remembers the sender in one click, and the next statement from it comes with the organisation', async () => {
    const { baseUrl } = running;
    const first = await ingest(registryMail({ from: 'press@tugboat-crews.example', topic: 0 }));
    const waiting = await ingest(registryMail({ from: 'press@tugboat-crews.example', topic: 1 }));

    await signInInBrowser(page, baseUrl, editor.email, editor.password);
    await page.goto(`${baseUrl}/editor/statements/${first}`);
    expect(await page.getByRole('heading', { name: /Remember this sender/ }).count()).toBe(0);
    await page.locator('#organisationName').fill('Tugboat Crews Association');
    await page.locator('#organisationShort').fill('TCA');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Your changes are saved.').count()).toBe(1);

    const offer = page.getByRole('region', { name: 'Remember this sender for Tugboat Crews Association?' });
    await offer.waitFor({ state: 'visible' });
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await saveScreenshot(page, 'editor-statement-registry-offer');

    await offer.getByRole('button', { name: 'Remember all mail from @tugboat-crews.example as Tugboat Crews Association (TCA)' }).click();
    await expect.poll(() => page.getByText('The registry now knows this sender').count()).toBe(1);
    expect(await page.getByRole('heading', { name: /Remember this sender/ }).count()).toBe(0);
    expect(await page.locator('#registry-known').textContent()).toMatch(/gives mail from\s+tugboat-crews\.example\s+the organisation\s+Tugboat Crews Association \(TCA\)/);

    // The draft that was waiting got it too, sure of it: the page no longer asks to check it.
    await page.goto(`${baseUrl}/editor/statements/${waiting}`);
    expect(await page.locator('#organisationName').inputValue()).toBe('Tugboat Crews Association');
    expect(await page.locator('#organisationName.needs-check').count()).toBe(0);

    // The next email from the sender, through the pipeline.
    const next = await ingest(registryMail({ from: 'skipper@tugboat-crews.example', topic: 2 }));
    await page.goto(`${baseUrl}/editor/statements/${next}`);
    expect(await page.locator('#organisationName').inputValue()).toBe('Tugboat Crews Association');
    expect(await page.locator('#organisationShort').inputValue()).toBe('TCA');
    expect(await page.locator('#organisationName.needs-check').count()).toBe(0);
    await saveScreenshot(page, 'editor-statement-registry-known');
  });
});
