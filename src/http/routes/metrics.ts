// GET /metrics: Prometheus text format, for the operator's scraper only. It answers only with
// METRICS_TOKEN as a bearer token (compared in constant time) and is absent (404) without one
// configured, so the public never sees backlog sizes or error counts.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { renderMetrics } from '../../observability/metrics.ts';

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison leaks neither content nor length.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export default async function metricsRoutes(app: FastifyInstance, options: { token: string }) {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match || !sameSecret(match[1]!, options.token)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .type('application/problem+json')
        .send({
          type: 'about:blank',
          title: 'Unauthorized',
          status: 401,
          detail: 'GET /metrics needs the METRICS_TOKEN of this service as a bearer token (Authorization: Bearer <token>).',
        });
    }
    const { contentType, body } = await renderMetrics();
    return reply.header('cache-control', 'no-store').type(contentType).send(body);
  });
}
