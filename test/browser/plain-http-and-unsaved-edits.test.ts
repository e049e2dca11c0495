// A newcomer trying the service on a VM over plain http (issue 16): the browser reaches it by a
// hostname that is not localhost (Chromium maps sd.test to loopback), and must get its styles
// and be able to sign in. An editor who types a change and presses Approve or Publish without
// saving must not lose it, with JavaScript and without.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createStatement } from '../support/statements.ts';
import {
  BROWSER_ACTION_TIMEOUT_MS,
  BROWSER_TEST_TIMEOUT_MS,
  CHROMIUM_MISSING_REASON,
  hasChromium,
  launchChromium,
  signInInBrowser,
  startApp,
  type RunningApp,
} from './support/browser.ts';

const HOSTNAME = 'sd.test';

describe.skipIf(!hasChromium)(`plain http on a named host, and unsaved edits, in Chromium ${hasChromium ? '' : CHROMIUM_MISSING_REASON}`, { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let t: TestDatabase;
  let running: RunningApp;
  let browser: Browser;
  let editor: TestEditor;

  beforeAll(async () => {
    t = await createTestDatabase();
    [running, browser, editor] = await Promise.all([
      startApp(t.db, { hostname: HOSTNAME }),
      launchChromium([`--host-resolver-rules=MAP ${HOSTNAME} 127.0.0.1`]),
      createTestEditor(t.db, 'admin'),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
    await t?.drop();
  });

  async function newPage(javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled });
    context.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
    return context.newPage();
  }

  it('regression: upgrade-insecure-requests blocked sign-in and styles over http on any host but localhost', async () => {
    const page = await newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
    const response = await page.goto(`${running.baseUrl}/editor/sign-in`);
    expect(response?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response?.headers()['strict-transport-security']).toBeUndefined();
    // The stylesheet applied: the sign-in button is styled, not the browser's default grey.
    await signInInBrowser(page, running.baseUrl, editor.email, editor.password);
    expect(page.url()).toBe(`${running.baseUrl}/editor`);
    const sheets = (await page.evaluate('document.styleSheets.length')) as number;
    expect(sheets).toBeGreaterThan(0);
    await page.goto(`${running.baseUrl}/`);
    expect(failed).toEqual([]);
    await page.context().close();
  });

  for (const javaScriptEnabled of [true, false]) {
    const how = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
    it(`regression: Approve discarded a title typed and not saved (${how})`, async () => {
      const statement = await createStatement(t.db, { status: 'draft', title: 'Fwd: statment on teh war', bodyText: 'We condemn the invasion.' });
      const page = await newPage(javaScriptEnabled);
      await signInInBrowser(page, running.baseUrl, editor.email, editor.password);
      await page.goto(`${running.baseUrl}/editor/statements/${statement.id}`);
      await page.getByRole('textbox', { name: /^Title\b/ }).fill('Statement on the war in Ukraine');
      await page.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => page.url()).toContain('done=saved_and_approved');
      expect(await page.getByText('Your changes are saved and the statement is approved').count()).toBe(1);
      const row = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
      expect([row.status, row.title]).toEqual(['approved', 'Statement on the war in Ukraine']);

      // A change that cannot be saved stops the decision, and what was typed stays in the form.
      await page.getByRole('textbox', { name: /^Date of the statement\b/ }).fill('2022-02-30');
      await page.getByRole('textbox', { name: /^Title\b/ }).fill('A newer title');
      await page.getByRole('button', { name: 'Publish' }).click();
      await expect.poll(() => page.getByText('Not published. Correct the fields marked below').count()).toBe(1);
      expect(await page.getByRole('textbox', { name: /^Title\b/ }).inputValue()).toBe('A newer title');
      const after = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
      expect([after.status, after.title]).toEqual(['approved', 'Statement on the war in Ukraine']);
      await page.context().close();
    });
  }
});
