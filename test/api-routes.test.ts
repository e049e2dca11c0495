// The whole route table: no /api/ route answers without credentials except sign-in; statements
// that are not published are never reachable without authentication on any route; every /api/
// route is documented at /docs/json with a tag and a summary; security headers and the body
// size limit are in place.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../src/app.ts';
import { buildTestApp, createTestEditor, type TestEditor } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { createTestStatement } from './moderation/fixtures.ts';

interface RouteEntry {
  method: string;
  url: string;
}

/** Every route of the app, read from fastify's own route tree (printRoutes). */
function listRoutes(app: FastifyInstance): RouteEntry[] {
  const stack: string[] = [];
  const routes: RouteEntry[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line.replace(/\u00a0/g, ' '));
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = url;
    for (const method of match[3]!.split(', ')) routes.push({ method, url });
  }
  return routes;
}

const fill = (url: string, id: string, slug: string) => url.replace(/:id/g, id).replace(/:slug/g, slug).replace(/\*$/, 'x');

describe('route table', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let routes: RouteEntry[];
  let editor: TestEditor;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    editor = await createTestEditor(t.db);
    routes = listRoutes(app);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('reads the route table (the parser is not silently finding nothing)', () => {
    const api = routes.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(30);
    for (const known of ['POST /api/session', 'PATCH /api/statements/:id', 'POST /api/statements/:id/approve', 'PUT /api/topics/:id/order', 'GET /api/audit', 'GET /api/messages/:id/raw']) {
      expect(api.map((r) => `${r.method} ${r.url}`)).toContain(known);
    }
  });

  it('answers 401 on every /api/ route without credentials, except sign-in', async () => {
    const statement = await createTestStatement(t.db);
    for (const route of routes.filter((r) => r.url.startsWith('/api/'))) {
      if (route.method === 'POST' && route.url === '/api/session') continue;
      const res = await app.inject({
        method: route.method as 'GET',
        url: fill(route.url, statement.id, statement.slug),
        payload: ['POST', 'PUT', 'PATCH'].includes(route.method) ? { title: 'x' } : undefined,
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      if (route.method !== 'HEAD') expect(res.headers['content-type'], `${route.method} ${route.url}`).toMatch(/^application\/problem\+json/);
    }
    // A session cookie that was never issued is no better.
    const forged = await app.inject({ method: 'GET', url: '/api/statements', headers: { cookie: 'sd_session=forged' } });
    expect(forged.statusCode).toBe(401);
  });

  it('never shows a draft, approved, rejected or unpublished statement without authentication', async () => {
    const hidden = await Promise.all(
      (['draft', 'approved', 'rejected', 'unpublished'] as const).map((status) =>
        // The marker is in the title and body only: pages may echo the slug in their 404.
        createTestStatement(t.db, { status, slug: `hidden-${status}-statement`, title: `Secret ${status} title zq${status}`, bodyText: `secret body zq${status}`, bodyHtml: `<p>secret body zq${status}</p>` }),
      ),
    );
    for (const statement of hidden) {
      for (const route of routes.filter((r) => r.method === 'GET')) {
        const res = await app.inject({ method: 'GET', url: fill(route.url, statement.id, statement.slug) });
        expect(res.body, `GET ${route.url} (${statement.status})`).not.toContain(`zq${statement.status}`);
        expect(res.statusCode, `GET ${route.url} (${statement.status})`).not.toBe(500);
      }
    }
    // Control: the same walk does find a published statement, so the check above can fail.
    const published = await createTestStatement(t.db, { status: 'published', slug: 'shown-published-statement', title: 'Shown zqpublished', publishedAt: new Date(), firstPublishedAt: new Date() });
    const shownOn: string[] = [];
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const res = await app.inject({ method: 'GET', url: fill(route.url, published.id, published.slug) });
      if (res.body.includes('zqpublished')) shownOn.push(route.url);
    }
    expect(shownOn.length).toBeGreaterThan(0);
    expect(shownOn.some((url) => url.startsWith('/api/'))).toBe(false);
  });

  it('serves the browsable API page at /docs from its own bundled assets', async () => {
    const page = await app.inject('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    const scripts = [...page.body.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src, 'no script from another site').not.toMatch(/^(https?:)?\/\//);
      const asset = await app.inject(new URL(src, 'http://localhost/docs/').pathname);
      expect(asset.statusCode, src).toBe(200);
    }
  });

  it('documents every /api/ route at /docs/json with a tag and a summary', async () => {
    const doc = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, { tags?: string[]; summary?: string }>> };
    for (const route of routes.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD')) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.url} in /docs/json`).toBeDefined();
      expect(operation!.tags?.length, `${route.method} ${route.url} tags`).toBeGreaterThan(0);
      expect(operation!.summary, `${route.method} ${route.url} summary`).toBeTruthy();
    }
  });

  it('sends security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/statements', headers: editor.headers });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['referrer-policy']).toBeDefined();
  });

  it('refuses a body over the size limit with 413 before touching anything', async () => {
    const statement = await createTestStatement(t.db);
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/statements/${statement.id}`,
      headers: { ...editor.headers, 'if-match': '"1"', 'content-type': 'application/json' },
      payload: JSON.stringify({ bodyText: 'x'.repeat(BODY_LIMIT_BYTES + 10) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('body_too_large');
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).version).toBe(1);
  });
});
