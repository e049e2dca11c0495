// Atom (RFC 4287) of published statements, written by hand rather than with the `feed` package:
// that package marks plain-text titles as type="html" (so a title such as "a <b> c" would be read
// as markup) and passes control characters from email text into the XML, which makes the whole
// document unreadable to a strict parser. Here every text node goes through escapeXml.
import { WITHDRAWN_TITLE, withdrawnNotice, type FeedMeta } from './json-feed.ts';
import type { StatementView } from './public-statement.ts';

export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';
/** Dublin Core: `<dc:date>` carries the statement's own date (YYYY-MM-DD), which Atom has no element for. */
export const DUBLIN_CORE_NS = 'http://purl.org/dc/elements/1.1/';

export interface AtomMeta extends FeedMeta {
  /** This page's own URL (rel="self"), with its cursor; feedUrl (the first page) is the feed's id. */
  pageUrl: string;
  /** The JSON Feed twin, offered as another alternate. */
  jsonFeedUrl: string;
  /** Newest change to anything the feed shows; an empty feed still needs a date. */
  updated: Date;
  /** Author of the feed as a whole: required by RFC 4287 when an entry (a withdrawn stub) has none. */
  authorName: string;
}

// Characters XML 1.0 forbids, even escaped (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F).
const INVALID_XML_CHARS = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(INVALID_XML_CHARS, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

function element(name: string, text: string, attributes = ''): string {
  return `<${name}${attributes}>${escapeXml(text)}</${name}>`;
}

function link(rel: string, href: string, type?: string, extra = ''): string {
  return `<link rel="${rel}" href="${escapeXml(href)}"${type ? ` type="${type}"` : ''}${extra}/>`;
}

export function buildAtomFeed(meta: AtomMeta, statements: StatementView[]): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="${DUBLIN_CORE_NS}"${meta.language ? ` xml:lang="${escapeXml(meta.language)}"` : ''}>`,
    element('id', meta.feedUrl),
    element('title', meta.title, ' type="text"'),
    element('subtitle', meta.description, ' type="text"'),
    element('updated', meta.updated.toISOString()),
    `<author>${element('name', meta.authorName)}${element('uri', meta.homePageUrl)}</author>`,
    link('self', meta.pageUrl, 'application/atom+xml'),
    link('alternate', meta.homePageUrl, 'text/html'),
    link('alternate', meta.jsonFeedUrl, 'application/feed+json'),
    ...(meta.nextUrl ? [link('next', meta.nextUrl, 'application/atom+xml')] : []),
    element('generator', 'statement-desk'),
    ...statements.map(toAtomEntry),
    '</feed>',
    '',
  ];
  return lines.join('\n');
}

function toAtomEntry(s: StatementView): string {
  const published = s.publishedAt?.toISOString();
  if (s.status === 'withdrawn') {
    const updated = (s.withdrawnAt ?? s.publishedAt ?? new Date(0)).toISOString();
    return [
      '<entry>',
      element('id', s.url),
      element('title', WITHDRAWN_TITLE, ' type="text"'),
      element('updated', updated),
      ...(published ? [element('published', published)] : []),
      link('alternate', s.url, 'text/html'),
      element('content', withdrawnNotice(s.withdrawnAt), ' type="text"'),
      '</entry>',
    ].join('\n');
  }
  const updated = (s.modifiedAt ?? s.publishedAt ?? new Date(0)).toISOString();
  const lang = s.language ? ` xml:lang="${escapeXml(s.language)}"` : '';
  // Readers show `published` as the entry's date: the statement's own date (a 2022 statement
  // published here in 2026 reads 2022); `updated` keeps when it was published or corrected here.
  const ownDate = s.date ? `${s.date.iso}T00:00:00Z` : published;
  return [
    `<entry${lang}>`,
    element('id', s.url),
    element('title', s.title, ' type="text"'),
    element('updated', updated),
    ...(ownDate ? [element('published', ownDate)] : []),
    ...(s.date ? [element('dc:date', s.date.iso)] : []),
    ...(s.organisation ? [`<author>${element('name', s.organisation.name)}${s.organisation.website ? element('uri', s.organisation.website) : ''}</author>`] : []),
    link('alternate', s.url, 'text/html'),
    ...s.attachments.map((a) =>
      link('enclosure', a.url, escapeXml(a.contentType), ` length="${a.size}" title="${escapeXml(a.filename)}"`),
    ),
    ...(s.topic ? [`<category term="${escapeXml(s.topic.slug)}" label="${escapeXml(s.topic.title)}"/>`] : []),
    ...(s.organisation?.country ? [`<category term="${escapeXml(s.organisation.country)}" label="${escapeXml(s.organisation.country)}"/>`] : []),
    element('content', s.bodyHtml, ' type="html"'),
    '</entry>',
  ].join('\n');
}
