// The public side as a reader and a feed reader meet it: valid feeds, topic and statement pages,
// original files, pagination, closed topics, conditional requests, and validators that move when
// editors publish or correct something.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editStatement } from '../../src/moderation/edit-statement.ts';
import { setTopicOrder } from '../../src/moderation/topics.ts';
import { transitionStatement } from '../../src/moderation/transitions.ts';
import { buildTestApp, TEST_PUBLIC_BASE_URL as BASE } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { parseAtom, validateAtom, validateJsonFeed } from '../support/feed-validators.ts';
import { createOrganisation, createStatement, createTopic, type TestStatement } from '../support/statements.ts';

const PDF = Buffer.from('%PDF-1.4\n% statement original\n');

describe('public feeds and pages', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let first: TestStatement;
  let second: TestStatement;
  let corrected: TestStatement;
  let withdrawn: TestStatement;
  let draft: TestStatement;
  const at = (day: number) => new Date(`2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`);

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    const org = await createOrganisation(t.db, { name: 'Partido Lakas ng Masa', shortName: 'PLM', country: 'Philippines' });
    const topic = await createTopic(t.db, {
      slug: 'ukraine',
      title: 'Asian socialists condemn Russia’s war on Ukraine',
      introduction: 'Statements from socialist parties across Asia.\n\nMore will follow.',
    });
    // Published in one order, placed on the page in another: the page follows topicPosition.
    first = await createStatement(t.db, {
      title: 'No to war', organisationId: org.id, organisationName: 'Partido Lakas ng Masa', organisationShort: 'PLM',
      topicId: topic.id, topicPosition: 2, publishedAt: at(2), bodyText: 'Stop the invasion now.',
      bodyHtml: '<p>Stop the invasion now.</p>', signatories: [{ name: 'Sonny Melencio', role: 'Chairperson' }],
      message: { fromAddress: 'plm@example.org', attachments: [{ filename: 'no-to-war.pdf', contentType: 'application/pdf', content: PDF }] },
    });
    second = await createStatement(t.db, {
      title: 'Solidarity from Pakistan', organisationName: 'Awami Workers Party', organisationShort: 'AWP',
      topicId: topic.id, topicPosition: 1, publishedAt: at(3), bodyHtml: '<p>We stand with Ukrainian workers.</p>',
    });
    corrected = await createStatement(t.db, {
      title: 'Corrected statement', organisationName: 'Socialist Party of Malaysia', organisationShort: null, topicId: topic.id, topicPosition: 3,
      publishedAt: at(4), contentUpdatedAt: at(5), bodyHtml: '<p>Corrected text.</p>',
    });
    withdrawn = await createStatement(t.db, {
      status: 'unpublished', title: 'Withdrawn one', organisationName: 'Gone Org', topicId: topic.id, topicPosition: 4,
      publishedAt: at(6), unpublishedAt: at(7), bodyHtml: '<p>Withdrawn text.</p>',
    });
    draft = await createStatement(t.db, { status: 'draft', title: 'A draft for the topic', topicId: topic.id, bodyHtml: '<p>Draft text.</p>' });
    await createStatement(t.db, { title: 'Without a topic', organisationName: 'Lone Org', publishedAt: at(8) });
    const closed = await createTopic(t.db, { slug: 'closed-topic', title: 'An old campaign', open: false });
    await createTopic(t.db, { slug: 'empty', title: 'Not ready yet' });
    await createStatement(t.db, { title: 'Old campaign statement', topicId: closed.id, publishedAt: at(1) });
    // A topic with more statements than a feed page holds.
    const many = await createTopic(t.db, { slug: 'many', title: 'Many statements' });
    for (let i = 0; i < 55; i++) {
      await createStatement(t.db, { title: `Many ${i}`, topicId: many.id, topicPosition: i, publishedAt: new Date(Date.UTC(2026, 0, 1, 0, i)) });
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('serves a valid JSON Feed 1.1 of everything published, newest first, withdrawn as a stub', async () => {
    const res = await get('/feed.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/feed+json; charset=utf-8');
    const feed = res.json();
    expect(validateJsonFeed(feed)).toEqual([]);
    expect(feed.feed_url).toBe(`${BASE}/feed.json`);
    expect(feed.items).toHaveLength(50);
    expect(feed.items.slice(0, 4).map((i: { title: string }) => i.title)).toEqual([
      'Without a topic', 'Withdrawn statement', 'Corrected statement', 'Solidarity from Pakistan',
    ]);
    const stub = feed.items[1];
    expect(stub.id).toBe(`${BASE}/statements/${withdrawn.slug}`);
    expect(stub._statement.status).toBe('withdrawn');
    expect(stub.content_html).toBeUndefined();
    expect(JSON.stringify(feed)).not.toContain('Withdrawn text');
    expect(JSON.stringify(feed)).not.toContain('Draft text');

    const fix = feed.items[2];
    expect(fix._statement.status).toBe('corrected');
    expect(fix.date_published).toBe(at(4).toISOString());
    expect(fix.date_modified).toBe(at(5).toISOString());

    const plm = feed.items.find((i: { title: string }) => i.title === 'No to war');
    expect(plm).toMatchObject({
      id: `${BASE}/statements/${first.slug}`,
      url: `${BASE}/statements/${first.slug}`,
      content_html: '<p>Stop the invasion now.</p>',
      content_text: 'Stop the invasion now.',
      authors: [{ name: 'Partido Lakas ng Masa' }],
      language: 'en',
      tags: ['Asian socialists condemn Russia’s war on Ukraine', 'Philippines'],
      _statement: {
        status: 'published',
        date: '2026-02-24',
        organisation: { name: 'Partido Lakas ng Masa', short_name: 'PLM', country: 'Philippines' },
        signatories: [{ name: 'Sonny Melencio', role: 'Chairperson' }],
        topic: { slug: 'ukraine', url: `${BASE}/topics/ukraine` },
      },
    });
    expect(plm.attachments).toEqual([
      { url: `${BASE}/statements/${first.slug}/attachments/${first.message!.attachments[0]!.id}`, mime_type: 'application/pdf', title: 'no-to-war.pdf', size_in_bytes: PDF.length },
    ]);
  });

  it('lets other sites read the feeds (CORS) with the security headers still set, and answers HEAD', async () => {
    for (const url of ['/feed.json', '/feed.atom', '/topics/ukraine/feed.json']) {
      const res = await get(url);
      expect(res.headers['access-control-allow-origin'], url).toBe('*');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['content-security-policy'], url).toMatch(/default-src 'none'/);
      const head = await app.inject({ method: 'HEAD', url });
      expect(head.statusCode, url).toBe(200);
      expect(head.headers.etag, url).toBe(res.headers.etag);
      expect(head.body, url).toBe('');
    }
  });

  it('pages with next_url until every item was seen once', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/feed.json';
    let pages = 0;
    while (url) {
      const feed: { items: { id: string }[]; next_url?: string } = (await get(url)).json();
      expect(validateJsonFeed(feed)).toEqual([]);
      seen.push(...feed.items.map((i) => i.id));
      // feed_url names the feed, the same on every page.
      expect((feed as { feed_url?: string }).feed_url).toBe(`${BASE}/feed.json`);
      url = feed.next_url ? feed.next_url.slice(BASE.length) : undefined;
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(61);
    expect(new Set(seen).size).toBe(61);
    expect(seen).not.toContain(`${BASE}/statements/${draft.slug}`);
    const bad = await get('/feed.json?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('serves valid Atom with self and alternate links, entries with id, title, updated and content', async () => {
    const res = await get('/feed.atom');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(validateAtom(res.body)).toEqual([]);
    const atom = parseAtom(res.body);
    expect(atom.links).toEqual(expect.arrayContaining([
      { rel: 'self', href: `${BASE}/feed.atom`, type: 'application/atom+xml' },
      { rel: 'alternate', href: `${BASE}/`, type: 'text/html' },
    ]));
    expect(atom.links.find((l) => l.rel === 'next')?.href).toMatch(/^https:\/\/statements\.example\.org\/feed\.atom\?cursor=/);
    const plm = atom.entries.find((e) => e.title === 'No to war')!;
    expect(plm).toMatchObject({ id: `${BASE}/statements/${first.slug}`, content: '<p>Stop the invasion now.</p>', contentType: 'html', authors: ['Partido Lakas ng Masa'] });
    expect(plm.links.find((l) => l.rel === 'enclosure')?.type).toBe('application/pdf');
    expect(res.body).not.toContain('Withdrawn text');
  });

  it('gives each topic its own feeds; a closed topic is expired; an unknown one is a 404 problem', async () => {
    const feed = (await get('/topics/ukraine/feed.json')).json();
    expect(validateJsonFeed(feed)).toEqual([]);
    expect(feed.title).toBe('Asian socialists condemn Russia’s war on Ukraine');
    expect(feed.home_page_url).toBe(`${BASE}/topics/ukraine`);
    expect(feed.expired).toBeUndefined();
    expect(feed.items.map((i: { title: string }) => i.title)).toEqual(['Withdrawn statement', 'Corrected statement', 'Solidarity from Pakistan', 'No to war']);

    const closed = (await get('/topics/closed-topic/feed.json')).json();
    expect(validateJsonFeed(closed)).toEqual([]);
    expect(closed.expired).toBe(true);
    const closedAtom = await get('/topics/closed-topic/feed.atom');
    expect(validateAtom(closedAtom.body)).toEqual([]);
    expect(parseAtom(closedAtom.body).entries.map((e) => e.title)).toEqual(['Old campaign statement']);

    const many = (await get('/topics/many/feed.json')).json();
    expect(many.items).toHaveLength(50);
    const rest = (await get(many.next_url.slice(BASE.length))).json();
    expect(rest.items.map((i: { title: string }) => i.title)).toEqual(['Many 4', 'Many 3', 'Many 2', 'Many 1', 'Many 0']);
    expect(rest.next_url).toBeUndefined();
    const restAtom = parseAtom((await get(`/topics/many/feed.atom?${many.next_url.split('?')[1]}`)).body);
    expect(restAtom.id).toBe(`${BASE}/topics/many/feed.atom`);
    expect(restAtom.links.find((l) => l.rel === 'self')?.href).toBe(`${BASE}/topics/many/feed.atom?${many.next_url.split('?')[1]}`);

    for (const url of ['/topics/nope/feed.json', '/topics/nope/feed.atom']) {
      const missing = await get(url);
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(missing.json().detail).toMatch(/no topic "nope"/i);
    }
  });

  it('lays out a topic page: title, introduction, then one section per statement in the editors’ order', async () => {
    const res = await get('/topics/ukraine');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toContain('<title>Asian socialists condemn Russia’s war on Ukraine – Statements</title>');
    expect(html).toContain('<meta name="description" content="Statements from socialist parties across Asia. More will follow.">');
    expect(html).toContain(`<link rel="alternate" type="application/feed+json" title="Asian socialists condemn Russia’s war on Ukraine (JSON Feed)" href="${BASE}/topics/ukraine/feed.json">`);
    expect(html).toContain(`<link rel="alternate" type="application/atom+xml" title="Asian socialists condemn Russia’s war on Ukraine (Atom)" href="${BASE}/topics/ukraine/feed.atom">`);
    expect(html).toContain('<p>Statements from socialist parties across Asia.</p>');
    const headings = [...html.matchAll(/<h2 class="statement-org">([^<]*)/g)].map((m) => m[1]!.trim());
    expect(headings).toEqual(['Awami Workers Party (AWP)', 'Partido Lakas ng Masa (PLM)', 'Socialist Party of Malaysia']);
    expect(html).toContain(`<h3 class="statement-title" dir="auto"><a href="${BASE}/statements/${first.slug}">No to war</a></h3>`);
    expect(html).toContain('<time datetime="2026-02-24">24 February 2026</time>');
    expect(html).toContain('<p>Stop the invasion now.</p>');
    expect(html).toContain('Sonny Melencio');
    expect(html).not.toMatch(/Withdrawn|Draft text|A draft for the topic/);
    expect(html).not.toMatch(/<script/i);
  });

  it('shows one statement with its original file, 410 for a withdrawn one and a plain 404 page for others', async () => {
    const res = await get(`/statements/${first.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>No to war – Partido Lakas ng Masa</title>');
    expect(res.body).toContain('<h1 class="statement-title" dir="auto">No to war</h1>');
    const fileUrl = `${BASE}/statements/${first.slug}/attachments/${first.message!.attachments[0]!.id}`;
    expect(res.body).toContain(`<a href="${fileUrl}" download>no-to-war.pdf</a>`);

    const file = await get(fileUrl.slice(BASE.length));
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="no-to-war.pdf"; filename*=UTF-8''no-to-war.pdf`);
    expect(file.rawPayload.equals(PDF)).toBe(true);

    const gone = await get(`/statements/${withdrawn.slug}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('This statement was withdrawn on 7 March 2026');
    expect(gone.body).not.toContain('Withdrawn one');

    for (const url of [`/statements/${draft.slug}`, '/statements/no-such-thing', '/topics/no-such-topic']) {
      const missing = await get(url);
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(missing.body).toMatch(/<h1>(Page|Statement) not found<\/h1>/);
    }
  });

  it('lists open topics on the home page, not closed ones, with the feeds', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<a class="topic-link" href="${BASE}/topics/ukraine">Asian socialists condemn Russia’s war on Ukraine</a>`);
    expect(res.body).toContain('<span class="count">3 statements</span>');
    expect(res.body).not.toContain('An old campaign');
    expect(res.body).not.toContain('Not ready yet');
    expect(res.body).toContain(`<link rel="alternate" type="application/feed+json" title="All statements (JSON Feed)" href="${BASE}/feed.json">`);
    const css = await get('/assets/public.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    // Regression: the home page told readers about `_statement` and `withdrawn` (notes for developers).
    expect(res.body).not.toMatch(/_statement|<code>/);
    expect(res.body).toContain('Atom feed');
  });

  it('regression: /favicon.ico was a 404 in every browser visit', async () => {
    const res = await app.inject('/favicon.ico');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/x-icon');
    expect(res.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  });

  it('answers conditional requests with 304 on every public route, and lets a CDN cache briefly', async () => {
    const file = `/statements/${first.slug}/attachments/${first.message!.attachments[0]!.id}`;
    for (const url of ['/feed.json', '/feed.atom', '/topics/ukraine', '/topics/ukraine/feed.json', '/topics/ukraine/feed.atom', `/statements/${first.slug}`, '/', '/assets/public.css', file]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      const etag = res.headers.etag as string;
      const lastModified = res.headers['last-modified'] as string;
      expect(etag, url).toMatch(/^"[^"]+"$/);
      expect(Date.parse(lastModified), url).not.toBeNaN();
      expect(res.headers['cache-control'], url).toBe('public, max-age=60, stale-while-revalidate=300');

      const byTag = await get(url, { 'if-none-match': etag });
      expect(byTag.statusCode, url).toBe(304);
      expect(byTag.body, url).toBe('');
      expect(byTag.headers.etag, url).toBe(etag);
      const byDate = await get(url, { 'if-modified-since': lastModified });
      expect(byDate.statusCode, url).toBe(304);
      const stale = await get(url, { 'if-none-match': '"something-else"' });
      expect(stale.statusCode, url).toBe(200);
    }
  });

  it('changes the ETag of every page and feed showing a statement when it is corrected, published or withdrawn', async () => {
    const urls = ['/feed.json', '/feed.atom', '/topics/ukraine', '/topics/ukraine/feed.json', '/topics/ukraine/feed.atom', '/'];
    const etags = async (list: string[]) => Object.fromEntries(await Promise.all(list.map(async (u) => [u, (await get(u)).headers.etag])));
    const expectAllChanged = (before: Record<string, unknown>, after: Record<string, unknown>) => {
      for (const url of Object.keys(before)) expect(after[url], url).not.toBe(before[url]);
    };

    // The home page lists titles only: a correction of the text leaves it as it was.
    const edited = [...urls.filter((u) => u !== '/'), `/statements/${second.slug}`];
    let before = await etags(edited);
    const current = await t.db.statement.findUniqueOrThrow({ where: { id: second.id } });
    await editStatement(t.db, { id: second.id, expectedVersion: current.version, changes: { bodyText: 'We stand with Ukrainian workers, corrected.' }, actor: 'system', now: new Date() });
    let after = await etags(edited);
    expectAllChanged(before, after);
    after = await etags(urls);
    const feed = (await get('/topics/ukraine/feed.json')).json();
    const item = feed.items.find((i: { title: string }) => i.title === 'Solidarity from Pakistan');
    expect(item._statement.status).toBe('corrected');
    expect(item.content_text).toBe('We stand with Ukrainian workers, corrected.');

    before = after;
    await transitionStatement(t.db, { id: draft.id, action: 'publish', actor: 'system', now: new Date() });
    after = await etags(urls);
    expectAllChanged(Object.fromEntries(urls.map((u) => [u, before[u]])), after);
    expect((await get('/topics/ukraine')).body).toContain('Draft text.');
    expect((await get(`/statements/${draft.slug}`)).statusCode).toBe(200);

    before = after;
    await transitionStatement(t.db, { id: draft.id, action: 'unpublish', reason: 'Sent by mistake', actor: 'system', now: new Date() });
    after = await etags(urls);
    expectAllChanged(before, after);
    expect((await get('/topics/ukraine')).body).not.toContain('Draft text.');
    expect((await get(`/statements/${draft.slug}`)).statusCode).toBe(410);

    // Reordering the topic reorders its page.
    const page = await get('/topics/ukraine');
    const members = await t.db.statement.findMany({ where: { topicId: first.topicId }, orderBy: { topicPosition: 'desc' }, select: { id: true } });
    await setTopicOrder(t.db, { topicId: first.topicId!, statementIds: members.map((m) => m.id), actor: 'system', now: new Date() });
    const reordered = await get('/topics/ukraine');
    expect(reordered.headers.etag).not.toBe(page.headers.etag);
    const headings = [...reordered.body.matchAll(/<h2 class="statement-org">([^<]*)/g)].map((m) => m[1]!.trim());
    expect(headings).toEqual(['Socialist Party of Malaysia', 'Partido Lakas ng Masa (PLM)', 'Awami Workers Party (AWP)']);
  });
});

describe('addresses in any script', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('serves a statement and a topic whose slugs are not Latin, with percent-encoded URLs in the feed', async () => {
    const topic = await createTopic(t.db, { slug: 'україна', title: 'Україна' });
    const s = await createStatement(t.db, { slug: 'заява-солідарності-1a2b3c4d', title: 'Заява солідарності', language: 'uk', topicId: topic.id });
    const feed = (await app.inject('/feed.json')).json();
    expect(feed.items[0].id).toBe(`${BASE}/statements/${encodeURIComponent(s.slug)}`);
    const page = await app.inject(feed.items[0].url.slice(BASE.length));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<article class="statement statement-page" lang="uk">');
    expect((await app.inject(`/topics/${encodeURIComponent('україна')}`)).body).toContain('Заява солідарності');
    expect(validateJsonFeed((await app.inject(`/topics/${encodeURIComponent('україна')}/feed.json`)).json())).toEqual([]);
  });
});
