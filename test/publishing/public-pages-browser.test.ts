// The public pages in a real browser (Debian's Chromium) at a phone's width: readable without
// sideways scrolling even with long words and tables, complete with JavaScript turned off, and no
// serious or critical axe-core violations. Screenshots go to test-results/public-*.png.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createOrganisation, createStatement, createTopic, type TestStatement } from '../support/statements.ts';
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

const PHONE = { width: 360, height: 740 };

describe.skipIf(!hasChromium)(`public pages in Chromium on a phone ${hasChromium ? '' : CHROMIUM_MISSING_REASON}`, { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let t: TestDatabase;
  let running: RunningApp;
  let browser: Browser;
  let statement: TestStatement;

  beforeAll(async () => {
    t = await createTestDatabase();
    const org = await createOrganisation(t.db, { name: 'Partido Lakas ng Masa', shortName: 'PLM', country: 'Philippines' });
    const topic = await createTopic(t.db, {
      slug: 'ukraine',
      title: 'Statements: Asian socialists condemn Russia’s war on Ukraine',
      introduction: 'Socialist parties and movements across Asia have condemned the invasion.\n\nWe publish their statements as we receive them.',
    });
    statement = await createStatement(t.db, {
      title: 'No to Putin’s war! Solidarity with the people of Ukraine',
      organisationId: org.id,
      organisationName: org.name,
      organisationShort: 'PLM',
      topicId: topic.id,
      topicPosition: 1,
      bodyHtml:
        '<p>Partido Lakas ng Masa condemns the invasion of Ukraine and calls for an immediate ceasefire.</p>' +
        '<p>Read more at <a href="https://example.org/a-very-long-address/that-goes-on-and-on/without-any-break-at-all/statement-2022-02-25">https://example.org/a-very-long-address/that-goes-on-and-on/without-any-break-at-all/statement-2022-02-25</a></p>' +
        '<table><tr><th>Organisation</th><th>Country</th><th>Contact</th><th>Signatory</th><th>Role</th></tr><tr><td>Partido Lakas ng Masa</td><td>Philippines</td><td>international-secretariat@example.org</td><td>Sonny Melencio</td><td>Chairperson</td></tr></table>',
      bodyText: 'Partido Lakas ng Masa condemns the invasion of Ukraine.',
      signatories: [{ name: 'Sonny Melencio', role: 'Chairperson' }],
      message: { attachments: [{ filename: 'plm-statement.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4') }] },
    });
    await createStatement(t.db, {
      title: 'Statement of the Socialist Party of Malaysia',
      organisationName: 'Parti Sosialis Malaysia',
      organisationShort: 'PSM',
      topicId: topic.id,
      topicPosition: 2,
      language: 'ms',
      bodyHtml: '<p>Parti Sosialis Malaysia menyeru gencatan senjata segera.</p>',
    });
    [running, browser] = await Promise.all([startApp(t.db), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
    await t?.drop();
  });

  async function openOnPhone(url: string, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled, isMobile: true });
    context.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
    const page = await context.newPage();
    const response = await page.goto(`${running.baseUrl}${url}`);
    expect(response?.status(), url).toBeLessThan(500);
    return { context, page };
  }

  it('reads well on a phone: no sideways scrolling, the stylesheet applied, no serious accessibility problems', async () => {
    const pages: [string, string][] = [
      ['public-index', '/'],
      ['public-topic', '/topics/ukraine'],
      ['public-statement', `/statements/${statement.slug}`],
      ['public-not-found', '/topics/nothing-here'],
    ];
    for (const [name, url] of pages) {
      const { context, page } = await openOnPhone(url);
      try {
        const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })')) as { scroll: number; view: number };
        expect(widths.scroll, `${url} is wider than the phone`).toBeLessThanOrEqual(widths.view);
        const fontFamily = (await page.evaluate('getComputedStyle(document.body).fontFamily')) as string;
        expect(fontFamily, `${url} has its stylesheet`).toMatch(/Georgia/);
        const violations = await seriousAxeViolations(page);
        expect(violations, `${url}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
        await saveScreenshot(page, name);
      } finally {
        await context.close();
      }
    }
  });

  it('needs no JavaScript: with it turned off the topic page shows every statement and its file link', async () => {
    const { context, page } = await openOnPhone('/topics/ukraine', false);
    try {
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Statements: Asian socialists condemn Russia’s war on Ukraine');
      const organisations = await page.locator('h2.statement-org').allTextContents();
      expect(organisations.map((o) => o.trim())).toEqual(['Partido Lakas ng Masa (PLM)', 'Parti Sosialis Malaysia (PSM)']);
      expect(await page.getByRole('link', { name: 'plm-statement.pdf' }).count()).toBe(1);
      await page.getByRole('link', { name: 'Parti Sosialis Malaysia', exact: true }).click();
      expect(page.url()).toMatch(/#s-statement-of-the-socialist-party-of-malaysia-/);
    } finally {
      await context.close();
    }
  });
});
