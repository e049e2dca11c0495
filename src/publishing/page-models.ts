// View-models of the public HTML pages: everything a template prints, already decided here, so
// templates stay dumb and the decisions are testable. Pure.
import { sanitizeEmailHtml, textToHtml } from '../html/sanitize.ts';
import { describeTopic, SITE_NAME } from './feeds.ts';
import { FEED_DOCS_ANCHOR } from './json-feed.ts';
import { toStatementView, type PublicStatementInput, type StatementView } from './public-statement.ts';
import { feedUrl, homeUrl, PUBLIC_CSS_PATH, topicUrl } from './public-urls.ts';
import type { PublicTopicRow } from './queries.ts';

export interface LayoutModel {
  siteName: string;
  homeUrl: string;
  pageTitle: string;
  description: string;
  canonicalUrl: string;
  cssUrl: string;
  lang: string;
  alternates: { type: string; title: string; href: string }[];
}

function feedAlternates(baseUrl: string, title: string, topicSlug?: string): LayoutModel['alternates'] {
  return [
    { type: 'application/feed+json', title: `${title} (JSON Feed)`, href: feedUrl(baseUrl, 'json', topicSlug) },
    { type: 'application/atom+xml', title: `${title} (Atom)`, href: feedUrl(baseUrl, 'atom', topicSlug) },
  ];
}

function layout(baseUrl: string, fields: Omit<LayoutModel, 'siteName' | 'homeUrl' | 'cssUrl' | 'lang'> & { lang?: string }): LayoutModel {
  return { siteName: SITE_NAME, homeUrl: homeUrl(baseUrl), cssUrl: PUBLIC_CSS_PATH, lang: 'en', ...fields };
}

/** Editors write introductions as text; HTML (if a topic carries some) is sanitised like a body. */
export function renderIntroduction(introduction: string): string {
  return /<[a-z][^>]*>/i.test(introduction) ? sanitizeEmailHtml(introduction) : textToHtml(introduction);
}

export interface IndexPageModel {
  layout: LayoutModel;
  topics: { title: string; url: string; description: string; count: number; jsonFeedUrl: string; atomFeedUrl: string }[];
  latest: StatementView[];
  feeds: { jsonFeedUrl: string; atomFeedUrl: string; docsAnchor: string };
}

export function buildIndexPageModel(
  baseUrl: string,
  topics: (Pick<PublicTopicRow, 'slug' | 'title' | 'introduction'> & { statementCount: number })[],
  latest: PublicStatementInput[],
): IndexPageModel {
  return {
    layout: layout(baseUrl, {
      pageTitle: SITE_NAME,
      description: `Statements from organisations, published on ${new URL(baseUrl).host}, grouped by topic.`,
      canonicalUrl: homeUrl(baseUrl),
      alternates: feedAlternates(baseUrl, `All ${SITE_NAME.toLowerCase()}`),
    }),
    // An open topic with nothing published yet is a page still being prepared.
    topics: topics.filter((t) => t.statementCount > 0).map((t) => ({
      title: t.title,
      url: topicUrl(baseUrl, t.slug),
      description: describeTopic(t),
      count: t.statementCount,
      jsonFeedUrl: feedUrl(baseUrl, 'json', t.slug),
      atomFeedUrl: feedUrl(baseUrl, 'atom', t.slug),
    })),
    latest: latest.map((s) => toStatementView(s, { baseUrl })),
    feeds: { jsonFeedUrl: feedUrl(baseUrl, 'json'), atomFeedUrl: feedUrl(baseUrl, 'atom'), docsAnchor: FEED_DOCS_ANCHOR },
  };
}

export interface TopicPageModel {
  layout: LayoutModel;
  topic: { title: string; introductionHtml: string; open: boolean; url: string; jsonFeedUrl: string; atomFeedUrl: string };
  statements: (StatementView & { anchor: string })[];
}

export function buildTopicPageModel(
  baseUrl: string,
  topic: Pick<PublicTopicRow, 'slug' | 'title' | 'introduction' | 'open'>,
  statements: PublicStatementInput[],
): TopicPageModel {
  const url = topicUrl(baseUrl, topic.slug);
  return {
    layout: layout(baseUrl, {
      pageTitle: `${topic.title} – ${SITE_NAME}`,
      description: describeTopic(topic),
      canonicalUrl: url,
      alternates: feedAlternates(baseUrl, topic.title, topic.slug),
    }),
    topic: {
      title: topic.title,
      introductionHtml: renderIntroduction(topic.introduction),
      open: topic.open,
      url,
      jsonFeedUrl: feedUrl(baseUrl, 'json', topic.slug),
      atomFeedUrl: feedUrl(baseUrl, 'atom', topic.slug),
    },
    statements: statements.map((s) => ({ ...toStatementView(s, { baseUrl }), anchor: `s-${s.slug}` })),
  };
}

export interface StatementPageModel {
  layout: LayoutModel;
  statement: StatementView;
}

const PAGE_DESCRIPTION_MAX_CHARS = 200;

export function summarise(text: string, max = PAGE_DESCRIPTION_MAX_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

export function buildStatementPageModel(baseUrl: string, input: PublicStatementInput): StatementPageModel {
  const statement = toStatementView(input, { baseUrl });
  const by = statement.organisation ? ` – ${statement.organisation.name}` : '';
  return {
    layout: layout(baseUrl, {
      pageTitle: `${statement.title}${by}`,
      description: summarise(statement.bodyText) || statement.title,
      canonicalUrl: statement.url,
      alternates: statement.topic
        ? feedAlternates(baseUrl, statement.topic.title, statement.topic.slug)
        : feedAlternates(baseUrl, `All ${SITE_NAME.toLowerCase()}`),
    }),
    statement,
  };
}

export interface MessagePageModel {
  layout: LayoutModel;
  heading: string;
  text: string;
}

export function buildMessagePageModel(baseUrl: string, heading: string, text: string, canonicalUrl: string): MessagePageModel {
  return {
    layout: layout(baseUrl, { pageTitle: `${heading} – ${SITE_NAME}`, description: text, canonicalUrl, alternates: feedAlternates(baseUrl, `All ${SITE_NAME.toLowerCase()}`) }),
    heading,
    text,
  };
}
