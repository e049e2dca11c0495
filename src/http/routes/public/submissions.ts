// GET /submissions/:token: the sender's status page, linked from the acknowledgement. It says only
// where the submission stands (received, being reviewed, published with its public link, or not
// published with the editors' note for the sender, if they wrote one), nothing else of the
// statement or the editors. Unknown tokens get the same 404 as malformed ones. Never cached,
// never indexed, no Referer leaves it (the address is the secret). Worded in the statement's
// language where the acknowledgement has one (src/answers/status-page-text.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { statusPageText, type StatusPageText } from '../../../answers/status-page-text.ts';
import { findSubmissionStatus, type SubmissionState } from '../../../answers/submissions.ts';
import { SITE_NAME } from '../../../publishing/feeds.ts';
import { feedUrl, homeUrl, PUBLIC_CSS_PATH, statementUrl } from '../../../publishing/public-urls.ts';
import type { PublicRoutesOptions } from './route-options.ts';
import { HTML_CONTENT_TYPE } from './pages.ts';

const ORDER: Record<SubmissionState, number> = { received: 0, being_reviewed: 1, published: 2, not_published: 2 };

function stepsFor(state: SubmissionState, text: StatusPageText): { label: string; done: boolean; current: boolean }[] {
  const at = ORDER[state];
  const last: SubmissionState = state === 'not_published' ? 'not_published' : 'published';
  return (['received', 'being_reviewed', last] as const).map((step, index) => ({ label: text.states[step].heading, done: index < at, current: index === at }));
}

export default async function submissionRoutes(app: FastifyInstance, options: PublicRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const baseUrl = options.publicBaseUrl;
  r.get('/submissions/:token', {
    schema: {
      tags: ['public'],
      summary: "A sender's status page (HTML), linked from the acknowledgement: received, being reviewed, published or not published",
      description:
        "In the statement's language where the acknowledgement has a built-in template (en, fr, es, pt, de, id, ms, tl, ar right to left, ru, zh, ja), English otherwise. " +
        'It shows nothing else of the statement. An unknown or malformed token gets the same 404 page.',
      produces: ['text/html'],
      params: z.object({ token: z.string().max(200) }),
    },
  }, async (request, reply) => {
    const status = await findSubmissionStatus(options.db, request.params.token);
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow').header('referrer-policy', 'no-referrer').type(HTML_CONTENT_TYPE);
    // The statement's language (where the acknowledgement has one) and nothing else of it; an
    // unknown token has no statement, so its 404 is in English.
    const { lang, dir, text } = statusPageText(status?.language);
    const page = (pageTitle: string, body: Record<string, unknown>) => ({
      layout: {
        siteName: SITE_NAME,
        homeUrl: homeUrl(baseUrl),
        cssUrl: PUBLIC_CSS_PATH,
        lang,
        dir,
        followLabel: text.follow,
        pageTitle: `${pageTitle} – ${SITE_NAME}`,
        description: text.description,
        canonicalUrl: homeUrl(baseUrl),
        alternates: [
          { type: 'application/feed+json', title: `All ${SITE_NAME.toLowerCase()} (JSON Feed)`, href: feedUrl(baseUrl, 'json') },
          { type: 'application/atom+xml', title: `All ${SITE_NAME.toLowerCase()} (Atom)`, href: feedUrl(baseUrl, 'atom') },
        ],
      },
      ...body,
    });
    if (!status) {
      const html = await app.view('public/submission', page('Submission not found', { found: false }));
      return reply.code(404).send(html);
    }
    const state = text.states[status.state];
    const html = await app.view('public/submission', page(text.pageTitle.replace('{state}', state.heading), {
      found: true,
      state: status.state,
      heading: text.pageTitle.replace('{state}', state.heading),
      text: state.text,
      labels: { progress: text.progress, done: text.done, now: text.now, readIt: text.readIt, noteHeading: text.noteHeading, privacy: text.privacy },
      steps: stepsFor(status.state, text),
      publicUrl: status.slug ? statementUrl(baseUrl, status.slug) : null,
      note: status.note,
    }));
    return reply.send(html);
  });
}
