// The queue and the statement workflow over HTTP:
//   GET   /api/statements                 filters, full-text search, cursor pages, counts, pending corrections
//   GET   /api/statements/:id             the statement, its source message, attachments, revisions
//   GET   /api/statements/:id/audit       who did what to it (any editor)
//   PATCH /api/statements/:id             edit fields (If-Match required)
//   POST  /api/statements/:id/<action>    approve, reject, publish, unpublish, reopen, mark-duplicate
// Every statement response carries its version as ETag; writes need If-Match (see preconditions.ts).
// The sender's side (acknowledgement, note, corrections) is in senders.ts.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.ts';
import type { Db } from '../../../db/client.ts';
import { NotFoundError, ValidationError } from '../../../errors.ts';
import { findAuditEntriesForTarget } from '../../../audit/audit-queries.ts';
import { editStatement, isoDaySchema, statementChangesSchema } from '../../../moderation/edit-statement.ts';
import { findRejectionReasonText } from '../../../moderation/rejection-reasons.ts';
import { findStatementVersion, statementExists } from '../../../moderation/statement-lookups.ts';
import { countAndPlan, countsCapped, findStatementById, findStatements } from '../../../moderation/statement-queries.ts';
import { QueryGate } from '../../query-gate.ts';
import { requestAbortSignal } from '../../request-signal.ts';
import { transitionStatement, type StatementAction } from '../../../moderation/transitions.ts';
import { COUNT_LIMIT, decodeCursor, toPage } from '../../../db/pagination.ts';
import { auditEntrySchema, toAuditEntry } from '../../schemas/audit.ts';
import { pageQuerySchema, problemSchema, uuidParamSchema } from '../../schemas/common.ts';
import {
  statementDetailSchema,
  statementStatusSchema,
  statementSummarySchema,
  toStatementDetail,
  toStatementSummary,
} from '../../schemas/statement.ts';
import { ifMatchHeaderSchemaDescription, requireIfMatch, setEtag } from './preconditions.ts';
import { EDITOR_SECURITY } from './security.ts';

const security = EDITOR_SECURITY;
const ifMatchHeaders = z.object({ 'if-match': z.string().optional().describe(ifMatchHeaderSchemaDescription) });
const day = isoDaySchema;

const queueQuerySchema = pageQuerySchema
  .extend({
    status: statementStatusSchema.optional(),
    topic: z.string().max(200).optional().describe('A topic id or slug, or "none" for statements in no topic.'),
    organisation: z.string().max(300).optional().describe('An organisation id, or part of its name, or its short name.'),
    language: z.string().max(35).optional().describe('A language code, e.g. "en".'),
    from: day.optional().describe("Statement date from (inclusive), YYYY-MM-DD."),
    to: day.optional().describe("Statement date to (inclusive), YYYY-MM-DD."),
    q: z.string().max(200).optional().describe('Search words in title, organisation and body; each word matches as a prefix ("solidar" finds "solidarity").'),
  })
  .strict();

const reasonText = z.string().trim().max(2000);
const actionBodies = {
  approve: z.strictObject({}).nullish(),
  publish: z.strictObject({}).nullish(),
  reopen: z.strictObject({}).nullish(),
  reject: z.strictObject({
    reason: reasonText.optional().describe('Why it is rejected (required unless reasonId is given).'),
    reasonId: z.uuid().optional().describe('A reason from GET /api/rejection-reasons.'),
  }),
  unpublish: z.strictObject({ reason: reasonText.min(1, 'say why it is withdrawn').describe('Why it is withdrawn; the public feed marks it withdrawn.') }),
  'mark-duplicate': z.strictObject({
    duplicateOfId: z.uuid().describe('The statement this one repeats.'),
    reason: reasonText.optional().describe('Defaults to "Duplicate of <title>".'),
  }),
} as const;

const ACTION_SUMMARIES: Record<keyof typeof actionBodies, [StatementAction, string]> = {
  approve: ['approve', 'Approve a draft (draft -> approved)'],
  publish: ['publish', 'Publish (draft or approved -> published; also republishes an unpublished one). From draft it is recorded as approve + publish.'],
  reopen: ['reopen', 'Reopen a rejected statement (rejected -> draft)'],
  reject: ['reject', 'Reject with a reason (draft or approved -> rejected)'],
  unpublish: ['unpublish', 'Withdraw a published statement, with a reason (published -> unpublished)'],
  'mark-duplicate': ['mark_duplicate', 'Mark as duplicate of another statement (draft or approved -> rejected, with a link to the original)'],
};

const queueItemSchema = statementSummarySchema.extend({
  pendingCorrection: z.boolean().describe('The sender sent a correction that no editor has applied or dismissed yet: GET /api/statements/:id/corrections.'),
});

/** A filter whose cost the words typed decide: full-text search, or an organisation named by a fragment. */
export function isCostlyFilter(filter: { q?: string | undefined; organisation?: string | undefined }): boolean {
  return Boolean(filter.q?.trim() || filter.organisation);
}

export async function sendDetail(db: Db, reply: FastifyReply, id: string) {
  const statement = await findStatementById(db, id);
  if (!statement) throw new NotFoundError('statement', id);
  setEtag(reply, statement.version);
  return toStatementDetail(statement);
}

async function reasonFromList(db: Db, reasonId: string): Promise<string> {
  const reason = await findRejectionReasonText(db, reasonId);
  if (reason === null) throw new ValidationError(`There is no rejection reason with id ${reasonId}: pick one from GET /api/rejection-reasons, or write the reason.`, { field: 'reasonId' });
  return reason;
}

export default async function statementRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());
  const searchGate = options.deps.searchGate ?? new QueryGate();

  r.get('/statements', {
    schema: {
      tags: ['statements'],
      summary: 'The queue: statements, newest first, with filters, search and counts per status',
      description:
        `counts are per status for the other filters (so they fit tabs), and stop at countLimit (${COUNT_LIMIT}): countsCapped says there are more than they show ` +
        '(a count reached countLimit, or, with a search, the counts together did). ' +
        'nextCursor is null on the last page. pendingCorrection marks statements with a correction from the sender waiting for an editor. A search (q) or an organisation name runs with few others at once: when too many run, 503 with Retry-After.',
      security,
      querystring: queueQuerySchema,
      response: {
        200: z.object({
          items: z.array(queueItemSchema),
          nextCursor: z.string().nullable(),
          counts: z.record(statementStatusSchema, z.number().int()),
          countLimit: z.number().int().describe('Counts stop here.'),
          countsCapped: z.boolean().describe('The counts stopped at countLimit: there are more than they show.'),
        }),
        400: problemSchema,
        401: problemSchema,
        503: problemSchema,
      },
    },
  }, async (request, reply) => {
    const { limit, cursor, status, topic, organisation, language, from, to, q } = request.query;
    if (from && to && from > to) throw new ValidationError(`The date range is empty: "from" (${from}) is after "to" (${to}). Swap them.`);
    const filter = { topic, organisation, language, dateFrom: from, dateTo: to, q };
    const decoded = decodeCursor(cursor);
    const signal = requestAbortSignal(request, reply);
    const read = async () => {
      const { counts, plan } = await countAndPlan(db, filter, { signal });
      const rows = await findStatements(db, { ...filter, status, cursor: decoded, limit }, { signal, plan });
      return { rows, counts };
    };
    const { rows, counts } = isCostlyFilter(filter) ? await searchGate.run(request.editor!.id, read) : await read();
    const page = toPage(rows, limit, (s) => s.createdAt);
    const items = page.items.map((s) => Object.assign(toStatementSummary(s), { pendingCorrection: s.pendingCorrection }));
    return { items, nextCursor: page.nextCursor, counts, countLimit: COUNT_LIMIT, countsCapped: countsCapped(counts) };
  });

  r.get('/statements/:id', {
    schema: {
      tags: ['statements'],
      summary: 'One statement with its source message, attachments and revisions (ETag: its version)',
      security,
      params: uuidParamSchema,
      response: { 200: statementDetailSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema },
    },
  }, async (request, reply) => sendDetail(db, reply, request.params.id));

  r.get('/statements/:id/audit', {
    schema: {
      tags: ['statements'],
      summary: "The statement's audit trail, newest first",
      security,
      params: uuidParamSchema,
      response: { 200: z.object({ items: z.array(auditEntrySchema) }), 400: problemSchema, 401: problemSchema, 404: problemSchema },
    },
  }, async (request) => {
    if (!(await statementExists(db, request.params.id))) throw new NotFoundError('statement', request.params.id);
    const entries = await findAuditEntriesForTarget(db, 'statement', request.params.id);
    return { items: entries.map(toAuditEntry) };
  });

  r.patch('/statements/:id', {
    schema: {
      tags: ['statements'],
      summary: 'Edit a statement (If-Match required); stores a revision',
      description:
        'Send only the fields to change; null clears a field. bodyHtml is sanitised; bodyText becomes paragraphs. A stale If-Match gets 412 and changes nothing; no If-Match gets 428.',
      security,
      params: uuidParamSchema,
      headers: ifMatchHeaders,
      body: statementChangesSchema,
      response: { 200: statementDetailSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 412: problemSchema, 428: problemSchema },
    },
  }, async (request, reply) => {
    const ifMatch = requireIfMatch(request, 'statement');
    const expectedVersion = ifMatch ?? (await findStatementVersion(db, request.params.id))?.version;
    if (expectedVersion === undefined) throw new NotFoundError('statement', request.params.id);
    const result = await editStatement(db, { id: request.params.id, expectedVersion, changes: request.body, actor: request.editor!, now: now() });
    if (result.changed.length) request.log.info({ statementId: result.id, editorId: request.editor!.id, fields: result.changed, version: result.version }, 'statement edited');
    return sendDetail(db, reply, request.params.id);
  });

  for (const [path, [action, summary]] of Object.entries(ACTION_SUMMARIES) as [keyof typeof actionBodies, [StatementAction, string]][]) {
    r.post(`/statements/:id/${path}`, {
      schema: {
        tags: ['statements'],
        summary,
        description: 'If-Match required (the version you looked at). An action not allowed from the current status gets 409 naming that status; a stale version 412.',
        security,
        params: uuidParamSchema,
        headers: ifMatchHeaders,
        body: actionBodies[path],
        response: { 200: statementDetailSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 412: problemSchema, 428: problemSchema },
      },
    }, async (request, reply) => {
      const expectedVersion = requireIfMatch(request, 'statement');
      const body = (request.body ?? {}) as { reason?: string; reasonId?: string; duplicateOfId?: string };
      const reason = body.reason?.trim() ? body.reason : body.reasonId ? await reasonFromList(db, body.reasonId) : undefined;
      const result = await transitionStatement(db, { id: request.params.id, action, expectedVersion, actor: request.editor!, reason, duplicateOfId: body.duplicateOfId, now: now() });
      request.log.info({ statementId: result.id, editorId: request.editor!.id, action, from: result.from, to: result.status, version: result.version }, `statement ${result.status}`);
      return sendDetail(db, reply, request.params.id);
    });
  }
}
