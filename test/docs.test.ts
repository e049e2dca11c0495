// The docs stay true to the code (issue 12): the README's configuration table names exactly the
// variables of src/config.ts's schema; every route of the OpenAPI document is named in docs/ and
// no /api route named there is missing from it; every relative link in README.md and docs/*.md
// reaches an existing file, and a heading when it names one.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../src/config.ts';
import { buildTestApp } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

async function markdownFiles(): Promise<string[]> {
  const docs = (await readdir(path.join(ROOT, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f));
  return ['README.md', ...docs.sort()];
}

/** The text outside fenced code blocks: their `# comments` are not headings, their brackets not links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of prose(markdown).matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const slug = slugOf(match[1]!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The section of `markdown` under `heading`, up to the next heading of its level or higher. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = heading.indexOf(' ');
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/** `/api/statements/:id/{approve,publish}` and `/api/organisations[/:id]` as the paths they stand for. */
function expandRoute(route: string): string[] {
  const braces = /\{([^{}]*,[^{}]*)\}/.exec(route);
  if (braces) return braces[1]!.split(',').flatMap((part) => expandRoute(route.replace(braces[0], part.trim())));
  const optional = /\[([^[\]]*)\]/.exec(route);
  if (optional) return [...expandRoute(route.replace(optional[0], '')), ...expandRoute(route.replace(optional[0], optional[1]!))];
  return [route.replace(/\/+$/, '') || '/'];
}

/** Every path written in backticks in the docs (`GET /api/topics/:id`, `/feed.json`), expanded. */
function documentedPaths(markdown: string): Set<string> {
  const paths = new Set<string>();
  for (const code of markdown.matchAll(/`([^`\n]+)`/g)) {
    for (const token of code[1]!.matchAll(/(?:^|[\s(])(\/[^\s`?#)]*)/g)) {
      for (const route of expandRoute(token[1]!)) paths.add(route);
    }
  }
  return paths;
}

/** OpenAPI's `/api/statements/{id}` as the docs write it: `/api/statements/:id`. */
function colonParams(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

/** A path of the docs and one of OpenAPI are the same route when they differ only in parameter names. */
function routeShape(route: string): string {
  return route.replace(/:[^/]+/g, ':');
}

describe('docs that stay true', () => {
  it('the configuration table names exactly the variables of the config schema', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const table = section(readme, '## Configuration')
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    const documented = new Set(table.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!)));
    const schema = Object.keys(configSchema.shape);
    expect(schema.filter((name) => !documented.has(name)), 'in src/config.ts, missing from the README table').toEqual([]);
    expect([...documented].filter((name) => !schema.includes(name)), 'in the README table, unknown to src/config.ts').toEqual([]);
  });

  it('every relative link in README.md and docs/ reaches a file, and its heading when it names one', async () => {
    const broken: string[] = [];
    for (const file of await markdownFiles()) {
      const text = await readFile(path.join(ROOT, file), 'utf8');
      for (const match of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = match[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
        const [target, anchor] = link.split('#') as [string, string | undefined];
        const resolved = target === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), target);
        const exists = await stat(resolved).then(() => true, () => false);
        if (!exists) {
          broken.push(`${file}: ${link} (no such file)`);
          continue;
        }
        if (anchor && resolved.endsWith('.md') && !anchorsOf(await readFile(resolved, 'utf8')).has(anchor)) {
          broken.push(`${file}: ${link} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  describe('the routes of the OpenAPI document', () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let openApi: string[];
    let documented: Set<string>;

    beforeAll(async () => {
      t = await createTestDatabase();
      app = await buildTestApp(t.db);
      const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
      openApi = Object.keys(doc.paths).map(colonParams);
      documented = new Set();
      for (const file of await markdownFiles()) {
        for (const route of documentedPaths(await readFile(path.join(ROOT, file), 'utf8'))) documented.add(routeShape(route));
      }
    });

    afterAll(async () => {
      await app?.close();
      await t?.drop();
    });

    it('are each named in README.md or docs/', () => {
      expect(openApi.length).toBeGreaterThan(30);
      expect(openApi.filter((route) => !documented.has(routeShape(route)))).toEqual([]);
    });

    it('include every /api route the docs name', () => {
      const known = new Set(openApi.map(routeShape));
      const unknown = [...documented].filter((route) => route.startsWith('/api/') && !known.has(route));
      expect(unknown).toEqual([]);
    });
  });
});
