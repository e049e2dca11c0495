// The one module that imports sanitize-html. Email HTML is hostile: this allowlist keeps the
// structure a statement needs (paragraphs, lists, headings, emphasis, tables, links) and drops
// everything that can run or phone home: scripts, styles, event handlers, javascript:/data:
// URLs, forms, frames. Remote images become plain links, so that opening a draft never tells a
// sender (or a tracker) that it was read. Every input is first bounded in depth and size
// (bound-html.ts), so that no HTML costs more than a linear pass and a bounded sanitise; the
// text of HTML comes from that pass alone (htmlToText).
import sanitizeHtml from 'sanitize-html';
import { boundHtml, htmlText, type BoundedHtml } from './bound-html.ts';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'div', 'span', 'blockquote', 'pre', 'code',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark',
  'a',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption',
];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan', 'scope'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Text inside these is dropped with the tag, not kept as loose text.
  nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head', 'xml', 'template'],
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'nofollow noopener noreferrer' },
    }),
    img: (_tagName, attribs): sanitizeHtml.Tag => {
      const src = attribs.src ?? '';
      if (/^https?:\/\//i.test(src)) {
        return { tagName: 'a', attribs: { href: src, rel: 'nofollow noopener noreferrer' }, text: `[image: ${attribs.alt || src}]` };
      }
      // cid: and data: images have no safe public form; keep only their description.
      return { tagName: 'span', attribs: {}, text: attribs.alt ? `[image: ${attribs.alt}]` : '' };
    },
  },
  exclusiveFilter: (frame) => frame.tag === 'span' && !frame.text.trim() && !frame.mediaChildren.length,
};

/** Sanitised HTML safe to store and to show to editors and readers. */
export function sanitizeEmailHtml(html: string): string {
  return sanitizeBounded(html).html;
}

/** sanitizeEmailHtml, saying whether the input went past the depth or size limits. */
export function sanitizeBounded(html: string): BoundedHtml {
  const bounded = boundHtml(html);
  return { ...bounded, html: sanitizeHtml(bounded.html, OPTIONS).trim() };
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

/** Plain text as HTML paragraphs: blank lines separate paragraphs, single newlines become <br>. */
export function textToHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => `<p>${escapeHtml(block).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/**
 * Visible text of (already sanitised or hostile) HTML, with paragraph breaks kept: one bounded
 * pass over it (bound-html.ts htmlText), the pass that bounds it for sanitizeBounded too.
 */
export function htmlToText(html: string): string {
  return htmlText(html)
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
