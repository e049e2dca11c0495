// GET /submissions/:token: the sender's status page, linked from the acknowledgement. It says only
// where the submission stands (received, being reviewed, published with its public link, or not
// published with the editors' note for the sender, if they wrote one), nothing else of the
// statement or the editors. Unknown tokens get the same 404 as malformed ones. Never cached,
// never indexed, no Referer leaves it (the address is the secret).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findSubmissionStatus, type SubmissionState } from '../../../answers/submissions.ts';
import { SITE_NAME } from '../../../publishing/feeds.ts';
import { feedUrl, homeUrl, PUBLIC_CSS_PATH, statementUrl } from '../../../publishing/public-urls.ts';
import type { PublicRoutesOptions } from './route-options.ts';
import { HTML_CONTENT_TYPE } from './pages.ts';

const STATES: Record<SubmissionState, { heading: string; text: string }> = {
  received: { heading: 'Received', text: 'Your statement has arrived. Our editors have not read it yet.' },
  being_reviewed: { heading: 'Being reviewed', text: 'Our editors are reviewing your statement.' },
  published: { heading: 'Published', text: 'Your statement is published.' },
  not_published: { heading: 'Not published', text: 'Our editors decided not to publish your statement.' },
};
const ORDER: Record<SubmissionState, number> = { received: 0, being_reviewed: 1, published: 2, not_published: 2 };

function stepsFor(state: SubmissionState): { label: string; done: boolean; current: boolean }[] {
  const at = ORDER[state];
  const last: SubmissionState = state === 'not_published' ? 'not_published' : 'published';
  return (['received', 'being_reviewed', last] as const).map((step, index) => ({ label: STATES[step].heading, done: index < at, current: index === at }));
}

export default async function submissionRoutes(app: FastifyInstance, options: PublicRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const baseUrl = options.publicBaseUrl;
  r.get('/submissions/:token', {
    schema: {
      tags: ['public'],
      summary: "A sender's status page (HTML), linked from the acknowledgement: received, being reviewed, published or not published",
      produces: ['text/html'],
      params: z.object({ token: z.string().max(200) }),
    },
  }, async (request, reply) => {
    const status = await findSubmissionStatus(options.db, request.params.token);
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow').header('referrer-policy', 'no-referrer').type(HTML_CONTENT_TYPE);
    const page = (pageTitle: string, body: Record<string, unknown>) => ({
      layout: {
        siteName: SITE_NAME,
        homeUrl: homeUrl(baseUrl),
        cssUrl: PUBLIC_CSS_PATH,
        lang: 'en',
        pageTitle: `${pageTitle} – ${SITE_NAME}`,
        description: 'Where a statement sent to us stands.',
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
    const state = STATES[status.state];
    const html = await app.view('public/submission', page(`Your statement: ${state.heading}`, {
      found: true,
      state: status.state,
      heading: state.heading,
      text: state.text,
      steps: stepsFor(status.state),
      publicUrl: status.slug ? statementUrl(baseUrl, status.slug) : null,
      note: status.note,
    }));
    return reply.send(html);
  });
}
