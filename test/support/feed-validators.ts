// Validators for what feed readers rely on: the JSON Feed 1.1 rules
// (https://www.jsonfeed.org/version/1.1/) and the required elements of Atom (RFC 4287). Each
// returns a list of problems in words; an empty list means valid.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isRfc3339(value: unknown): boolean {
  return typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const FEED_KEYS = new Set(['version', 'title', 'home_page_url', 'feed_url', 'description', 'user_comment', 'next_url', 'icon', 'favicon', 'authors', 'author', 'language', 'expired', 'hubs', 'items']);
const ITEM_KEYS = new Set(['id', 'url', 'external_url', 'title', 'content_html', 'content_text', 'summary', 'image', 'banner_image', 'date_published', 'date_modified', 'authors', 'author', 'tags', 'language', 'attachments']);

function checkAuthors(value: unknown, where: string, problems: string[]) {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${where}.authors must be a non-empty array`);
    return;
  }
  value.forEach((a: unknown, i) => {
    const author = a as Record<string, unknown>;
    if (typeof a !== 'object' || a === null) return problems.push(`${where}.authors[${i}] must be an object`);
    if (!['name', 'url', 'avatar'].some((k) => typeof author[k] === 'string')) problems.push(`${where}.authors[${i}] needs name, url or avatar`);
    if (author.url !== undefined && !isAbsoluteUrl(author.url)) problems.push(`${where}.authors[${i}].url must be a URL`);
  });
}

function checkUnknownKeys(object: Record<string, unknown>, known: Set<string>, where: string, problems: string[]) {
  for (const key of Object.keys(object)) {
    if (!known.has(key) && !/^_[a-z]/i.test(key)) problems.push(`${where} has "${key}": extensions must start with "_"`);
  }
}

export function validateJsonFeed(feed: unknown): string[] {
  const problems: string[] = [];
  if (typeof feed !== 'object' || feed === null || Array.isArray(feed)) return ['the feed must be a JSON object'];
  const f = feed as Record<string, unknown>;
  if (f.version !== 'https://jsonfeed.org/version/1.1') problems.push('version must be https://jsonfeed.org/version/1.1');
  if (typeof f.title !== 'string' || !f.title) problems.push('title is required and must be a string');
  for (const key of ['home_page_url', 'feed_url', 'next_url', 'icon', 'favicon']) {
    if (f[key] !== undefined && !isAbsoluteUrl(f[key])) problems.push(`${key} must be an absolute URL`);
  }
  for (const key of ['description', 'user_comment', 'language']) {
    if (f[key] !== undefined && typeof f[key] !== 'string') problems.push(`${key} must be a string`);
  }
  if (f.expired !== undefined && typeof f.expired !== 'boolean') problems.push('expired must be a boolean');
  checkAuthors(f.authors, 'feed', problems);
  checkUnknownKeys(f, FEED_KEYS, 'feed', problems);
  if (!Array.isArray(f.items)) {
    problems.push('items is required and must be an array');
    return problems;
  }
  const ids = new Set<string>();
  f.items.forEach((raw: unknown, i) => {
    const where = `items[${i}]`;
    if (typeof raw !== 'object' || raw === null) return problems.push(`${where} must be an object`);
    const item = raw as Record<string, unknown>;
    if (typeof item.id !== 'string' || !item.id) problems.push(`${where}.id is required and must be a string`);
    else if (ids.has(item.id)) problems.push(`${where}: duplicate id ${item.id}`);
    else ids.add(item.id);
    if (item.content_html === undefined && item.content_text === undefined) problems.push(`${where} needs content_html or content_text`);
    for (const key of ['content_html', 'content_text', 'title', 'summary', 'language']) {
      if (item[key] !== undefined && typeof item[key] !== 'string') problems.push(`${where}.${key} must be a string`);
    }
    for (const key of ['url', 'external_url', 'image', 'banner_image']) {
      if (item[key] !== undefined && !isAbsoluteUrl(item[key])) problems.push(`${where}.${key} must be an absolute URL`);
    }
    for (const key of ['date_published', 'date_modified']) {
      if (item[key] !== undefined && !isRfc3339(item[key])) problems.push(`${where}.${key} must be an RFC 3339 date-time`);
    }
    if (item.tags !== undefined && (!Array.isArray(item.tags) || item.tags.some((t) => typeof t !== 'string'))) {
      problems.push(`${where}.tags must be an array of strings`);
    }
    checkAuthors(item.authors, where, problems);
    if (item.attachments !== undefined) {
      if (!Array.isArray(item.attachments)) problems.push(`${where}.attachments must be an array`);
      else
        item.attachments.forEach((a: Record<string, unknown>, j) => {
          if (!isAbsoluteUrl(a.url)) problems.push(`${where}.attachments[${j}].url is required and must be a URL`);
          if (typeof a.mime_type !== 'string' || !a.mime_type) problems.push(`${where}.attachments[${j}].mime_type is required`);
          if (a.size_in_bytes !== undefined && !Number.isInteger(a.size_in_bytes)) problems.push(`${where}.attachments[${j}].size_in_bytes must be a number`);
        });
    }
    checkUnknownKeys(item, ITEM_KEYS, where, problems);
  });
  return problems;
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  isArray: (name) => ['entry', 'link', 'author', 'category', 'id', 'title', 'updated', 'content', 'name', 'published'].includes(name),
});

function textOf(node: unknown): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  const text = (node as XmlNode)['#text'];
  return typeof text === 'string' ? text : text === undefined ? '' : String(text);
}

function list(node: XmlNode, name: string): unknown[] {
  const value = node[name];
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

export interface ParsedAtom {
  id: string | undefined;
  title: string | undefined;
  links: { rel: string; href: string; type?: string }[];
  entries: { id: string | undefined; title: string | undefined; updated: string | undefined; content: string | undefined; contentType: string | undefined; links: { rel: string; href: string; type?: string }[]; authors: string[]; categories: string[] }[];
}

function linksOf(node: XmlNode) {
  return list(node, 'link').map((l) => {
    const link = l as XmlNode;
    return { rel: (link['@rel'] as string | undefined) ?? 'alternate', href: link['@href'] as string, ...(link['@type'] ? { type: link['@type'] as string } : {}) };
  });
}

function parseFeedNode(xml: string): XmlNode {
  const parsed = parser.parse(xml) as XmlNode;
  return parsed.feed as XmlNode;
}

export function parseAtom(xml: string): ParsedAtom {
  const feed = parseFeedNode(xml);
  return {
    id: textOf(list(feed, 'id')[0]),
    title: textOf(list(feed, 'title')[0]),
    links: linksOf(feed),
    entries: list(feed, 'entry').map((e) => {
      const entry = e as XmlNode;
      const content = list(entry, 'content')[0] as XmlNode | string | undefined;
      return {
        id: textOf(list(entry, 'id')[0]),
        title: textOf(list(entry, 'title')[0]),
        updated: textOf(list(entry, 'updated')[0]),
        content: textOf(content),
        contentType: typeof content === 'object' ? (content['@type'] as string | undefined) : undefined,
        links: linksOf(entry),
        authors: list(entry, 'author').map((a) => textOf(list(a as XmlNode, 'name')[0]) ?? ''),
        categories: list(entry, 'category').map((c) => (c as XmlNode)['@term'] as string),
      };
    }),
  };
}

function checkOne(node: XmlNode, name: string, where: string, problems: string[]): unknown {
  const values = list(node, name);
  if (values.length !== 1) problems.push(`${where} must have exactly one atom:${name} (has ${values.length})`);
  return values[0];
}

function checkLinks(node: XmlNode, where: string, problems: string[]) {
  const seen = new Set<string>();
  for (const l of list(node, 'link')) {
    const link = l as XmlNode;
    if (typeof link['@href'] !== 'string' || !link['@href']) problems.push(`${where}: atom:link needs href`);
    const rel = (link['@rel'] as string | undefined) ?? 'alternate';
    if (rel === 'alternate') {
      const key = `${link['@type'] ?? ''}|${link['@hreflang'] ?? ''}`;
      if (seen.has(key)) problems.push(`${where}: two alternate links with the same type and hreflang`);
      seen.add(key);
    }
  }
}

/** RFC 4287 section 4: the elements a feed and its entries must have. */
export function validateAtom(xml: string): string[] {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) return [`not well-formed XML: ${wellFormed.err.msg} (line ${wellFormed.err.line})`];
  const problems: string[] = [];
  const feed = parseFeedNode(xml);
  if (!feed) return ['the root element must be atom:feed'];
  if (feed['@xmlns'] !== 'http://www.w3.org/2005/Atom') problems.push('feed must be in the Atom namespace');
  checkOne(feed, 'id', 'feed', problems);
  checkOne(feed, 'title', 'feed', problems);
  const updated = checkOne(feed, 'updated', 'feed', problems);
  if (updated !== undefined && !isRfc3339(textOf(updated))) problems.push('feed atom:updated must be an RFC 3339 date');
  checkLinks(feed, 'feed', problems);
  if (!linksOf(feed).some((l) => l.rel === 'self')) problems.push('feed should have a link rel="self"');
  const feedHasAuthor = list(feed, 'author').length > 0;
  const ids = new Set<string>();
  list(feed, 'entry').forEach((e, i) => {
    const entry = e as XmlNode;
    const where = `entry ${i + 1}`;
    const id = textOf(checkOne(entry, 'id', where, problems));
    if (id && ids.has(id)) problems.push(`${where}: duplicate atom:id ${id}`);
    if (id) ids.add(id);
    checkOne(entry, 'title', where, problems);
    const entryUpdated = checkOne(entry, 'updated', where, problems);
    if (entryUpdated !== undefined && !isRfc3339(textOf(entryUpdated))) problems.push(`${where}: atom:updated must be an RFC 3339 date`);
    const published = list(entry, 'published')[0];
    if (published !== undefined && !isRfc3339(textOf(published))) problems.push(`${where}: atom:published must be an RFC 3339 date`);
    if (!feedHasAuthor && list(entry, 'author').length === 0) problems.push(`${where} has no atom:author and neither has the feed`);
    for (const a of list(entry, 'author')) if (!textOf(list(a as XmlNode, 'name')[0])) problems.push(`${where}: atom:author needs a name`);
    const contents = list(entry, 'content');
    if (contents.length > 1) problems.push(`${where} has more than one atom:content`);
    if (contents.length === 0 && !linksOf(entry).some((l) => l.rel === 'alternate')) problems.push(`${where} needs atom:content or an alternate link`);
    checkLinks(entry, where, problems);
  });
  return problems;
}
