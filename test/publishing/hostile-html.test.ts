// Hostile HTML in a published statement comes out inert in every public output. The row is
// written directly, unsanitised, as if sanitising at ingest or edit had a bug: the public side
// sanitises again at output and must stand on its own.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_PUBLIC_BASE_URL as BASE } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { parseAtom, validateAtom, validateJsonFeed } from '../support/feed-validators.ts';
import { createStatement, createTopic, type TestStatement } from '../support/statements.ts';

const HOSTILE_BODY = `
<p>Visible Qwsafe paragraph with <a href="https://ok.example/read">a fine link</a>.</p>
<script>window.__pwned = 1</script>
<img src="x" onerror="window.__pwned=1">
<a href="javascript:window.__pwned=1">click me</a>
<a href="JaVaScRiPt&#58;alert(1)">encoded</a>
<a href=" &#14;javascript:alert(1)">spaced</a>
<p style="position:fixed;inset:0;background:url(javascript:alert(1))" onclick="x()" onmouseover="x()">style trick</p>
<div style="display:none">hidden text</div>
<iframe src="https://evil.example/frame"></iframe>
<svg onload="alert(1)"><script>alert(1)</script></svg>
<form action="https://evil.example/post"><input name="p"><button formaction="javascript:alert(1)">go</button></form>
<style>body { display: none }</style>
<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data link</a>
<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>
<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x">
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<base href="https://evil.example/">
<link rel="stylesheet" href="https://evil.example/x.css">
<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>
<img src="https://tracker.example/pixel.gif" alt="pixel">
`;

/** Markup that could run, load, restyle or navigate: none of it may reach a reader. */
function findActiveMarkup(html: string): string[] {
  const found: string[] = [];
  // Tags with their quoted attribute values blanked: an escaped "onerror=" inside a value is text.
  const tagsWithoutValues = (html.match(/<[a-z][^>]*>/gi) ?? []).map((tag) => tag.replace(/"[^"]*"|'[^']*'/g, '""')).join('\n');
  if (/\son[a-z]+\s*=/i.test(tagsWithoutValues)) found.push('event handler');
  const checks: [string, RegExp][] = [
    ['script tag', /<script\b/i],
    ['javascript: URL', /\b(href|src|action|formaction|data)\s*=\s*["']?[\s\u0000-\u001f]*(javascript|vbscript|data):/i],
    ['style attribute', /<[^>]*\sstyle\s*=/i],
    ['style element', /<style\b/i],
    ['embedding element', /<(iframe|object|embed|svg|math|form|input|button|base|frame|frameset)\b/i],
    ['image element', /<img\b/i],
    ['meta refresh', /<meta[^>]*http-equiv/i],
    ['foreign stylesheet', /<link[^>]*evil\.example/i],
  ];
  for (const [name, pattern] of checks) if (pattern.test(html)) found.push(name);
  return found;
}

describe('hostile HTML in a published statement is inert', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let statement: TestStatement;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    const topic = await createTopic(t.db, { slug: 'hostile', title: 'Hostile <script>alert(1)</script> topic', introduction: '<p onclick="x()">Intro <script>alert(1)</script></p>' });
    statement = await createStatement(t.db, {
      title: 'Title </title><script>alert(1)</script> "quoted"',
      organisationName: '<img src=x onerror=alert(1)> Org',
      organisationShort: '"><script>alert(1)</script>',
      signatories: [{ name: '<script>alert(1)</script>Signer', role: '<b onmouseover=x()>Role</b>' }],
      language: 'en" onload="alert(1)',
      bodyHtml: HOSTILE_BODY,
      bodyText: 'Visible Qwsafe paragraph.',
      topicId: topic.id,
      topicPosition: 1,
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('the checker finds each kind of active markup (so the tests below can fail)', () => {
    expect(findActiveMarkup(HOSTILE_BODY)).toEqual(expect.arrayContaining(['script tag', 'event handler', 'javascript: URL', 'style attribute', 'style element', 'embedding element', 'image element', 'meta refresh', 'foreign stylesheet']));
  });

  it('keeps the text and safe links in the JSON Feed but nothing active', async () => {
    const feed = (await app.inject('/feed.json')).json();
    expect(validateJsonFeed(feed)).toEqual([]);
    const item = feed.items[0];
    expect(item.content_html).toContain('Visible Qwsafe paragraph');
    expect(item.content_html).toContain('<a href="https://ok.example/read" rel="nofollow noopener noreferrer">a fine link</a>');
    expect(findActiveMarkup(item.content_html)).toEqual([]);
    expect(item.content_html).not.toContain('evil.example');
    // A remote image becomes a plain link: nothing loads when the item is opened.
    expect(item.content_html).toContain('<a href="https://tracker.example/pixel.gif" rel="nofollow noopener noreferrer">[image: pixel]</a>');
  });

  it('escapes everything in Atom: the content, once unescaped, is inert, and the XML stays valid', async () => {
    const res = await app.inject('/feed.atom');
    expect(validateAtom(res.body)).toEqual([]);
    const entry = parseAtom(res.body).entries[0]!;
    expect(entry.title).toBe('Title </title><script>alert(1)</script> "quoted"');
    expect(entry.content).toContain('Visible Qwsafe paragraph');
    expect(findActiveMarkup(entry.content!)).toEqual([]);
  });

  // The editors' preview is checked where it is shown, in a real browser:
  // test/browser/hostile-email.test.ts.
  it('renders the topic page, the statement page and the home page without active markup', async () => {
    const pages = [
      (await app.inject('/topics/hostile')).body,
      (await app.inject(`/statements/${statement.slug}`)).body,
      (await app.inject('/')).body,
    ];
    for (const html of pages) {
      // The page's own stylesheet link is ours; strip the head's known-good tags before checking.
      const body = html.replace(/<link rel="(stylesheet|canonical|alternate)"[^>]*>/g, '');
      expect(findActiveMarkup(body)).toEqual([]);
      expect(html).not.toContain('evil.example');
    }
    expect(pages[1]).toContain('Title &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;');
    expect(pages[0]).toContain('Visible Qwsafe paragraph');
  });

  it('sends a Content-Security-Policy that forbids inline scripts on public pages', async () => {
    const res = await app.inject('/topics/hostile');
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
