// The statement body as editors will publish it: paragraphs with hard line wraps undone, bullet
// and numbered lists kept as lists, short stand-alone lines as sub-headings; as plain text and as
// sanitised HTML. Pure.
import { escapeHtml } from '../html/sanitize.ts';
import { isBulletLine } from './line-kinds.ts';

type Part = { kind: 'p'; text: string } | { kind: 'h'; text: string } | { kind: 'ul' | 'ol'; items: string[] } | { kind: 'lines'; lines: string[] };

const ORDERED = /^\s*(?:\d{1,2}[.)]|\(\d{1,2}\))\s+/;
const MARKER = /^\s*(?:[•·▪◦●‣∙*o–—-]|\d{1,2}[.)]|[a-z][.)]|\(\d{1,2}\)|\([a-z]\))\s+/u;
/** A block of at least this many lines all shorter than this is verse or an address: keep its lines. */
const SHORT_LINE_CHARS = 45;
const MIN_KEPT_LINES = 3;

function joinWrapped(lines: string[]): string {
  // Pieces joined once at the end: testing the end of a growing string each line (endsWith on a
  // rope flattens it) made a paragraph of many thousand lines take half a minute.
  const pieces: string[] = [];
  /** The joined text so far ends with this piece (the last non-empty one); '' while it is empty. */
  let end = '';
  for (const line of lines) {
    const t = line.trim();
    // A word broken at a line end ("de-\nescalate") stays one word, hyphen kept.
    const piece = !end ? t : end.endsWith('-') && /^[\p{Ll}]/u.test(t) ? t : ` ${t}`;
    pieces.push(piece);
    if (piece) end = piece;
  }
  return pieces.join('');
}

function toParts(blocks: string[][]): Part[] {
  const parts: Part[] = [];
  for (const block of blocks) {
    let paragraph: string[] = [];
    let list: { kind: 'ul' | 'ol'; items: string[] } | undefined;
    const flushParagraph = () => {
      if (!paragraph.length) return;
      const single = paragraph.length === 1 ? paragraph[0]!.trim() : '';
      // A rule ("***") between sections stays a plain paragraph, not a sub-heading.
      if (single && /^[*_~=·•–—-](?:\s*[*_~=·•–—-]){2,}$/.test(single)) parts.push({ kind: 'lines', lines: [single] });
      else if (single && single.split(/\s+/).length <= 12 && !/[.,;:!?…)"”’]$/.test(single)) parts.push({ kind: 'h', text: single });
      else if (paragraph.length >= MIN_KEPT_LINES && paragraph.every((l) => l.trim().length < SHORT_LINE_CHARS)) parts.push({ kind: 'lines', lines: paragraph.map((l) => l.trim()) });
      else parts.push({ kind: 'p', text: joinWrapped(paragraph) });
      paragraph = [];
    };
    for (const line of block) {
      if (isBulletLine(line)) {
        flushParagraph();
        const kind = ORDERED.test(line) ? 'ol' : 'ul';
        const previous = parts.at(-1);
        if (!list && previous && (previous.kind === 'ul' || previous.kind === 'ol') && previous.kind === kind) list = previous;
        if (!list || list.kind !== kind) {
          list = { kind, items: [] };
          parts.push(list);
        }
        list.items.push(line.replace(MARKER, '').trim());
      } else if (list && /^\s{2,}\S/.test(line)) {
        list.items[list.items.length - 1] = joinWrapped([list.items.at(-1)!, line]);
      } else if (list && paragraph.length === 0 && !/^\s*$/.test(line) && list.items.length && !/[.;:!?]$/.test(list.items.at(-1)!)) {
        // An unindented continuation of a wrapped list item.
        list.items[list.items.length - 1] = joinWrapped([list.items.at(-1)!, line]);
      } else {
        list = undefined;
        paragraph.push(line);
      }
    }
    flushParagraph();
  }
  return parts;
}

export function renderBody(blocks: string[][]): { text: string; html: string } {
  const parts = toParts(blocks);
  const text = parts
    .map((p) => {
      if ('items' in p) return p.items.map((i, n) => (p.kind === 'ol' ? `${n + 1}. ${i}` : `• ${i}`)).join('\n');
      if ('lines' in p) return p.lines.join('\n');
      return p.text;
    })
    .join('\n\n');
  const html = parts
    .map((p) => {
      if ('items' in p) return `<${p.kind}>${p.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</${p.kind}>`;
      if (p.kind === 'h') return `<h3>${escapeHtml(p.text)}</h3>`;
      if ('lines' in p) return `<p>${p.lines.map(escapeHtml).join('<br>')}</p>`;
      return `<p>${escapeHtml(p.text)}</p>`;
    })
    .join('\n');
  // Safe by construction: every piece of text went through escapeHtml, and the only tags are the
  // fixed ones above, so running the sanitiser over it again would only cost time.
  return { text, html };
}
