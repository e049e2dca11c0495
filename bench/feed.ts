// Benchmark: GET /feed.json with 1,000 published statements, against a bare Fastify route that
// returns a pre-built body of the same bytes, in the same run, under autocannon on loopback.
// Prints requests/s for both, their ratio and p99 latency; the target is at least 70% of the
// bare route's throughput. Run through `npm run bench`, or alone: node --import tsx bench/feed.ts
//
// Database: a scratch database from scripts/scratch-database.ts, dropped at the end.
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../src/app.ts';
import { closeDb, createDb, type Db } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { createScratchDatabase } from '../scripts/scratch-database.ts';

const STATEMENT_COUNT = 1_000;
/** Rounds alternate between the two routes, so load from elsewhere on the machine hits both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const ROUND_S = 2;
const WARMUP_S = 2;
const CONNECTIONS = 10;
const TARGET_RATIO = 0.7;
const PUBLIC_BASE_URL = 'https://statements.example.org';

const PARAGRAPH =
  'We, the undersigned organisations, condemn the invasion and call for an immediate ceasefire, the withdrawal of all troops and solidarity with the working people on both sides of the border. ';

async function seedStatements(db: Db): Promise<void> {
  const topic = await db.topic.create({ data: { slug: 'bench', title: 'Benchmark topic', introduction: 'Statements for the benchmark.' } });
  const org = await db.organisation.create({ data: { name: 'Bench Workers Party', shortName: 'BWP', country: 'Philippines' } });
  const start = Date.UTC(2024, 0, 1);
  await db.statement.createMany({
    data: Array.from({ length: STATEMENT_COUNT }, (_, i) => {
      const publishedAt = new Date(start + i * 3_600_000);
      const text = `${PARAGRAPH.repeat(3)}\n\n${PARAGRAPH.repeat(2)}`;
      return {
        id: randomUUID(),
        slug: `bench-statement-${i}`,
        status: 'published' as const,
        title: `Benchmark statement number ${i}`,
        organisationId: org.id,
        organisationName: org.name,
        organisationShort: org.shortName,
        statementDate: new Date(start + i * 3_600_000 - 86_400_000),
        language: 'en',
        bodyHtml: `<p>${PARAGRAPH.repeat(3)}</p>\n<p>${PARAGRAPH.repeat(2)}</p>`,
        bodyText: text,
        signatories: [{ name: 'A. Signer', role: 'Secretary' }],
        topicId: topic.id,
        topicPosition: i,
        publishedAt,
        firstPublishedAt: publishedAt,
        contentUpdatedAt: publishedAt,
      };
    }),
  });
}

interface LoadResult {
  requests: number;
  seconds: number;
  /** p99 latency of each round; the report gives their median. */
  p99sMs: number[];
  non2xx: number;
  errors: number;
}

const emptyResult = (): LoadResult => ({ requests: 0, seconds: 0, p99sMs: [], non2xx: 0, errors: 0 });

async function load(url: string, durationS: number, into: LoadResult = emptyResult()): Promise<LoadResult> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: durationS });
  into.requests += result.requests.total;
  into.seconds += result.duration;
  into.p99sMs.push(result.latency.p99);
  into.non2xx += result.non2xx;
  into.errors += result.errors;
  return into;
}

const perSecond = (r: LoadResult) => r.requests / r.seconds;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function addressOf(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server is not listening on TCP');
  return `http://127.0.0.1:${address.port}`;
}

export default async function run(): Promise<void> {
  const scratch = await createScratchDatabase();
  const db = createDb(scratch.url, { maxConnections: 10 });
  const logger = createLogger('warn');
  let app: FastifyInstance | undefined;
  let bare: FastifyInstance | undefined;
  try {
    await seedStatements(db);
    app = await buildApp({ db, logger, config: { publicBaseUrl: PUBLIC_BASE_URL, sessionTtlMs: 3_600_000 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const feedUrl = `${addressOf(app)}/feed.json`;
    const first = await fetch(feedUrl);
    if (first.status !== 200) throw new Error(`GET /feed.json answered ${first.status}`);
    const body = Buffer.from(await first.arrayBuffer());
    const contentType = first.headers.get('content-type') ?? 'application/feed+json';
    const items = (JSON.parse(body.toString('utf8')) as { items: unknown[] }).items.length;

    bare = Fastify({ logger: false });
    bare.get('/bare', (_request, reply) => reply.type(contentType).send(body));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareUrl = `${addressOf(bare)}/bare`;

    console.log(
      `feed: ${STATEMENT_COUNT} published statements (${scratch.where}), first page ${items} items, ${body.length} bytes; ` +
        `${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${ROUND_S} s per route`,
    );
    await load(bareUrl, WARMUP_S);
    await load(feedUrl, WARMUP_S);
    const bareResult = emptyResult();
    const feedResult = emptyResult();
    for (let round = 0; round < ROUNDS; round++) {
      await load(bareUrl, ROUND_S, bareResult);
      await load(feedUrl, ROUND_S, feedResult);
    }
    const ratio = perSecond(feedResult) / perSecond(bareResult);
    const row = (name: string, r: LoadResult) =>
      `  ${name.padEnd(14)} ${perSecond(r).toFixed(0).padStart(8)} req/s   p99 ${String(median(r.p99sMs)).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
    console.log(row('bare route', bareResult));
    console.log(row('GET /feed.json', feedResult));
    const failed = ratio < TARGET_RATIO || feedResult.non2xx > 0 || feedResult.errors > 0;
    console.log(`  ratio ${(ratio * 100).toFixed(1)}% of the bare route (target ${TARGET_RATIO * 100}%): ${failed ? 'FAIL' : 'PASS'}`);
    if (failed) process.exitCode = 1;
  } finally {
    await bare?.close();
    await app?.close();
    await closeDb(db);
    await scratch.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
