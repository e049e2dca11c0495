// Only published content is public. Statements in every state carry marker words in every field,
// a sender address, a raw email and attachments; then every public route is fetched (feeds and
// all their pages, topic feeds, pages, every attachment URL of every statement) and searched for
// anything that should not be there.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatementStatus } from '../../src/generated/prisma/enums.ts';
import { buildTestApp, TEST_PUBLIC_BASE_URL as BASE } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { validateAtom, validateJsonFeed } from '../support/feed-validators.ts';
import { createStatement, createTopic, type TestStatement } from '../support/statements.ts';

type Case = { name: string; status: StatementStatus; firstPublishedAt?: Date | null; public: 'full' | 'stub' | 'none' };

const CASES: Case[] = [
  { name: 'published', status: 'published', public: 'full' },
  { name: 'withdrawn', status: 'unpublished', public: 'stub' },
  // Cannot happen through the workflow, but must not surface if a row ever looks like this.
  { name: 'unpublishednever', status: 'unpublished', firstPublishedAt: null, public: 'none' },
  { name: 'draft', status: 'draft', public: 'none' },
  { name: 'approved', status: 'approved', public: 'none' },
  { name: 'rejected', status: 'rejected', public: 'none' },
];

/** Words that must appear only where the case is public in full. */
function markers(name: string) {
  return {
    title: `Zqtitle${name}`,
    body: `Zqbody${name}`,
    organisation: `Zqorg${name}`,
    signatory: `Zqsigner${name}`,
    pdf: `Zqpdf${name}`,
  };
}
/** Words that must never appear anywhere public, whatever the state. */
function secrets(name: string) {
  return { sender: `sender-${name}@leak.example`, senderName: `Zqsendername${name}`, subject: `Zqsubject${name}`, raw: `Zqraw${name}`, image: `Zqimage${name}`, reason: `Zqreason${name}` };
}

describe('nothing but published content is public', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const statements = new Map<string, TestStatement>();
  const responses: { url: string; status: number; body: string }[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    const topic = await createTopic(t.db, { slug: 'leak', title: 'Leak topic' });
    for (const [i, c] of CASES.entries()) {
      const m = markers(c.name);
      const s = secrets(c.name);
      const statement = await createStatement(t.db, {
        status: c.status,
        title: `Statement ${m.title}`,
        bodyHtml: `<p>Text ${m.body}.</p>`,
        bodyText: `Text ${m.body}.`,
        organisationName: `Organisation ${m.organisation}`,
        signatories: [{ name: `Signer ${m.signatory}`, role: 'Secretary' }],
        topicId: topic.id,
        topicPosition: i,
        publishedAt: c.status === 'published' || c.status === 'unpublished' ? new Date(Date.UTC(2026, 2, 1 + i)) : null,
        ...(c.firstPublishedAt !== undefined ? { firstPublishedAt: c.firstPublishedAt } : {}),
        unpublishReason: c.status === 'unpublished' ? `Because ${s.reason}` : null,
        rejectionReason: c.status === 'rejected' ? `Because ${s.reason}` : null,
        message: {
          fromAddress: s.sender,
          fromName: `Press ${s.senderName}`,
          subject: `Statement ${s.subject}`,
          raw: `From: Press <${s.sender}>\r\nSubject: ${s.subject}\r\n\r\n${s.raw}\r\n`,
          attachments: [
            { filename: `${c.name}.pdf`, contentType: 'application/pdf', content: Buffer.from(`%PDF-1.4 ${m.pdf}`) },
            { filename: `${c.name}.png`, contentType: 'image/png', content: Buffer.from(`PNG ${s.image}`) },
          ],
        },
      });
      statements.set(c.name, statement);
    }

    const urls = ['/', '/feed.json', '/feed.atom', '/topics/leak', '/topics/leak/feed.json', '/topics/leak/feed.atom'];
    for (const statement of statements.values()) {
      urls.push(`/statements/${statement.slug}`);
      for (const a of statement.message!.attachments) {
        urls.push(`/statements/${statement.slug}/attachments/${a.id}`);
        // Someone else's file under a published statement's address.
        urls.push(`/statements/${statements.get('published')?.slug ?? statement.slug}/attachments/${a.id}`);
      }
    }
    for (const url of urls) {
      const res = await app.inject({ method: 'GET', url });
      responses.push({ url, status: res.statusCode, body: res.body });
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('shows the published statement in full everywhere it belongs (so the search below can fail)', () => {
    const m = markers('published');
    for (const url of ['/feed.json', '/feed.atom', '/topics/leak', '/topics/leak/feed.json', '/topics/leak/feed.atom', `/statements/${statements.get('published')!.slug}`]) {
      const body = responses.find((r) => r.url === url)!.body;
      for (const word of [m.title, m.body, m.organisation]) expect(body, `${word} in ${url}`).toContain(word);
    }
    expect(responses.find((r) => r.url === '/')!.body).toContain(m.title);
  });

  it('leaks no text, name, signatory or file of a statement that is not published', () => {
    for (const c of CASES.filter((c) => c.public !== 'full')) {
      for (const word of Object.values(markers(c.name))) {
        const leaking = responses.filter((r) => r.body.includes(word)).map((r) => r.url);
        expect(leaking, `${c.name}: "${word}"`).toEqual([]);
      }
    }
  });

  it('never shows a sender, subject, raw email, rejection or withdrawal reason, or a non-document attachment', () => {
    for (const c of CASES) {
      for (const word of Object.values(secrets(c.name))) {
        const leaking = responses.filter((r) => r.body.includes(word)).map((r) => r.url);
        expect(leaking, `${c.name}: "${word}"`).toEqual([]);
      }
    }
    for (const r of responses) expect(r.body, r.url).not.toMatch(/@leak\.example/);
  });

  it('keeps a withdrawn statement in the feeds as a stub, and nothing of the others', () => {
    for (const url of ['/feed.json', '/topics/leak/feed.json']) {
      const feed = JSON.parse(responses.find((r) => r.url === url)!.body);
      expect(validateJsonFeed(feed)).toEqual([]);
      const byId = new Map(feed.items.map((i: { id: string }) => [i.id, i]));
      expect(byId.size).toBe(2);
      expect(byId.get(`${BASE}/statements/${statements.get('withdrawn')!.slug}`)).toMatchObject({ title: 'Withdrawn statement', _statement: { status: 'withdrawn' } });
      expect(byId.get(`${BASE}/statements/${statements.get('published')!.slug}`)).toMatchObject({ _statement: { status: 'published' } });
    }
    for (const url of ['/feed.atom', '/topics/leak/feed.atom']) expect(validateAtom(responses.find((r) => r.url === url)!.body)).toEqual([]);
  });

  it('serves only the published statement’s own PDF; every other file address is a 404', () => {
    const published = statements.get('published')!;
    const pdf = published.message!.attachments.find((a) => a.filename === 'published.pdf')!;
    const ok = responses.filter((r) => r.url.includes('/attachments/') && r.status === 200).map((r) => r.url);
    expect(ok).toEqual([`/statements/${published.slug}/attachments/${pdf.id}`, `/statements/${published.slug}/attachments/${pdf.id}`]);
    // The crawl asked for other statements' files too: without them this would check nothing.
    const refused = responses.filter((r) => r.url.includes('/attachments/') && r.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.status, r.url).toBe(404);
  });

  it('answers statement pages: 200 published, 410 withdrawn, 404 for the rest', () => {
    for (const c of CASES) {
      const res = responses.find((r) => r.url === `/statements/${statements.get(c.name)!.slug}`)!;
      expect(res.status, c.name).toBe(c.public === 'full' ? 200 : c.public === 'stub' ? 410 : 404);
    }
  });
});
