// Deeply nested or huge HTML must cost a bounded amount of work before it is sanitised
// (src/html/bound-html.ts): a 1 MB email of 200,000 nested elements kept the parser worker busy
// for its whole two-minute limit. Normal HTML must come through the bound untouched.
import { describe, expect, it } from 'vitest';
import { boundHtml, MAX_HTML_CHARS, MAX_HTML_DEPTH } from '../../src/html/bound-html.ts';
import { htmlToText, sanitizeBounded, sanitizeEmailHtml } from '../../src/html/sanitize.ts';

/** Nesting depth of sanitised (well-formed) HTML. */
function depthOf(html: string): number {
  let depth = 0;
  let max = 0;
  for (const [, close, name] of html.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)) {
    if (['br', 'hr', 'img'].includes(name!)) continue;
    depth += close ? -1 : 1;
    max = Math.max(max, depth);
  }
  return max;
}

/** Far below the parser worker's two minutes, far above what the bounded work takes on a busy machine. */
const WELL_UNDER_THE_WORKER_LIMIT_MS = 30_000;

function timed<T>(work: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

const NESTED = 200_000;
const hostile: [string, string][] = [
  ['200,000 nested divs around a word', `${'<div>'.repeat(NESTED)}deep${'</div>'.repeat(NESTED)}`],
  ['200,000 unclosed spans with text', '<span>a'.repeat(NESTED)],
  ['200,000 self-closing divs (they open in HTML)', `${'<div/>'.repeat(NESTED)}deep`],
  ['nesting inside svg foreignObject', `<svg><foreignObject>${'<div/>'.repeat(NESTED)}deep`],
  ['stray end tags under a deep stack', `${'<b>'.repeat(50_000)}${'</x>'.repeat(NESTED)}deep`],
  ['nested tables', `${'<table><tr><td>'.repeat(50_000)}deep`],
];

describe('bounded HTML before sanitising', () => {
  it.each(hostile)('sanitises %s fast, with bounded nesting and the text kept', (_name, html) => {
    const { result, ms } = timed(() => sanitizeBounded(html));
    expect(ms).toBeLessThan(WELL_UNDER_THE_WORKER_LIMIT_MS);
    expect(result.flattened).toBe(true);
    expect(depthOf(result.html)).toBeLessThanOrEqual(MAX_HTML_DEPTH);
    expect(htmlToText(result.html)).toMatch(/a|deep/);
  }, 60_000);

  it('reads the text of 200,000 nested elements fast (extraction reads html-only emails this way)', () => {
    const html = `${'<div>'.repeat(NESTED)}The statement.${'</div>'.repeat(NESTED)}`;
    const { result, ms } = timed(() => htmlToText(html));
    expect(ms).toBeLessThan(WELL_UNDER_THE_WORKER_LIMIT_MS);
    expect(result).toBe('The statement.');
  }, 60_000);

  it('reads the text of 100,000 flat paragraphs fast (their end tags become breaks, which nests their start tags)', () => {
    const html = '<div>line</div>'.repeat(100_000);
    const { result, ms } = timed(() => htmlToText(html));
    expect(ms).toBeLessThan(WELL_UNDER_THE_WORKER_LIMIT_MS);
    expect(result.split('\n\n')).toHaveLength(100_000);
  }, 60_000);

  it('cuts HTML past the size limit, keeping its beginning', () => {
    const html = `<p>First paragraph.</p>${'<p>More text of a very long email.</p>'.repeat(80_000)}`;
    expect(html.length).toBeGreaterThan(MAX_HTML_CHARS);
    const bounded = boundHtml(html);
    expect(bounded.truncated).toBe(true);
    expect(bounded.html.length).toBeLessThanOrEqual(MAX_HTML_CHARS);
    const result = sanitizeBounded(html);
    expect(result.truncated).toBe(true);
    expect(result.html.startsWith('<p>First paragraph.</p>')).toBe(true);
  });

  it('cuts one huge run of text too, without leaving half an entity', () => {
    const result = boundHtml(`<pre>${'a&b '.repeat(1_000_000)}</pre>`, { maxChars: 1001 });
    expect(result.truncated).toBe(true);
    expect(result.html.length).toBeLessThanOrEqual(1001);
    expect(result.html).toMatch(/^<pre>(a&amp;b )+a?(&amp;)?b? ?$/);
  });

  it('keeps the text of style and script elements it flattens hidden', () => {
    const html = `${'<div>'.repeat(150)}<style>p{color:red}</style><script>alert(1)</script>visible`;
    const result = sanitizeBounded(html);
    expect(result.flattened).toBe(true);
    expect(htmlToText(result.html)).toBe('visible');
  });

  it('writes attributes again escaped, and drops names that would read back as something else', () => {
    const html = `${'<div>'.repeat(MAX_HTML_DEPTH)}<b>x</b></div><a href="https://example.org/?a=1&amp;b=&quot;2" title='say "hi"' x"y="1">link</a>`;
    const { html: out, flattened } = boundHtml(`${html}${'<i>'.repeat(200)}`);
    expect(flattened).toBe(true);
    expect(out).toContain('<a href="https://example.org/?a=1&amp;b=&quot;2" title="say &quot;hi&quot;">link</a>');
    expect(sanitizeEmailHtml(out)).toContain('x</div><a href="https://example.org/?a=1&amp;b=&quot;2" title="say &quot;hi&quot;" rel="nofollow noopener noreferrer">link</a>');
  });
});

describe('normal HTML passes the bound untouched', () => {
  const normal: [string, string][] = [
    ['a Gmail message', '<div dir="ltr"><div>Dear editors,</div><div><br></div><div>Please find our statement below.</div><div class="gmail_quote"><blockquote class="gmail_quote" style="margin:0 0 0 .8ex">&gt; quoted &amp; more</blockquote></div></div>'],
    ['an Outlook message', '<html><head><style>p.MsoNormal{margin:0}</style><!--[if gte mso 9]><xml><o:shapedefaults/></xml><![endif]--></head><body lang="EN-GB"><div class="WordSection1"><p class="MsoNormal"><b>Statement</b><o:p></o:p></p><table><tr><td><p>cell</td><td>two</table></div></body></html>'],
    ['unclosed paragraphs and list items', '<p>one<p>two<ul><li>a<li>b</ul><p>three &hellip; &#x1F600;'],
    ['tables nested 30 deep', `${'<table><tr><td>'.repeat(30)}text${'</td></tr></table>'.repeat(30)}`],
  ];

  it.each(normal)('%s', (_name, html) => {
    expect(boundHtml(html)).toEqual({ html, flattened: false, truncated: false });
  });

  it('keeps HTML nested exactly to the limit', () => {
    const html = `${'<div>'.repeat(MAX_HTML_DEPTH)}x${'</div>'.repeat(MAX_HTML_DEPTH)}`;
    expect(boundHtml(html).flattened).toBe(false);
    expect(boundHtml(`<div>${html}</div>`).flattened).toBe(true);
  });
});

describe('the text of HTML, read in the pass that bounds it', () => {
  it('keeps paragraph and line breaks and list items, and hides what the sanitiser drops', () => {
    const html =
      '<html><head><title>Newsletter</title><style>p{margin:0}</style></head><body>' +
      '<h2>Rivers are not drains</h2><p>Harbour Watch asks the council<br>to stop the outflow &amp; act.</p>' +
      '<ul><li>test the water<li>publish the results</ul><script>track()</script><noscript>enable scripts</noscript>' +
      '<p>Entities once: &amp;lt;b&amp;gt; and&nbsp;spaces.</p></body></html>';
    expect(htmlToText(html)).toBe(
      'Rivers are not drains\n\nHarbour Watch asks the council\nto stop the outflow & act.\n\n• test the water\n• publish the results\n\nEntities once: &lt;b&gt; and spaces.',
    );
  });

  it('gives the same text for HTML read before and after it was sanitised for storage', () => {
    const html = `<div>${'<div>'.repeat(MAX_HTML_DEPTH + 20)}<p>Deep words</p><style>x{}</style>${'</div>'.repeat(MAX_HTML_DEPTH + 20)}<p>After.</p></div>`;
    const before = htmlToText(html);
    expect(sanitizeBounded(html).flattened).toBe(true);
    expect(htmlToText(html)).toBe(before);
    expect(before).toBe('Deep words\n\nAfter.');
  });
});
