// The "done when": emails go through the real ingest pipeline, an editor publishes them
// with the admin API, and a feed reader subscribing to /feed.json and /feed.atom (and a reader
// of the topic page) sees them, in the editors' order on the page, without the senders.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processMessage } from '../../src/ingest/pipeline.ts';
import { storeRawMessage } from '../../src/ingest/store-raw.ts';
import { buildTestApp, createTestEditor, TEST_PUBLIC_BASE_URL as BASE, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { parseAtom, validateAtom, validateJsonFeed } from '../support/feed-validators.ts';
import { testLogger } from '../support/logger.ts';

function email(n: number, organisation: string, subject: string, text: string): Buffer {
  return Buffer.from(
    [
      `Message-ID: <publish-api-${n}@example.org>`,
      `From: ${organisation} <press${n}@sender-${n}.example.org>`,
      'To: submissions@example.com',
      `Date: Mon, 0${n} Mar 2022 10:00:00 +0000`,
      `Subject: ${subject}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '',
      `${organisation}`,
      '',
    ].join('\r\n'),
  );
}

describe('publishing through the API reaches feeds and pages', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let editor: TestEditor;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    editor = await createTestEditor(t.db);
    const emails = [
      email(1, 'Socialist Alliance', 'Statement: Stop the war on Ukraine', 'We call for an immediate ceasefire and the withdrawal of all troops.\n\nSolidarity with the people of Ukraine.'),
      email(2, 'Partido Lakas ng Masa', 'Statement: No to Putin’s war', 'Partido Lakas ng Masa condemns the invasion of Ukraine.\n\nWe stand with the working people of Ukraine and Russia.'),
    ];
    for (const raw of emails) {
      const { id } = await storeRawMessage(t.db, { raw, source: 'import' });
      await processMessage({ db: t.db, logger: testLogger }, id);
    }
    const drafts = await t.db.statement.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true } });
    ids.push(...drafts.map((d) => d.id));
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const api = (method: 'POST' | 'PATCH' | 'PUT' | 'GET', url: string, body?: object, ifMatch?: string) =>
    app.inject({ method, url: `/api${url}`, headers: { ...editor.headers, ...(ifMatch ? { 'if-match': ifMatch } : {}) }, ...(body ? { payload: body } : {}) });

  it('publishes two drafts into a topic and shows them to feed readers and on the topic page', async () => {
    expect(ids).toHaveLength(2);
    const topic = await api('POST', '/topics', { title: 'Asian socialists condemn Russia’s war on Ukraine', slug: 'ukraine', introduction: 'Statements from the region.' });
    expect(topic.statusCode).toBe(201);
    const topicId = topic.json().id;

    for (const id of ids) {
      const current = await api('GET', `/statements/${id}`);
      const moved = await api('PATCH', `/statements/${id}`, { topicId }, current.headers.etag as string);
      expect(moved.statusCode).toBe(200);
      const published = await api('POST', `/statements/${id}/publish`, {}, moved.headers.etag as string);
      expect(published.statusCode).toBe(200);
      expect(published.json().status).toBe('published');
    }
    // The editors put the second statement first on the page.
    const order = await api('PUT', `/topics/${topicId}/order`, { statementIds: [ids[1], ids[0]] });
    expect(order.statusCode, order.body).toBe(200);

    const feed = (await app.inject('/feed.json')).json();
    expect(validateJsonFeed(feed)).toEqual([]);
    expect(feed.items).toHaveLength(2);
    for (const item of feed.items) {
      expect(item.id).toMatch(new RegExp(`^${BASE}/statements/`));
      expect(item._statement.status).toBe('published');
      expect(item._statement.topic.slug).toBe('ukraine');
      expect(item.content_text).toMatch(/ceasefire|invasion/);
    }
    expect(feed.items.map((i: { authors?: { name: string }[] }) => i.authors?.[0]?.name).sort()).toEqual(['Partido Lakas ng Masa', 'Socialist Alliance']);

    const atom = await app.inject('/topics/ukraine/feed.atom');
    expect(validateAtom(atom.body)).toEqual([]);
    expect(parseAtom(atom.body).entries).toHaveLength(2);

    const page = await app.inject('/topics/ukraine');
    expect(page.statusCode).toBe(200);
    const headings = [...page.body.matchAll(/<h2 class="statement-org">([^<(]*)/g)].map((m) => m[1]!.trim());
    expect(headings).toEqual(['Partido Lakas ng Masa', 'Socialist Alliance']);
    expect(page.body).toContain('We call for an immediate ceasefire');

    for (const body of [JSON.stringify(feed), atom.body, page.body]) expect(body).not.toMatch(/sender-\d\.example\.org/);
  });
});
