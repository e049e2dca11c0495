// Dependencies point down (issue 12): no import cycle between files of src/, and every import
// between top-level parts of src/ (a folder, or a file directly under src/) goes to a lower layer
// of LAYERS, so no two parts can import each other either. Type-only imports count: a cycle of
// types still ties two modules together for whoever changes one of them.
//
// dependency-cruiser reads the imports and resolves them to files, with its swc parser (which
// keeps `import type` and `export ... from`; TypeScript 7 has no compiler API for it to use); the
// checks below are plain graph walks over what it found. `npx vitest run test/architecture` runs
// them alone in a few seconds.
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The top-level parts of src/, highest first. A part may import only parts of a later line;
 * parts on one line do not import each other. docs/architecture.md says what each holds.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['cli.ts'], // the command line; `serve` runs main.ts, `--demo` demo.ts
  ['main.ts', 'demo.ts'], // the service: config, database, HTTP, sources; the demo's data
  ['app.ts'], // buildApp: Fastify without listen
  ['http'], // routes, plugins, schemas, views
  ['retention'], // erasure and retention, the maintenance loop
  ['moderation'], // the editors' work on statements: workflow, edits, corrections, topics
  ['editors'], // accounts, passwords, sessions, tokens, sign-in
  ['ingest'], // sources, store raw, the pipeline and its worker, draft-from-message
  ['answers'], // outbox, acknowledgements, SMTP, loop safety, finding corrections, status page
  ['audit'], // the audit log: its one writer and its reads
  ['publishing', 'observability'], // public queries, feeds, slugs and URLs; metrics
  ['db'], // clients, migrations, SQL and cursor helpers
  ['generated'], // the Prisma client
  ['extract'], // pure extraction rules and the parsed-email model
  ['html'], // HTML bounding and sanitising
  ['config.ts'], // the only reader of process.env
  ['logger.ts'],
  ['net', 'errors.ts', 'file-names.ts'], // OAuth2 tokens and back-off (config.ts reads their defaults); domain errors
];

/**
 * Imports against the layers that are known and waiting for their fix, each named exactly; a new
 * one fails the test, and so does an entry that no longer matches an import. Empty since the
 * audit writer moved into audit/, below everything that records an entry.
 */
const KNOWN_UPWARD_IMPORTS: readonly string[] = [];

interface Edge {
  from: string;
  to: string;
}

let files: Map<string, string[]>;
let edges: Edge[];

function partOf(file: string): string {
  const rest = file.slice('src/'.length);
  const slash = rest.indexOf('/');
  return slash === -1 ? rest : rest.slice(0, slash);
}

/** Strongly connected components with more than one member (Tarjan), each sorted. */
function cycles(nodes: Iterable<string>, next: (node: string) => Iterable<string>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return found;
}

beforeAll(async () => {
  const result = await cruise(['src'], {
    parser: 'swc',
    // Type-only imports are part of the graph (see the header).
    tsPreCompilationDeps: true,
    // The generated Prisma client is a leaf: imports of it count, its own are not read.
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
  });
  const output = result.output as ICruiseResult;
  files = new Map();
  edges = [];
  for (const module of output.modules) {
    if (!module.source.startsWith('src/')) continue;
    const targets = module.dependencies.filter((d) => d.resolved.startsWith('src/')).map((d) => d.resolved);
    files.set(module.source, targets);
    for (const to of targets) edges.push({ from: module.source, to });
  }
}, 120_000);

describe('the dependencies of src/', () => {
  it('reads the whole source tree, type-only imports included', () => {
    expect(files.size).toBeGreaterThan(150);
    // app-deps.ts is imported by `import type` alone: a parser that dropped types would miss it.
    expect(files.get('src/app.ts')).toContain('src/http/app-deps.ts');
  });

  it('has no import cycle between files', () => {
    const found = cycles(files.keys(), (file) => files.get(file) ?? []);
    expect(found.map((c) => c.join(' <-> ')), 'files that import each other, directly or in a loop').toEqual([]);
  });

  it('places every top-level part of src/ in a layer', () => {
    const placed = new Set(LAYERS.flat());
    const unplaced = [...new Set([...files.keys()].map(partOf))].filter((part) => !placed.has(part));
    expect(unplaced, 'add them to LAYERS here and to the folder table of docs/architecture.md').toEqual([]);
  });

  it('imports only downward between top-level parts (layers above)', () => {
    const layerOf = new Map(LAYERS.flatMap((parts, i) => parts.map((part) => [part, i] as const)));
    const known = new Set(KNOWN_UPWARD_IMPORTS);
    const upward = edges
      .filter((e) => partOf(e.from) !== partOf(e.to))
      .filter((e) => (layerOf.get(partOf(e.to)) ?? Infinity) <= (layerOf.get(partOf(e.from)) ?? -Infinity))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(upward.filter((e) => !known.has(e)), 'imports against the layers: move the module, or what it needs, down').toEqual([]);
    expect(KNOWN_UPWARD_IMPORTS.filter((e) => !upward.includes(e)), 'fixed: remove from KNOWN_UPWARD_IMPORTS').toEqual([]);
  });

  it('has no import cycle between top-level parts, once the known upward imports are fixed', () => {
    const known = new Set(KNOWN_UPWARD_IMPORTS);
    const next = new Map<string, Set<string>>();
    for (const e of edges) {
      const [a, b] = [partOf(e.from), partOf(e.to)];
      if (a === b || known.has(`${e.from} -> ${e.to}`)) continue;
      if (!next.has(a)) next.set(a, new Set());
      next.get(a)!.add(b);
    }
    const found = cycles(new Set([...files.keys()].map(partOf)), (part) => next.get(part) ?? []);
    expect(found.map((c) => c.join(' <-> ')), 'top-level parts that import each other').toEqual([]);
  });
});
