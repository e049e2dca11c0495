// The data-access rule (docs/architecture.md, "Reaching the database"): only src/db/ and the
// data-access modules listed here call the database client, Prisma or node-postgres. Route
// handlers, the CLI, the composition root and domain logic call named functions of those
// modules. A new module that needs the database is added to DATA_ACCESS_MODULES with the
// aggregate it serves, which makes the choice visible in review.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanSource, sourceFiles } from './support/source-scan.ts';

const require = createRequire(import.meta.url);
const schemaWasm = require('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string };

/** Files besides src/db/ that may call the client, by the aggregate whose queries they own. */
const DATA_ACCESS_MODULES: Record<string, string> = {
  'src/audit/audit.ts': 'audit: the one writer of audit entries',
  'src/audit/audit-queries.ts': 'audit: reads of the log',

  'src/ingest/message-queries.ts': 'messages: reads for the API, the editors’ pages and GET /ready',
  'src/ingest/pipeline-queries.ts': 'messages: the pipeline’s reads, and the organisation registry as extraction matches it',
  'src/ingest/store-raw.ts': 'messages: raw storage and the one mailbox-checkpoint writer (node-postgres)',
  'src/ingest/write-outcome.ts': 'messages: an outcome and its draft, attachments, correction (node-postgres)',
  'src/ingest/write-chunk.ts': 'messages: the transaction that commits a chunk of outcomes (node-postgres)',
  'src/ingest/likely-duplicates.ts': 'statements: the likely-duplicate check at ingest (node-postgres)',
  'src/ingest/sources/mailbox-lock.ts': 'mailboxes: the advisory lock of one polling process (node-postgres)',

  'src/moderation/statement-queries.ts': 'statements: the queue, its search and counts (node-postgres), one statement',
  'src/moderation/statement-lookups.ts': 'statements: small reads for pages and the API',
  'src/moderation/transitions.ts': 'statements: workflow moves',
  'src/moderation/edit-statement.ts': 'statements: edits and revisions',
  'src/ingest/draft-from-message.ts': 'statements: the draft made from an ignored email (the pipeline’s writer)',
  'src/publishing/queries.ts': 'statements: the public read side',
  'src/moderation/topics.ts': 'topics',
  'src/moderation/organisations.ts': 'organisations',
  'src/moderation/teach-registry.ts': 'organisations: the registry taught from a statement, and the open drafts it re-labels',
  'src/moderation/rejection-reasons.ts': 'rejection reasons',

  'src/editors/editors.ts': 'editors',
  'src/editors/sessions.ts': 'editors: sessions',
  'src/editors/tokens.ts': 'editors: API tokens',
  'src/editors/sign-in.ts': 'editors: sign-in and sign-out',
  'src/editors/sign-in-limiter.ts': 'editors: the failed-attempt counters (node-postgres)',
  'src/moderation/editor-accounts.ts': 'editors: accounts as administrators manage them',

  'src/answers/outbox-store.ts': 'outbox: the sender loop’s leases and outcomes (node-postgres)',
  'src/answers/acknowledge.ts': 'outbox: the acknowledgement written with a draft (node-postgres)',
  'src/answers/find-correction.ts': 'statement corrections: which statement a reply corrects',
  'src/moderation/corrections.ts': 'statement corrections',
  'src/answers/submissions.ts': 'submissions: status pages and sender notes',
  'src/answers/editor-view.ts': 'outbox and submissions as editors see them',
  'src/answers/mail-templates.ts': 'mail templates',
  'src/answers/templates.ts': 'mail templates: the override of one',
  'src/answers/answer-start.ts': 'answer starts',

  'src/retention/erase.ts': 'erasure and retention across messages and statements (node-postgres)',
  'src/observability/metrics.ts': 'metrics: counts per status (node-postgres)',
};

const PRISMA_METHODS = [
  'findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'create', 'createMany', 'createManyAndReturn',
  'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany', 'count', 'aggregate', 'groupBy',
];

/** Patterns of a call to the client in code (strings and comments left out). */
function clientCallPatterns(modelNames: string[]): RegExp[] {
  const delegates = modelNames.map((m) => m[0]!.toLowerCase() + m.slice(1)).join('|');
  return [
    new RegExp(String.raw`\b\w+\s*\.\s*(?:${delegates})\s*\.\s*(?:${PRISMA_METHODS.join('|')})\s*\(`, 'g'),
    /\$(?:queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe|transaction)\b/g,
    /\bpoolOf\s*\(/g,
    /\binPgTransaction\s*\(/g,
    /\.query\s*(?:<[^()]*?>)?\s*\(/g,
  ];
}

function clientCalls(source: string, patterns: RegExp[]): string[] {
  const { code } = scanSource(source);
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((m) => `line ${code.slice(0, m.index).split('\n').length}: ${m[0].replace(/\s+/g, '')}`));
}

describe('the data-access rule', () => {
  const root = new URL('..', import.meta.url).pathname;
  let patterns: RegExp[];

  beforeAll(async () => {
    const schema = await readFile(path.join(root, 'prisma/schema.prisma'), 'utf8');
    const models = (JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: schema }))) as { datamodel: { models: { name: string }[] } }).datamodel.models;
    patterns = clientCallPatterns(models.map((m) => m.name));
  });

  it('lets only src/db/ and the data-access modules call the database client', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(path.join(root, 'src'))) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      if (relative.startsWith('src/db/') || relative in DATA_ACCESS_MODULES) continue;
      for (const call of clientCalls(await readFile(file, 'utf8'), patterns)) offenders.push(`${relative} ${call}`);
    }
    // A file listed here calls the client directly; move the query into the aggregate's module
    // (see DATA_ACCESS_MODULES) and call that function instead.
    expect(offenders).toEqual([]);
  });

  it('lists only modules that exist and reach the database (a moved or emptied module is taken off the list)', async () => {
    const stale: string[] = [];
    for (const file of Object.keys(DATA_ACCESS_MODULES)) {
      const source = await readFile(path.join(root, file), 'utf8').catch(() => null);
      if (source === null) stale.push(`${file}: no such file`);
      else if (clientCalls(source, patterns).length === 0) stale.push(`${file}: calls no client`);
    }
    expect(stale).toEqual([]);
  });

  it('sees a client call in code, and not in a comment or a string', () => {
    const source = [
      "// db.statement.findMany({}) in a comment is not a call",
      "const text = 'poolOf(db).query(\"SELECT 1\")';",
      'export async function handler(db: Db) {',
      '  const rows = await db.statement',
      '    .findMany({ where: { status: "draft" } });',
      '  await db.$transaction(async (tx) => tx.topic.update({ where: { id }, data: {} }));',
      '  const { rows: n } = await poolOf(db).query<{ n: number }>(`SELECT ${1}`);',
      '}',
    ].join('\n');
    expect(clientCalls(source, patterns)).toEqual([
      'line 4: db.statement.findMany(',
      'line 6: tx.topic.update(',
      'line 6: $transaction',
      'line 7: poolOf(',
      'line 7: .query<{n:number}>(',
    ]);
  });
});
