// An editor in a real browser (Debian's Chromium): signs in, finds a draft, edits it, publishes
// it, and finds it on the public topic page and in the feed; two editors editing at once; a
// rejected statement never public. Every main page passes axe-core (no serious or critical
// violations) and is saved as a screenshot under test-results/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRawMessages } from '../../src/ingest/ingest-raw.ts';
import { createTestEditor, type TestEditor } from '../support/app.ts';
import { testLogger } from '../support/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createOrganisation, createStatement, createTopic } from '../support/statements.ts';
import {
  BROWSER_ACTION_TIMEOUT_MS,
  BROWSER_TEST_TIMEOUT_MS,
  CHROMIUM_MISSING_REASON,
  hasChromium,
  SCREENSHOT_DIR,
  launchChromium,
  saveScreenshot,
  seriousAxeViolations,
  signInInBrowser,
  startApp,
  type RunningApp,
} from './support/browser.ts';

async function expectAccessible(page: Page, name: string) {
  const violations = await seriousAxeViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  await saveScreenshot(page, name);
}

describe.skipIf(!hasChromium)(`editors' pages in Chromium ${hasChromium ? '' : CHROMIUM_MISSING_REASON}`, { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let t: TestDatabase;
  let running: RunningApp;
  let browser: Browser;
  let admin: TestEditor;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    t = await createTestDatabase();
    [running, browser, admin] = await Promise.all([startApp(t.db), launchChromium(), createTestEditor(t.db, 'admin')]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
    await t?.drop();
  });

  it('takes a draft from the queue to the public topic page and the feed', async () => {
    const { baseUrl } = running;
    const topic = await createTopic(t.db, { title: 'Asian socialists condemn the war', slug: 'asian-socialists-condemn-the-war' });
    await createOrganisation(t.db, { name: 'Workers Front', shortName: 'WF', country: 'Korea' });
    const draft = await createStatement(t.db, {
      status: 'draft',
      title: 'Fwd: statment on teh war',
      bodyText: 'We condemn the invasion.\n\nWe stand with the workers of Ukraine.',
      language: 'en',
      message: { fromAddress: 'press@workers-front.example.org', fromName: 'Workers Front', subject: 'Fwd: statment on teh war' },
    });
    await t.db.statement.update({ where: { id: draft.id }, data: { extraction: { fields: { title: { source: 'subject', confidence: 0.4 } }, warnings: [] } } });

    await page.goto(`${baseUrl}/editor`);
    await expect.poll(() => page.url()).toContain('/editor/sign-in');
    await expectAccessible(page, 'editor-sign-in');
    await signInInBrowser(page, baseUrl, admin.email, admin.password);
    await expectAccessible(page, 'editor-queue');

    await page.getByLabel('Search').fill('statment war');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: 'Fwd: statment on teh war' }).click();
    await expect.poll(() => page.url()).toContain(`/editor/statements/${draft.id}`);
    // The draft's unsure fields are announced on the page (a locator alone is always defined).
    const unsure = page.getByText('The extraction was unsure of');
    await unsure.first().waitFor({ state: 'visible', timeout: 10_000 });
    expect(await unsure.count()).toBeGreaterThan(0);
    expect(await page.locator('#title.needs-check').count()).toBe(1);
    await expectAccessible(page, 'editor-statement-draft');

    await page.getByRole('textbox', { name: /^Title\b/ }).fill('Statement on the war in Ukraine');
    await page.getByLabel('Text').fill('We condemn the invasion.\n\nWe stand with the workers of Ukraine and Russia.');
    await page.getByLabel('Topic').selectOption({ label: 'Asian socialists condemn the war' });
    await page.getByRole('button', { name: 'Preview without saving' }).click();
    const preview = page.frameLocator('iframe[title="Preview of the public page"]');
    await expect.poll(() => preview.locator('h1').textContent()).toBe('Statement on the war in Ukraine');
    await page.locator('iframe[title="Preview of the public page"]').screenshot({ path: `${SCREENSHOT_DIR}/editor-statement-preview.png` });
    // The sandboxed frames cannot size themselves; their boxes can be dragged taller, and the
    // email in them follows.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.original .frame-box')).resize`)).toBe('vertical');
    const frameHeight = () => page.locator('.original .frame-box iframe').evaluate((el) => el.getBoundingClientRect().height);
    const before = await frameHeight();
    await page.evaluate(`(() => { const box = document.querySelector('.original .frame-box'); box.style.height = (box.getBoundingClientRect().height + 300) + 'px'; })()`);
    expect(await frameHeight()).toBeCloseTo(before + 300, 0);
    await expect.poll(() => page.getByText('not saved yet').count()).toBe(1);
    // Leaving with unsaved changes asks first (editor.js); staying keeps the text.
    await page.getByLabel('Signatories').fill('Ana Lee, secretary');
    const leaving = new Promise<string>((resolve) => page.once('dialog', (dialog) => { resolve(dialog.type()); void dialog.dismiss(); }));
    await page.getByRole('link', { name: /Drafts/ }).click({ noWaitAfter: true });
    expect(await leaving).toBe('beforeunload');
    expect(await page.getByLabel('Signatories').inputValue()).toBe('Ana Lee, secretary');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Your changes are saved.').count()).toBe(1);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => page.getByText('The statement is published').count()).toBe(1);
    await expectAccessible(page, 'editor-statement-published');
    expect(await page.locator('.history').textContent()).toContain('Published');

    await page.goto(`${baseUrl}/topics/${topic.slug}`);
    expect(await page.locator('main').textContent()).toContain('Statement on the war in Ukraine');
    expect(await page.locator('main').textContent()).toContain('We stand with the workers of Ukraine and Russia.');
    const feed = await (await fetch(`${baseUrl}/feed.json`)).json() as { items: { title: string }[] };
    expect(feed.items.map((i) => i.title)).toContain('Statement on the war in Ukraine');
    const topicFeed = await (await fetch(`${baseUrl}/topics/${topic.slug}/feed.json`)).json() as { items: { title: string }[] };
    expect(topicFeed.items.map((i) => i.title)).toContain('Statement on the war in Ukraine');
  });

  it('keeps the second editor’s text when someone else saved first, and says so', async () => {
    const { baseUrl } = running;
    const statement = await createStatement(t.db, { status: 'draft', title: 'Shared draft', bodyText: 'Draft text.' });
    const other = await browser.newContext();
    other.setDefaultTimeout(BROWSER_ACTION_TIMEOUT_MS);
    try {
      const first = await other.newPage();
      await signInInBrowser(first, baseUrl, admin.email, admin.password);
      await first.goto(`${baseUrl}/editor/statements/${statement.id}`);
      await page.goto(`${baseUrl}/editor/statements/${statement.id}`);

      await first.getByRole('textbox', { name: /^Title\b/ }).fill('Shared draft, title fixed by the first editor');
      await first.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => first.getByText('Your changes are saved.').count()).toBe(1);

      const mine = 'A long careful rewrite by the second editor.\n\nIt must not be lost.';
      await page.getByLabel('Text').fill(mine);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Someone else saved this statement while you were editing it');
      expect(await page.getByLabel('Text').inputValue()).toBe(mine);
      // The other editor's title is merged into the form, so saving again loses neither change.
      expect(await page.getByRole('textbox', { name: /^Title\b/ }).inputValue()).toBe('Shared draft, title fixed by the first editor');
      expect(await page.getByRole('alert').textContent()).toMatch(/Their changes are now in the form too: Title/);
      await expectAccessible(page, 'editor-statement-conflict');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => page.getByText('Your changes are saved.').count()).toBe(1);
      const saved = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
      expect(saved.title).toBe('Shared draft, title fixed by the first editor');
      expect(saved.bodyText).toBe(mine);
    } finally {
      await other.close();
    }
  });

  it('never shows a rejected statement publicly', async () => {
    const { baseUrl } = running;
    const topic = await createTopic(t.db, { title: 'Rejections topic', slug: 'rejections-topic' });
    await createStatement(t.db, { status: 'published', title: 'A published neighbour', topicId: topic.id, topicPosition: 1 });
    const statement = await createStatement(t.db, { status: 'draft', title: 'Spam pretending to be a statement', bodyText: 'Buy cheap watches now.', topicId: topic.id, topicPosition: 2 });
    await t.db.rejectionReason.create({ data: { text: 'Spam or advertising' } });

    await page.goto(`${baseUrl}/editor/statements/${statement.id}`);
    await page.getByText('Reject…').click();
    await page.getByLabel('Reason', { exact: true }).selectOption('Spam or advertising');
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => page.getByText('The statement is rejected.').count()).toBe(1);
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).rejectionReason).toBe('Spam or advertising');

    await page.goto(`${baseUrl}/topics/${topic.slug}`);
    const text = await page.locator('body').textContent();
    expect(text).toContain('A published neighbour');
    expect(text).not.toContain('Spam pretending');
    expect(text).not.toContain('cheap watches');
    const direct = await fetch(`${baseUrl}/statements/${statement.slug}`);
    expect(direct.status).toBe(404);
    for (const url of ['/feed.json', `/topics/${topic.slug}/feed.json`, '/feed.atom', `/topics/${topic.slug}/feed.atom`, '/']) {
      const body = await (await fetch(`${baseUrl}${url}`)).text();
      expect(body, url).not.toContain('cheap watches');
      expect(body, url).not.toContain('Spam pretending');
    }
  });

  it('finds a statement set aside as spam and makes a draft of it', async () => {
    const { baseUrl } = running;
    const raw = Buffer.from(
      'Message-ID: <press-list-1@lists.example.org>\r\nFrom: Workers Front <press@workers-front.example.org>\r\n' +
        'To: press-list@lists.example.org\r\nList-Id: Workers Front press <press.lists.example.org>\r\nX-Spam-Flag: YES\r\n' +
        'Date: Wed, 02 Mar 2022 08:00:00 +0000\r\nSubject: Statement: general strike on 8 March\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' +
        'General strike on 8 March\r\n\r\nThe Workers Front calls every union to join the general strike on 8 March for peace and bread.\r\n',
    );
    const [ingested] = await ingestRawMessages({ db: t.db, logger: testLogger }, [{ raw, source: 'import' }]);
    expect(ingested!.outcome.status).toBe('ignored');

    await page.goto(`${baseUrl}/editor?status=not-statement`);
    await page.getByRole('link', { name: 'Also mailing-list mail, newsletters, auto-replies and bounces' }).click();
    await page.getByRole('link', { name: 'Statement: general strike on 8 March' }).click();
    await expectAccessible(page, 'editor-message-set-aside');
    await page.getByRole('button', { name: 'Make a draft of it' }).click();
    await expect.poll(() => page.getByText('A draft is made from the email.').count()).toBe(1);
    expect(await page.getByRole('textbox', { name: /^Title\b/ }).inputValue()).toBe('General strike on 8 March');
    expect(await page.locator('.history').textContent()).toContain('Made a draft from an email the pipeline had set aside');
  });

  it('shows topics, organisations, editors and activity pages that pass axe, on a wide and a narrow screen', async () => {
    const { baseUrl } = running;
    const topic = await t.db.topic.findUniqueOrThrow({ where: { slug: 'asian-socialists-condemn-the-war' } });
    const organisation = await t.db.organisation.findFirstOrThrow({ where: { name: 'Workers Front' } });
    for (const [name, path] of [
      ['editor-topics', '/editor/topics'],
      ['editor-topic', `/editor/topics/${topic.id}`],
      ['editor-topic-new', '/editor/topics/new'],
      ['editor-organisations', '/editor/organisations'],
      ['editor-organisation', `/editor/organisations/${organisation.id}`],
      ['editor-editors', '/editor/editors'],
      ['editor-activity', '/editor/activity'],
      ['editor-not-found', '/editor/no-such-page'],
    ] as const) {
      await page.goto(`${baseUrl}${path}`);
      expect(await page.locator('h1').count(), path).toBe(1);
      await expectAccessible(page, name);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${baseUrl}/editor`);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      expect(overflow).toBeLessThanOrEqual(0);
      await expectAccessible(page, 'editor-queue-narrow');
      const draft = await t.db.statement.findFirstOrThrow({ where: { title: 'Shared draft, title fixed by the first editor' } });
      await page.goto(`${baseUrl}/editor/statements/${draft.id}`);
      await expectAccessible(page, 'editor-statement-narrow');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
