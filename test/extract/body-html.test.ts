import { describe, expect, it } from 'vitest';
import { renderBody } from '../../src/extract/body-html.ts';

describe('renderBody', () => {
  it('undoes hard wraps inside a paragraph', () => {
    const { text, html } = renderBody([['The war violates international law and is a', 'catastrophe for people in both countries.']]);
    expect(text).toBe('The war violates international law and is a catastrophe for people in both countries.');
    expect(html).toBe('<p>The war violates international law and is a catastrophe for people in both countries.</p>');
  });

  it.each([
    ['•', ['• one;', '• two.']],
    ['·', ['·         one;', '·         two.']],
    ['*', [' * one;', ' * two.']],
    ['-', ['- one;', '- two.']],
  ])('keeps a "%s" list as a list', (_marker, lines) => {
    const { text, html } = renderBody([['We call for:', ...lines]]);
    expect(text).toBe('We call for:\n\n• one;\n• two.');
    expect(html).toBe('<p>We call for:</p>\n<ul><li>one;</li><li>two.</li></ul>');
  });

  it('keeps numbered lists and joins wrapped items', () => {
    const { text, html } = renderBody([['1. first demand that is long and', '   wraps onto a second line;', '2. second.']]);
    expect(text).toBe('1. first demand that is long and wraps onto a second line;\n2. second.');
    expect(html).toContain('<ol><li>first demand that is long and wraps onto a second line;</li><li>second.</li></ol>');
  });

  it('merges list items that arrive as separate blocks (HTML, DOCX)', () => {
    expect(renderBody([['• one'], ['• two']]).html).toBe('<ul><li>one</li><li>two</li></ul>');
  });

  it('makes a short stand-alone line a sub-heading', () => {
    expect(renderBody([['The role of NATO and the US'], ['Text follows here.']]).html).toBe('<h3>The role of NATO and the US</h3>\n<p>Text follows here.</p>');
  });

  it('escapes markup in the text', () => {
    expect(renderBody([['<script>alert(1)</script> & more.']]).html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more.</p>');
  });

  it('escapes markup in headings, list items and kept lines too (its HTML is not sanitised again)', () => {
    const { html } = renderBody([
      ['<img src=x onerror=alert(1)>'],
      ['• <a href="javascript:alert(1)">one</a>', '• "two" & \'three\''],
      ['<b>short</b>', '<i>lines</i>', '<u>kept</u>'],
    ]);
    expect(html).not.toMatch(/<(img|a|b|i|u)\b/);
    expect(html).toContain('<h3>&lt;img src=x onerror=alert(1)&gt;</h3>');
    expect(html).toContain('<li>&lt;a href=&quot;javascript:alert(1)&quot;&gt;one&lt;/a&gt;</li><li>&quot;two&quot; &amp; &#39;three&#39;</li>');
    expect(html).toContain('<p>&lt;b&gt;short&lt;/b&gt;<br>&lt;i&gt;lines&lt;/i&gt;<br>&lt;u&gt;kept&lt;/u&gt;</p>');
  });
});

describe('renderBody: section rules', () => {
  it('keeps "***" between sections as a plain paragraph', () => {
    expect(renderBody([['First part.'], ['***'], ['Second part.']]).html).toBe('<p>First part.</p>\n<p>***</p>\n<p>Second part.</p>');
  });
});
