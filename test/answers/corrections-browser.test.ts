// A pending correction on the statement page in Chromium: the word-level diff is readable and
// accessible (axe), and "Apply the correction" makes the change; the queue marks the statement
// until then.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
} from '../browser/support/browser.ts';
import { createTestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { ingest, statementMail } from './support.ts';

describe.skipIf(!hasChromium)(`a pending correction in Chromium ${hasChromium ? '' : CHROMIUM_MISSING_REASON}`, { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let t: TestDatabase;
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let statementId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    const body = (extra: string) => `Statement of the Harbour Workers\n\nWe stand with the dock workers on strike for safe working conditions and a living wage${extra}. We call on the port authority to negotiate in good faith.\n\nMaria Santos, General Secretary\n`;
    statementId = (await ingest(t.db, statementMail({ from: 'press@harbour.example.org', subject: 'Harbour workers on the strike', messageId: 'harbour-1@harbour.example.org', body: body('') }), null))!;
    await ingest(t.db, statementMail({
      from: 'press@harbour.example.org',
      subject: 'Re: Harbour workers on the strike',
      headers: { 'In-Reply-To': '<harbour-1@harbour.example.org>' },
      body: `Here is the corrected version.\n\n${body(' and for the reinstatement of those dismissed')}`,
    }), null);
    const editor = await createTestEditor(t.db, 'editor');
    running = await startApp(t.db);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
    await signInInBrowser(page, running.baseUrl, editor.email, editor.password);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
    await t?.drop();
  });

  it('shows the diff accessibly, marks the queue, and applies the correction', async () => {
    await page.goto(`${running.baseUrl}/editor?status=draft`);
    expect(await page.getByText('Correction pending').count()).toBe(1);
    await page.goto(`${running.baseUrl}/editor/statements/${statementId}`);
    const panel = page.locator('#corrections');
    expect(await panel.locator('ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('reinstatement of those dismissed')]));
    // Only the change is marked: the cover note, title and signature of the reply are not part of it.
    expect(await panel.locator('.diff ins').allTextContents()).toEqual(['and for the reinstatement of those dismissed']);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'correction-pending');

    await page.getByRole('button', { name: 'Apply the correction' }).click();
    await page.waitForURL(/done=correction_applied/);
    expect(await page.getByText('The correction is applied').count()).toBe(1);
    expect(await page.locator('#corrections').count()).toBe(0);
    expect(await page.getByLabel('Text').inputValue()).toContain('reinstatement of those dismissed');
  });
});
