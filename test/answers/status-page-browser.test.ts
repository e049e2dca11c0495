// The sender's status page in a real browser (Debian's Chromium) at a phone's width: it reads
// without sideways scrolling (the page has no script of its own), has no serious or critical axe-core
// violations in each state and in Arabic (right to left) and Japanese, and an unknown token is a
// plain 404 page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashStatusToken, newStatusToken } from '../../src/answers/submissions.ts';
import { transitionStatement } from '../../src/moderation/transitions.ts';
import {
  BROWSER_ACTION_TIMEOUT_MS,
  BROWSER_TEST_TIMEOUT_MS,
  CHROMIUM_MISSING_REASON,
  hasChromium,
  launchChromium,
  saveScreenshot,
  seriousAxeViolations,
  startApp,
  type RunningApp,
} from '../browser/support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createStatement } from '../support/statements.ts';

describe.skipIf(!hasChromium)(`status page in Chromium ${hasChromium ? '' : CHROMIUM_MISSING_REASON}`, { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let t: TestDatabase;
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  const token = newStatusToken();
  let statementId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    const statement = await createStatement(t.db, { status: 'draft', title: 'Solidarity with the port strike', bodyText: 'We stand with the dock workers.' });
    statementId = statement.id;
    await t.db.submission.create({ data: { statementId, tokenHash: hashStatusToken(token), senderNote: 'Thank you. We publish only statements about the war; this one is about a local strike.' } });
    running = await startApp(t.db);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 360, height: 740 }, javaScriptEnabled: true });
    page.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
    await t?.drop();
  });

  async function check(name: string) {
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await saveScreenshot(page, `status-${name}`);
  }

  it('shows "Received", then "Not published" with the editors’ note, accessibly', async () => {
    await page.goto(`${running.baseUrl}/submissions/${token}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your statement: Received');
    expect(await page.locator('[aria-current="step"]').textContent()).toContain('Received');
    await check('received');

    await transitionStatement(t.db, { id: statementId, action: 'reject', reason: 'off topic', actor: 'cli', now: new Date() });
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your statement: Not published');
    expect(await page.getByText('this one is about a local strike').count()).toBe(1);
    expect(await page.content()).not.toContain('off topic');
    await check('not-published');
  });

  it('shows an Arabic statement’s page right to left, accessibly, and a Japanese one in Japanese', async () => {
    const arabicToken = newStatusToken();
    const arabic = await createStatement(t.db, { status: 'draft', title: 'تضامن مع إضراب الميناء', bodyText: 'نقف مع عمال الميناء.', language: 'ar' });
    await t.db.submission.create({ data: { statementId: arabic.id, tokenHash: hashStatusToken(arabicToken) } });
    await page.goto(`${running.baseUrl}/submissions/${arabicToken}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('بيانكم: وصل');
    expect(await page.evaluate('getComputedStyle(document.querySelector("main")).direction')).toBe('rtl');
    await check('received-ar');

    const japaneseToken = newStatusToken();
    const japanese = await createStatement(t.db, { status: 'draft', title: '港湾ストライキへの連帯', bodyText: '港湾労働者を支持します。', language: 'ja' });
    await t.db.submission.create({ data: { statementId: japanese.id, tokenHash: hashStatusToken(japaneseToken) } });
    await page.goto(`${running.baseUrl}/submissions/${japaneseToken}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('お送りいただいた声明：受付済み');
    expect(await page.evaluate('document.documentElement.lang')).toBe('ja');
    await check('received-ja');
  });

  it('answers an unknown token with a 404 page that passes axe', async () => {
    const response = await page.goto(`${running.baseUrl}/submissions/${newStatusToken()}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Submission not found');
    await check('not-found');
  });
});
