// Editors' requests that read a hostile email's content: opening its "original email" frame
// held the whole server (public pages included) for a minute, "Make a draft of it" for two, and
// a PATCH of a body of nested elements stalled it for 10 s and then answered 500. They now run
// in the editors' parser worker (src/ingest/preparer.ts, editorPreparer) on bounded HTML: each
// answers 2xx/4xx, and the server answers other requests meanwhile.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRawMessages } from '../../src/ingest/ingest-raw.ts';
import { editorPreparer } from '../../src/ingest/preparer.ts';
import { buildTestApp, createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/logger.ts';
import { createStatement } from '../support/statements.ts';
import { signInWeb, type WebSession } from '../browser/support/web-session.ts';

const NESTED = 200_000;
const nestedHtml = (tag: string, count = NESTED) => `<p>A statement hidden under nesting.</p>${`<${tag}>`.repeat(count)}The innermost words.${`</${tag}>`.repeat(count)}`;

/** A list email (set aside by the pipeline) whose only body is 200,000 nested elements. */
/**
 * A press-list statement of 200,000 nested elements. List mail is read now (issue 11), so the
 * receiving server's spam verdict is what sets this one aside when a test needs it ignored.
 */
function hostileListEmail(id: string, options: { markedSpam?: boolean } = {}): Buffer {
  return Buffer.from(
    `Message-ID: <${id}@lists.example.org>\r\nFrom: Workers Party <press@workers-party.example.org>\r\nTo: press-list@lists.example.org\r\n` +
      (options.markedSpam ? 'X-Spam-Flag: YES\r\n' : '') +
      `List-Id: Workers Party press releases <press.lists.example.org>\r\nDate: Wed, 02 Mar 2022 08:00:00 +0000\r\n` +
      `Subject: Statement: No to the war\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${nestedHtml('div')}\r\n`,
  );
}

/**
 * Runs `work` while a timer ticks every 20 ms, and says the longest the event loop went without
 * a tick. Sanitising on this thread blocked it for tens of seconds; waiting for a worker does not.
 */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 20);
  try {
    const result = await work();
    stallMs = Math.max(stallMs, performance.now() - last);
    return { result, stallMs };
  } finally {
    clearInterval(ticker);
  }
}

/** Longest the server may go without answering anything: far below the old stalls, far above a busy machine's jitter. */
const RESPONSIVE_MS = 1_000;

describe('hostile HTML in editors\' requests', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;
  let web: WebSession;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    editor = await createTestEditor(t.db);
    web = await signInWeb(app, editor.email, editor.password);
    // Start the editors' worker, so that its start-up is not counted below.
    await editorPreparer().sanitize('<p>warm</p>');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('opens the frame of an email stored with 200,000 nested elements without stalling the server', async () => {
    const [ingested] = await ingestRawMessages({ db: t.db, logger: testLogger }, [{ raw: hostileListEmail('frame'), source: 'import' }]);
    const id = ingested!.stored.id;
    // As stored before HTML was bounded at ingest: the frame sanitises it again.
    await t.db.message.update({ where: { id }, data: { htmlBody: nestedHtml('span') } });
    const { result, stallMs } = await longestStall(async () => {
      const [frame, health] = await Promise.all([web.get(`/editor/messages/${id}/original`), app.inject('/health')]);
      return { frame, health };
    });
    expect(result.health.statusCode).toBe(200);
    expect(result.frame.status).toBe(200);
    expect(result.frame.body).toContain('A statement hidden under nesting.');
    expect(result.frame.body).toContain('The innermost words.');
    expect(stallMs).toBeLessThan(RESPONSIVE_MS);
  }, 120_000);

  it('makes a draft of a set-aside email of 200,000 nested elements in the worker', async () => {
    const [ingested] = await ingestRawMessages({ db: t.db, logger: testLogger }, [{ raw: hostileListEmail('draft', { markedSpam: true }), source: 'import' }]);
    expect(ingested!.outcome.status).toBe('ignored');
    const { result, stallMs } = await longestStall(() => app.inject({ method: 'POST', url: `/api/messages/${ingested!.stored.id}/draft`, headers: editor.headers }));
    expect(result.statusCode, result.body).toBe(201);
    expect(result.json().bodyText).toContain('A statement hidden under nesting.');
    expect(stallMs).toBeLessThan(RESPONSIVE_MS);
  }, 120_000);

  it('stores a PATCHed body of 150,000 nested elements flattened, answering 200 (it was a 500)', async () => {
    const statement = await createStatement(t.db, { status: 'draft' });
    const bodyHtml = `<p>Edited.</p>${'<i>'.repeat(150_000)}Deep words.`;
    const { result, stallMs } = await longestStall(() =>
      app.inject({ method: 'PATCH', url: `/api/statements/${statement.id}`, headers: { ...editor.headers, 'if-match': `"${statement.version}"` }, payload: { bodyHtml } }),
    );
    expect(result.statusCode, result.body).toBe(200);
    const stored = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
    expect(stored.bodyText).toBe('Edited.\n\nDeep words.');
    expect(stored.bodyHtml.length).toBeLessThan(2_000);
    expect(stallMs).toBeLessThan(RESPONSIVE_MS);
  }, 120_000);
});
