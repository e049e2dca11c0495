// GET /editor: the queue. One tab per status with counts, plus the emails judged not to be a
// statement (and, on request, every email set aside, lists and auto-replies too); search and
// filters keep across tabs; newest first; what needs checking is flagged.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import { countNotStatementMessages, findNotStatementMessages } from '../../../ingest/message-queries.ts';
import { listStatementLanguages } from '../../../moderation/statement-lookups.ts';
import { listTopicChoices } from '../../../moderation/topics.ts';
import { countAndPlan, countsCapped, type StatementStatus, findStatements, STATEMENT_STATUSES } from '../../../moderation/statement-queries.ts';
import { QueryGate } from '../../query-gate.ts';
import { requestAbortSignal } from '../../request-signal.ts';
import { isCostlyFilter } from '../api/statements.ts';
import { COUNT_LIMIT, decodeCursor, toPage } from '../../../db/pagination.ts';
import { toStatementSummary } from '../../schemas/statement.ts';
import { checksFor } from '../../../moderation/draft-checks.ts';
import { renderPage } from './render.ts';

export const QUEUE_PAGE_SIZE = 30;
export const NOT_STATEMENT_TAB = 'not-statement';

const queueQuerySchema = z.object({
  status: z.enum([...STATEMENT_STATUSES, NOT_STATEMENT_TAB]).catch('draft').default('draft'),
  q: z.string().max(200).optional().catch(undefined),
  topic: z.union([z.uuid(), z.literal('none')]).optional().catch(undefined),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).optional().catch(undefined),
  cursor: z.string().max(200).optional(),
  done: z.string().optional(),
  /** In the not-a-statement tab: also mail set aside on its headers (lists, newsletters, auto-replies, bounces). */
  setAside: z.literal('all').optional().catch(undefined),
});

/** Counts that stopped at COUNT_LIMIT are shown as "n+". */
function formatCount(count: number, capped = count >= COUNT_LIMIT): string {
  return capped ? `${count}+` : String(count);
}

export default async function queueRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const { db } = options.deps;
  const searchGate = options.deps.searchGate ?? new QueryGate();

  app.get('/', async (request, reply) => {
    const query = queueQuerySchema.parse(request.query ?? {});
    const filter = { q: query.q?.trim() || undefined, topic: query.topic, language: query.language };
    const cursor = decodeCursor(query.cursor);
    const signal = requestAbortSignal(request, reply);
    const searched = <T>(work: () => Promise<T>) => (isCostlyFilter(filter) ? searchGate.run(request.editor!.id, work) : work());
    const [{ counts, plan }, notStatementCount, languages, topics] = await Promise.all([
      searched(() => countAndPlan(db, filter, { signal })),
      countNotStatementMessages(db),
      listStatementLanguages(db),
      listTopicChoices(db),
    ]);

    let statements: Array<ReturnType<typeof toStatementSummary> & { checks: ReturnType<typeof checksFor>; pendingCorrection?: boolean }> = [];
    let messages: Awaited<ReturnType<typeof findNotStatementMessages>> = [];
    let nextCursor: string | null = null;
    if (query.status === NOT_STATEMENT_TAB) {
      const rows = await findNotStatementMessages(db, { cursor, limit: QUEUE_PAGE_SIZE, allSetAside: query.setAside === 'all' });
      const page = toPage(rows, QUEUE_PAGE_SIZE, (m) => m.receivedAt);
      messages = page.items;
      nextCursor = page.nextCursor;
    } else {
      const rows = await searched(() => findStatements(db, { status: query.status as StatementStatus, ...filter, cursor, limit: QUEUE_PAGE_SIZE }, { signal, plan }));
      const page = toPage(rows, QUEUE_PAGE_SIZE, (s) => s.createdAt);
      statements = page.items.map((row) => {
        const summary = toStatementSummary(row);
        return { ...summary, checks: checksFor(summary), pendingCorrection: row.pendingCorrection };
      });
      nextCursor = page.nextCursor;
    }

    const keep = new URLSearchParams();
    if (query.q) keep.set('q', query.q);
    if (query.topic) keep.set('topic', query.topic);
    if (query.language) keep.set('language', query.language);
    const tabUrl = (status: string) => {
      const params = new URLSearchParams(keep);
      params.set('status', status);
      return `/editor?${params.toString()}`;
    };
    const currentUrl = `${tabUrl(query.status)}${query.status === NOT_STATEMENT_TAB && query.setAside ? '&setAside=all' : ''}`;
    const nextUrl = nextCursor ? `${currentUrl}&cursor=${encodeURIComponent(nextCursor)}` : null;

    const tabs = [
      ...STATEMENT_STATUSES.map((status) => ({ key: status, count: formatCount(counts[status], countsCapped(counts) && counts[status] > 0), url: tabUrl(status) })),
      { key: NOT_STATEMENT_TAB, count: formatCount(notStatementCount), url: tabUrl(NOT_STATEMENT_TAB) },
    ];
    return renderPage(request, reply, 'queue', {
      title: 'Queue',
      section: 'queue',
      current: query.status,
      tabs,
      q: query.q ?? '',
      topic: query.topic ?? '',
      language: query.language ?? '',
      languages,
      topics,
      statements,
      messages,
      nextUrl,
      allSetAside: query.setAside === 'all',
      allSetAsideUrl: tabUrl(NOT_STATEMENT_TAB) + '&setAside=all',
      notStatementUrl: tabUrl(NOT_STATEMENT_TAB),
      filtered: Boolean(query.q || query.topic || query.language),
    });
  });
}
