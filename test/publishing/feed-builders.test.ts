// The pure core of publishing: statement views, JSON Feed and Atom builders, HTTP validators.
import { describe, expect, it } from 'vitest';
import { buildAtomFeed, escapeXml } from '../../src/publishing/atom-feed.ts';
import { buildJsonFeed, type FeedMeta } from '../../src/publishing/json-feed.ts';
import { computeEtag, isNotModified, toHttpDate } from '../../src/publishing/http-cache.ts';
import { originalFileType, publicFileName, toStatementView, type PublicStatementInput } from '../../src/publishing/public-statement.ts';
import { parseAtom, validateAtom, validateJsonFeed } from '../support/feed-validators.ts';

const BASE = 'https://statements.example.org';

function statement(overrides: Partial<PublicStatementInput> = {}): PublicStatementInput {
  return {
    slug: 'solidarity-with-ukraine-1a2b3c4d',
    status: 'published',
    title: 'Solidarity with Ukraine',
    bodyHtml: '<p>We stand with the people of Ukraine.</p>',
    bodyText: 'We stand with the people of Ukraine.',
    organisationName: 'Socialist Alliance',
    organisationShort: 'SA',
    organisation: { name: 'Socialist Alliance', shortName: 'SA', country: 'Australia', website: 'https://sa.example.org' },
    statementDate: new Date('2022-02-25T00:00:00Z'),
    language: 'en',
    signatories: [{ name: 'A. Person', role: 'National convenor' }, { bogus: true }],
    topic: { slug: 'ukraine', title: 'Asian socialists condemn Russia’s war on Ukraine' },
    publishedAt: new Date('2022-03-01T10:00:00Z'),
    firstPublishedAt: new Date('2022-03-01T10:00:00Z'),
    contentUpdatedAt: new Date('2022-03-01T09:00:00Z'),
    unpublishedAt: null,
    message: {
      attachments: [
        { id: '11111111-1111-4111-8111-111111111111', filename: 'statement.pdf', contentType: 'application/octet-stream', size: 12_345, documentType: 'pdf' },
        { id: '22222222-2222-4222-8222-222222222222', filename: 'logo.png', contentType: 'image/png', size: 2_000, documentType: null },
        { id: '33333333-3333-4333-8333-333333333333', filename: 'sig.pdf', contentType: 'application/pdf', size: 10, inline: true, documentType: 'pdf' },
        // Regression: an HTML page sent as "application/pdf" was listed as "(PDF)".
        { id: '44444444-4444-4444-8444-444444444444', filename: 'open-me.pdf', contentType: 'application/pdf', size: 300, documentType: null },
      ],
    },
    ...overrides,
  };
}

const meta: FeedMeta = {
  title: 'Statements',
  description: 'Every statement',
  homePageUrl: `${BASE}/`,
  feedUrl: `${BASE}/feed.json`,
  nextUrl: null,
};

describe('statement view', () => {
  it('keeps only original documents (PDF/DOCX) among attachments, never images or inline parts', () => {
    const view = toStatementView(statement(), { baseUrl: BASE });
    expect(view.attachments.map((a) => [a.filename, a.contentType])).toEqual([['statement.pdf', 'application/pdf']]);
    expect(view.attachments[0]!.url).toBe(`${BASE}/statements/solidarity-with-ukraine-1a2b3c4d/attachments/11111111-1111-4111-8111-111111111111`);
  });

  it.each([
    ['report.pdf', 'application/pdf', 'pdf', 'application/pdf'],
    ['report.docx', 'application/octet-stream', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['REPORT.PDF', '', 'pdf', 'application/pdf'],
    ['report.odt', 'application/vnd.oasis.opendocument.text', 'odt', 'application/vnd.oasis.opendocument.text'],
    ['photo.jpg', 'image/jpeg', null, undefined],
    ['fake.pdf', 'text/html', null, undefined],
    ['invite.ics', 'text/calendar', null, undefined],
    // The bytes must be what the sender claims.
    ['page.html', 'application/pdf', null, undefined],
    ['statement.pdf', 'application/octet-stream', null, undefined],
    ['statement.pdf', 'application/octet-stream', 'docx', undefined],
    ['statement.docx', 'application/pdf', 'docx', undefined],
    // A real PDF claimed as a PDF is served as one whatever its name (which gets ".pdf" added).
    ['evil.html', 'application/pdf', 'pdf', 'application/pdf'],
    ['photo.jpg', 'image/jpeg', 'pdf', undefined],
  ])('%s sent as "%s" with bytes of %s is served as %s', (filename, contentType, documentType, expected) => {
    expect(originalFileType({ filename, contentType, documentType })?.contentType).toBe(expected);
  });

  it.each([
    ['Statement on the strike.pdf', 'Statement on the strike.pdf'],
    ['evil.html', 'evil.html.pdf'],
    ['report.PDF', 'report.pdf'],
    // Right-to-left override: "\u202Efdp.exe" shows as "exe.pdf" but is named "…exe"; stripped, it reads as it is.
    ['invoice\u202Efdp.exe', 'invoicefdp.exe.pdf'],
    ['a\u2066b\u2069c\u200F.pdf', 'abc.pdf'],
    ['line\r\nbreak.pdf', 'line__break.pdf'],
    [null, 'statement.pdf'],
    ['...pdf', 'statement.pdf'],
  ])('lists %j as %j', (filename, expected) => {
    expect(publicFileName(filename, { extension: '.pdf' })).toBe(expected);
  });

  it('caps a long name at 100 characters, keeping the verified extension', () => {
    const name = publicFileName(`${'x'.repeat(3000)}.pdf`, { extension: '.pdf' });
    expect(Array.from(name)).toHaveLength(100);
    expect(name.endsWith('….pdf')).toBe(true);
    expect(Array.from(publicFileName('😀'.repeat(200), { extension: '.pdf' }))).toHaveLength(100);
  });

  it('drops malformed signatories and reads the statement date as a calendar day', () => {
    const view = toStatementView(statement(), { baseUrl: BASE });
    expect(view.signatories).toEqual([{ name: 'A. Person', role: 'National convenor' }]);
    expect(view.date).toEqual({ iso: '2022-02-25', label: '25 February 2022' });
  });

  it('calls a statement corrected only when it was edited after its first publication', () => {
    expect(toStatementView(statement(), { baseUrl: BASE }).status).toBe('published');
    const same = statement({ contentUpdatedAt: new Date('2022-03-01T10:00:00.400Z') });
    expect(toStatementView(same, { baseUrl: BASE }).status).toBe('published');
    const corrected = toStatementView(statement({ contentUpdatedAt: new Date('2022-03-02T08:00:00Z') }), { baseUrl: BASE });
    expect(corrected.status).toBe('corrected');
    expect(corrected.correctedAt?.toISOString()).toBe('2022-03-02T08:00:00.000Z');
  });

  it('tells readers of a statement published again after a withdrawal (date_modified, Atom updated)', () => {
    const again = toStatementView(statement({ publishedAt: new Date('2022-05-01T00:00:00Z'), unpublishedAt: null }), { baseUrl: BASE });
    expect(again.status).toBe('published');
    expect(again.publishedAt?.toISOString()).toBe('2022-03-01T10:00:00.000Z');
    expect(again.modifiedAt?.toISOString()).toBe('2022-05-01T00:00:00.000Z');
    expect(buildJsonFeed(meta, [again]).items[0]!.date_modified).toBe('2022-05-01T00:00:00.000Z');
  });

  it('sanitises the stored HTML again, and falls back to the text when there is no HTML', () => {
    const hostile = toStatementView(statement({ bodyHtml: '<p onclick="x()">Hi<script>alert(1)</script></p>' }), { baseUrl: BASE });
    expect(hostile.bodyHtml).toBe('<p>Hi</p>');
    const plain = toStatementView(statement({ bodyHtml: '', bodyText: 'One <b>\n\nTwo' }), { baseUrl: BASE });
    expect(plain.bodyHtml).toBe('<p>One &lt;b&gt;</p>\n<p>Two</p>');
  });
});

describe('JSON Feed builder', () => {
  it('builds a valid JSON Feed 1.1 with the statement extension', () => {
    const feed = buildJsonFeed(meta, [toStatementView(statement(), { baseUrl: BASE })]);
    expect(validateJsonFeed(feed)).toEqual([]);
    const item = feed.items[0]!;
    expect(item.id).toBe(`${BASE}/statements/solidarity-with-ukraine-1a2b3c4d`);
    expect(item.url).toBe(item.id);
    expect(item.authors).toEqual([{ name: 'Socialist Alliance', url: 'https://sa.example.org' }]);
    expect(item.tags).toEqual(['Asian socialists condemn Russia’s war on Ukraine', 'Australia']);
    expect(item.date_published).toBe('2022-03-01T10:00:00.000Z');
    expect(item.date_modified).toBeUndefined();
    expect(item._statement).toMatchObject({
      status: 'published',
      date: '2022-02-25',
      organisation: { name: 'Socialist Alliance', short_name: 'SA', country: 'Australia' },
      signatories: [{ name: 'A. Person', role: 'National convenor' }],
    });
    expect(item.attachments).toEqual([
      { url: expect.stringContaining('/attachments/11111111'), mime_type: 'application/pdf', title: 'statement.pdf', size_in_bytes: 12_345 },
    ]);
  });

  it('gives a withdrawn statement as a stub: no title, text, author or files', () => {
    const withdrawn = toStatementView(
      statement({ status: 'unpublished', unpublishedAt: new Date('2022-04-01T00:00:00Z') }),
      { baseUrl: BASE },
    );
    const feed = buildJsonFeed(meta, [withdrawn]);
    expect(validateJsonFeed(feed)).toEqual([]);
    const json = JSON.stringify(feed);
    expect(json).not.toContain('Solidarity with Ukraine');
    expect(json).not.toContain('people of Ukraine');
    expect(json).not.toContain('Socialist Alliance');
    expect(json).not.toContain('statement.pdf');
    expect(feed.items[0]!._statement).toMatchObject({ status: 'withdrawn', withdrawn_at: '2022-04-01T00:00:00.000Z' });
    expect(feed.items[0]!.date_modified).toBe('2022-04-01T00:00:00.000Z');
  });

  it('the validator catches what the JSON Feed rules forbid', () => {
    expect(validateJsonFeed({ version: 'https://jsonfeed.org/version/1.1', title: 'x', items: [{ id: 'a' }, { id: 'a', content_text: 'b' }] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/content_html or content_text/), expect.stringMatching(/duplicate id/)]),
    );
    expect(validateJsonFeed({ version: '1', items: {} }).length).toBeGreaterThanOrEqual(3);
    expect(validateJsonFeed({ version: 'https://jsonfeed.org/version/1.1', title: 'x', items: [{ id: 'a', content_text: 'b', date_published: '2022-03-01' }] })).toEqual([
      expect.stringMatching(/RFC 3339/),
    ]);
  });
});

describe('Atom builder', () => {
  const atomMeta = { ...meta, feedUrl: `${BASE}/feed.atom`, pageUrl: `${BASE}/feed.atom`, jsonFeedUrl: `${BASE}/feed.json`, updated: new Date('2022-03-02T00:00:00Z'), authorName: 'statements.example.org' };

  it('writes valid RFC 4287 with titles as text and bodies as escaped HTML', () => {
    const xml = buildAtomFeed(atomMeta, [
      toStatementView(statement({ title: 'Workers <b> & "bosses"' }), { baseUrl: BASE }),
      toStatementView(statement({ slug: 'gone', status: 'unpublished', unpublishedAt: new Date('2022-04-01T00:00:00Z') }), { baseUrl: BASE }),
    ]);
    expect(validateAtom(xml)).toEqual([]);
    const feed = parseAtom(xml);
    expect(feed.entries[0]!.title).toBe('Workers <b> & "bosses"');
    expect(feed.entries[0]!.content).toBe('<p>We stand with the people of Ukraine.</p>');
    expect(feed.entries[1]!.title).toBe('Withdrawn statement');
    expect(xml).not.toContain('people of Ukraine.</p>\n<entry');
  });

  it('regression: entries carried only publication dates, so readers showed 2026 for a 2022 statement', () => {
    const xml = buildAtomFeed(atomMeta, [
      toStatementView(statement({ statementDate: new Date('2022-02-25T00:00:00Z'), publishedAt: new Date('2026-11-30T10:00:00Z'), firstPublishedAt: new Date('2026-11-30T10:00:00Z') }), { baseUrl: BASE }),
      toStatementView(statement({ slug: 'undated', statementDate: null, publishedAt: new Date('2026-11-30T10:00:00Z'), firstPublishedAt: new Date('2026-11-30T10:00:00Z') }), { baseUrl: BASE }),
    ]);
    expect(validateAtom(xml)).toEqual([]);
    expect(xml).toContain('xmlns:dc="http://purl.org/dc/elements/1.1/"');
    const [dated, undated] = xml.split('<entry').slice(1);
    expect(dated).toContain('<published>2022-02-25T00:00:00Z</published>');
    expect(dated).toContain('<dc:date>2022-02-25</dc:date>');
    expect(dated).toContain('<updated>2026-11-30T10:00:00.000Z</updated>');
    expect(undated).toContain('<published>2026-11-30T10:00:00.000Z</published>');
    expect(undated).not.toContain('dc:date');
  });

  it('drops characters XML cannot carry, so one odd email cannot break the whole feed', () => {
    expect(escapeXml('a\u0001b\u0008c\uFFFEd & <e>')).toBe('abcd &amp; &lt;e&gt;');
    const xml = buildAtomFeed(atomMeta, [toStatementView(statement({ title: 'Bell\u0007 ]]> end', bodyHtml: '<p>x\u000b</p>' }), { baseUrl: BASE })]);
    expect(validateAtom(xml)).toEqual([]);
  });

  it('the validator catches a feed without its required elements', () => {
    const problems = validateAtom('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><title>y</title></entry></feed>');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/feed.*id/),
        expect.stringMatching(/feed.*updated/),
        expect.stringMatching(/entry 1.*id/),
        expect.stringMatching(/author/),
      ]),
    );
    expect(validateAtom('<feed><unclosed></feed>')[0]).toMatch(/well-formed/);
  });
});

describe('HTTP validators', () => {
  const etag = computeEtag('body');
  const lastModified = new Date('2022-03-01T10:00:00.750Z');

  it.each([
    [{ 'if-none-match': etag }, true],
    [{ 'if-none-match': `W/${etag}` }, true],
    [{ 'if-none-match': `"other", ${etag}` }, true],
    [{ 'if-none-match': '*' }, true],
    [{ 'if-none-match': '"other"' }, false],
    // If-None-Match decides when present, even when If-Modified-Since would match.
    [{ 'if-none-match': '"other"', 'if-modified-since': 'Tue, 01 Mar 2022 10:00:00 GMT' }, false],
    [{ 'if-modified-since': 'Tue, 01 Mar 2022 10:00:00 GMT' }, true],
    [{ 'if-modified-since': 'Tue, 01 Mar 2022 09:59:59 GMT' }, false],
    [{ 'if-modified-since': 'not a date' }, false],
    [{}, false],
  ])('%j -> not modified: %s', (headers, expected) => {
    expect(isNotModified(headers, { etag, lastModified })).toBe(expected);
  });

  it('makes a strong ETag that changes with any byte, and an HTTP date in whole seconds', () => {
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(computeEtag('body ')).not.toBe(etag);
    expect(toHttpDate(lastModified)).toBe('Tue, 01 Mar 2022 10:00:00 GMT');
  });
});
