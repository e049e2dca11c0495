// Bounds the work that hostile HTML can cause before it reaches sanitize-html (sanitize.ts).
// sanitize-html's cost grows with the nesting depth times the text (each closing element hands
// its text to its parent, the span filter reads it again, and htmlparser2's element stack is an
// array it shifts at the front), so an email of 200,000 nested elements kept the parser worker
// busy for minutes. A linear pass over htmlparser2's tokenizer, with the parser's own nesting
// rules but a stack that costs O(1) a step, measures the depth and the size first: HTML within
// both limits is returned as it is, byte for byte. Beyond them it is written out again: elements
// nested deeper than MAX_HTML_DEPTH lose their tags but keep their text, and past MAX_HTML_CHARS
// the rest is cut off. Safety still comes from the sanitiser that runs after this.
//
// The same pass reads the visible text (htmlText), so that an email's HTML is tokenised once for
// both its bounds and its text: the text is what sanitize.ts's htmlToText gives, and ingest asks
// for the bounds (to sanitise) and the text (to extract) of the same HTML one after the other.
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/** Elements nested deeper than this keep their text but lose their tags. Real mail (Word
 * tables in tables, long quoted threads) stays well under it. */
export const MAX_HTML_DEPTH = 100;
/** HTML beyond this many characters is not sanitised or shown (a statement is a few pages;
 * a Word-made email of ten pages is a few hundred thousand characters). */
export const MAX_HTML_CHARS = 2_000_000;

export interface BoundedHtml {
  html: string;
  /** Elements beyond the depth limit were flattened. */
  flattened: boolean;
  /** The HTML was cut at the size limit. */
  truncated: boolean;
}

export interface HtmlLimits {
  maxDepth?: number;
  maxChars?: number;
}

// htmlparser2's Parser rules (dist/esm/Parser.js), which sanitize-html applies when it reads
// our output: an opening tag closes these open ones at the top of the stack first.
const P = ['p'];
const FORM = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>(([
  ['tr', ['tr', 'th', 'td']], ['th', ['th']], ['td', ['thead', 'th', 'td']], ['body', ['head', 'link', 'script']],
  ['li', ['li']], ['option', ['option']], ['optgroup', ['optgroup', 'option']], ['dd', ['dd', 'dt']], ['dt', ['dd', 'dt']],
  ['rt', ['rt', 'rp']], ['rp', ['rt', 'rp']], ['tbody', ['thead', 'tbody']], ['tfoot', ['thead', 'tbody']],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t) => [t, FORM] as const),
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset',
    'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map((t) => [t, P] as const),
] as (readonly [string, string[]])[]).map(([tag, closes]) => [tag, new Set(closes)]));
const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const FOREIGN = new Set(['math', 'svg']);
const INTEGRATION = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);
/** Elements whose text the sanitiser drops: flattened, their text must not become visible. */
const NON_TEXT = new Set(['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head', 'xml', 'template']);
/** End tags that end a paragraph of the text (htmlText). */
const BREAK_END = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'tr', 'blockquote', 'pre', 'ul', 'ol', 'table']);
/** Names that read back as the same single tag or attribute; anything else is dropped. */
const SAFE_NAME = /^[a-z][a-z0-9:_.-]*$/;
/** How far down the stack an end tag looks for its element (the parser looks all the way: a
 * stray end tag under 200,000 open elements would cost 200,000 steps). */
const END_TAG_REACH = 256;

/** `html` when it is within the limits, else a flattened and/or shortened copy of it. */
export function boundHtml(html: string, limits: HtmlLimits = {}): BoundedHtml {
  const maxDepth = limits.maxDepth ?? MAX_HTML_DEPTH;
  const maxChars = limits.maxChars ?? MAX_HTML_CHARS;
  if (html.length <= maxChars) {
    const tooDeep = maxDepth === MAX_HTML_DEPTH ? read(html).tooDeep : walk(html, maxDepth, Infinity, 'check').tooDeep;
    if (!tooDeep) return { html, flattened: false, truncated: false };
  }
  const { out, tooDeep, full } = walk(html, maxDepth, maxChars, 'write');
  return { html: out.join(''), flattened: tooDeep, truncated: full };
}

/**
 * The visible text of `html`, bounded like boundHtml: the text of the elements the sanitiser keeps
 * (not of style, script and the other NON_TEXT ones), entities decoded, with "\n" for each <br>,
 * "\n\n" for each end tag of a block (BREAK_END) and "\n• " for each list item's start tag.
 * Whitespace is left as it is. HTML past the limits is read as boundHtml writes it again.
 */
export function htmlText(html: string): string {
  if (html.length <= MAX_HTML_CHARS) {
    const reading = read(html);
    if (!reading.tooDeep) return reading.text.join('');
  }
  // Within the limits once written again: read to the end (a stack that deep costs nothing more).
  return walk(boundHtml(html).html, Infinity, Infinity, 'text').text.join('');
}

/**
 * The last HTML read with the default limits and what it gave: ingest sanitises an email's HTML
 * (boundHtml) and then reads its text (htmlText), and classification and extraction read the text
 * again; one pass serves them all. Same string, same answer: the cache cannot go stale.
 */
let lastRead: { html: string; tooDeep: boolean; text: string[] } | undefined;

function read(html: string): { tooDeep: boolean; text: string[] } {
  if (lastRead?.html !== html) {
    const { tooDeep, text } = walk(html, MAX_HTML_DEPTH, Infinity, 'read');
    lastRead = { html, tooDeep, text };
  }
  return lastRead;
}

/**
 * Follows the parser's nesting over `html`. 'check' stops as soon as the depth passes `maxDepth`;
 * 'read' does too, and collects the visible text until then; 'text' collects it all, whatever the
 * depth; 'write' writes the HTML again, flattened below `maxDepth`, up to `maxChars`.
 */
function walk(html: string, maxDepth: number, maxChars: number, mode: 'check' | 'read' | 'text' | 'write') {
  const write = mode === 'write';
  const reading = mode === 'read' || mode === 'text';
  const out: string[] = [];
  const visible: string[] = [];
  /** NON_TEXT elements open around the current point, at any depth (reading). */
  let inNonText = 0;
  /** The start tag read last had attributes ("<br clear=all>" is no line break to the text). */
  let hasAttributes = false;
  let size = 0;
  let full = false;
  let tooDeep = false;
  const stack: string[] = [];
  /** The parser's "foreign content" flags (inside svg or math, self-closing tags close). */
  const foreign: boolean[] = [false];
  /** Flattened elements that hide their text, open around the current point. */
  let hidden = 0;
  let tagName = '';
  let attributes: Record<string, string> | undefined;
  let attributeName = '';
  let attributeValue = '';

  const emit = (piece: string) => {
    if (full || !write) return;
    if (size + piece.length > maxChars) {
      full = true;
      tokenizer.pause();
      return;
    }
    out.push(piece);
    size += piece.length;
  };
  const slice = (start: number, end: number) => html.slice(start, end);
  const push = (name: string) => {
    stack.push(name);
    if (reading && NON_TEXT.has(name)) inNonText++;
    if (stack.length > maxDepth) {
      tooDeep = true;
      if (!write && mode !== 'text') tokenizer.pause();
      if (NON_TEXT.has(name)) hidden++;
    }
  };
  /** Pops the top element; its end tag is written when its start tag was. */
  const pop = () => {
    const level = stack.length;
    const name = stack.pop()!;
    if (reading) {
      if (NON_TEXT.has(name)) inNonText--;
      return;
    }
    if (level > maxDepth) {
      if (NON_TEXT.has(name)) hidden--;
    } else if (SAFE_NAME.test(name)) emit(`</${name}>`);
  };
  const openTag = (name: string) => {
    const closes = OPEN_IMPLIES_CLOSE.get(name);
    while (closes && stack.length && closes.has(stack.at(-1)!)) pop();
    tagName = name;
    attributes = write ? {} : undefined;
    hasAttributes = false;
    if (reading && name.startsWith('li')) see('\n• ');
    if (VOID.has(name)) return;
    push(name);
    if (FOREIGN.has(name)) foreign.push(true);
    else if (INTEGRATION.has(name)) foreign.push(false);
  };
  /** Writes the start tag read last (at the depth it was opened at). */
  const endOpenTag = () => {
    if (reading) {
      if (tagName === 'br' && !hasAttributes) see('\n');
      attributes = undefined;
      return;
    }
    const depth = VOID.has(tagName) ? stack.length + 1 : stack.length;
    if (depth <= maxDepth && SAFE_NAME.test(tagName)) {
      let tag = `<${tagName}`;
      for (const [key, value] of Object.entries(attributes ?? {})) if (SAFE_NAME.test(key)) tag += ` ${key}="${escapeAttribute(value)}"`;
      emit(`${tag}>`);
    }
    attributes = undefined;
  };
  /** Text as the sanitiser would show it (reading). */
  const see = (value: string) => {
    if (inNonText === 0) visible.push(value);
  };
  const text = (value: string) => {
    if (reading) return see(value);
    if (hidden > 0 || full || !write) return;
    const room = maxChars - size;
    const escaped = escapeText(value);
    if (escaped.length <= room) return emit(escaped);
    // A huge run of text (a 20 MB <pre>) is cut, not dropped whole.
    emit(escapeText(value.slice(0, room)).slice(0, room).replace(/&[a-z]*$/, ''));
    full = true;
    tokenizer.pause();
  };

  const callbacks: TokenizerCallbacks = {
    ontext: (start, end) => text(slice(start, end)),
    ontextentity: (codePoint) => text(String.fromCodePoint(codePoint)),
    onopentagname: (start, end) => openTag(slice(start, end).toLowerCase()),
    onopentagend: () => endOpenTag(),
    onselfclosingtag: () => {
      endOpenTag();
      // Outside svg and math, "<div/>" opens a div like "<div>" does.
      if (foreign.at(-1) && stack.at(-1) === tagName) pop();
    },
    onclosetag: (start, end) => {
      const name = slice(start, end).toLowerCase();
      if (reading && BREAK_END.has(name)) see('\n\n');
      if (FOREIGN.has(name) || INTEGRATION.has(name)) foreign.pop();
      if (VOID.has(name)) {
        if (name === 'br' && stack.length < maxDepth) emit('<br>');
        return;
      }
      let at = stack.length - 1;
      const reach = Math.max(0, stack.length - END_TAG_REACH);
      while (at >= reach && stack[at] !== name) at--;
      if (at >= reach) while (stack.length > at) pop();
      else if (name === 'p' && stack.length < maxDepth) emit('<p></p>');
    },
    onattribname: (start, end) => {
      hasAttributes = true;
      if (write) attributeName = slice(start, end).toLowerCase();
    },
    // Only a written tag needs its attributes.
    onattribdata: (start, end) => {
      if (write) attributeValue += slice(start, end);
    },
    onattribentity: (codePoint) => {
      if (write) attributeValue += String.fromCodePoint(codePoint);
    },
    onattribend: () => {
      if (write && attributes && !Object.hasOwn(attributes, attributeName)) attributes[attributeName] = attributeValue;
      attributeValue = '';
    },
    // Comments, CDATA, declarations and processing instructions: the sanitiser drops them.
    oncomment: () => {},
    oncdata: () => {},
    ondeclaration: () => {},
    onprocessinginstruction: () => {},
    onend: () => {},
  };
  const tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: true }, callbacks);
  tokenizer.write(html);
  if (tokenizer.running) tokenizer.end();
  return { out, tooDeep, full, text: visible };
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
