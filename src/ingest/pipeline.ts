// The ingest pipeline for one stored message: parse -> classify -> extract -> draft.
// Message states: received -> drafted | ignored | failed (DESIGN.md). The outcome is written in
// one transaction guarded on `status = received`, so two workers never draft the same message
// twice. One bad message never blocks the rest: a parse or extraction error marks it `failed`
// with the error; only database errors propagate (the message stays `received` for a retry).
import { randomUUID } from 'node:crypto';
import { inPgTransaction, poolOf, type Db } from '../db/client.ts';
import { Prisma } from '../db/client.ts';
import { extractMessage } from '../extract/extract-message.ts';
import type { DraftFields, ExtractContext } from '../extract/index.ts';
import { findLikelyDuplicate } from '../extract/similarity.ts';
import { sanitizeEmailHtml } from '../html/sanitize.ts';
import type { Logger } from '../logger.ts';
import { statementSlug } from '../moderation/slug.ts';
import { classifyMessage } from './classify.ts';
import type { ParsedEmail } from './parsed-email.ts';
import { parseMessage } from './parse-message.ts';
import { claimMessage, insertAttachments, insertDraft, type MessageVerdict } from './write-outcome.ts';

export interface PipelineDeps {
  db: Db;
  logger: Logger;
  /**
   * Known organisations for extraction, loaded once by a caller that processes many messages
   * (a batch); without it each message loads them itself.
   */
  extractContext?: ExtractContext;
}

export interface ProcessOptions {
  /**
   * The raw bytes, when the caller has just stored them (`created: true`): saves reading them
   * back. The claim below stays guarded on `status = received`, so a wrong guess only costs work.
   */
  raw?: Buffer;
}

export type MessageOutcome =
  | { status: 'drafted'; statementId: string }
  | { status: 'ignored'; reason: string }
  | { status: 'failed'; error: string }
  | { status: 'skipped' };

const MAX_ERROR_CHARS = 2000;

class AlreadyProcessed extends Error {}

export async function loadExtractContext(db: Db): Promise<ExtractContext> {
  const organisations = await db.organisation.findMany({
    select: { id: true, name: true, shortName: true, senderAddresses: true, senderDomains: true },
  });
  return { organisations };
}

/** Runs one stored message through the pipeline, once. */
export async function processMessage(deps: PipelineDeps, messageId: string, options: ProcessOptions = {}): Promise<MessageOutcome> {
  const { db } = deps;
  const logger = deps.logger.child({ messageId });
  let raw = options.raw;
  if (!raw) {
    const message = await db.message.findUnique({ where: { id: messageId }, select: { raw: true, status: true } });
    if (!message || message.status !== 'received') return { status: 'skipped' };
    raw = Buffer.from(message.raw);
  }

  let email: ParsedEmail;
  try {
    email = await parseMessage(raw);
  } catch (error) {
    return markFailed(deps, messageId, `could not parse the message: ${describe(error)}`, logger);
  }

  let outcome: MessageOutcome;
  try {
    const classification = classifyMessage(email);
    const extraction =
      classification.kind === 'ignored'
        ? undefined
        : await extractMessage(email, deps.extractContext ?? (await loadExtractContext(db)));
    const likelyDuplicateOfId = extraction?.kind === 'statement' ? await findLikelyDuplicateOf(db, extraction.draft) : null;
    const verdict: MessageVerdict =
      classification.kind === 'ignored'
        ? { status: 'ignored', reason: classification.reason, notStatement: false }
        : extraction!.kind === 'not_statement'
          ? { status: 'ignored', reason: `not a statement: ${extraction!.reason}`, notStatement: true }
          : { status: 'drafted' };
    outcome = await inPgTransaction(db, async (client) => {
      const now = new Date();
      if (!(await claimMessage(client, { messageId, fields: parsedFields(email), verdict, now }))) throw new AlreadyProcessed();
      await insertAttachments(client, messageId, email.attachments, withoutNul);
      if (verdict.status === 'ignored') return { status: 'ignored', reason: verdict.reason } as const;
      if (extraction?.kind !== 'statement') throw new Error('a drafted verdict needs a statement');
      const draft = withoutNul(extraction.draft);
      const statementId = await insertDraft(client, { messageId, draft, likelyDuplicateOfId, now });
      return { status: 'drafted', statementId } as const;
    });
  } catch (error) {
    if (error instanceof AlreadyProcessed) return { status: 'skipped' };
    if (isDatabaseError(error)) throw error;
    if (error instanceof Prisma.PrismaClientKnownRequestError || postgresErrorCode(error)) logger.warn({ err: error }, 'the database refused a draft');
    return markFailed(deps, messageId, `could not extract a draft: ${describe(error)}`, logger);
  }
  logger.info({ outcome: outcome.status, ...(outcome.status === 'drafted' ? { statementId: outcome.statementId } : {}) }, 'message ingested');
  return outcome;
}

/** Days either side of a statement's date in which an earlier copy of it is looked for. */
const DUPLICATE_WINDOW_DAYS = 14;
const DUPLICATE_CANDIDATES = 50;
/** The start of a statement (about 400 words) is enough to recognise it, and cheap to fetch and compare. */
const DUPLICATE_COMPARED_CHARS = 3_000;

/**
 * A recent statement with the same text (or the same organisation, day and another language):
 * the new draft is flagged as its likely duplicate. Bounded: statements dated near this one.
 */
async function findLikelyDuplicateOf(db: Db, draft: DraftFields): Promise<string | null> {
  const { rows } = await poolOf(db).query<{ id: string; bodyText: string; organisationName: string | null; statementDate: string | null; language: string | null }>(
    `SELECT id::text AS id, left(body_text, $1::int) AS "bodyText", organisation_name AS "organisationName",
            to_char(statement_date, 'YYYY-MM-DD') AS "statementDate", language
     FROM statements
     WHERE $2::date IS NULL OR statement_date BETWEEN $2::date - $3::int AND $2::date + $3::int
     ORDER BY created_at DESC
     LIMIT $4::int`,
    [DUPLICATE_COMPARED_CHARS, draft.statementDate, DUPLICATE_WINDOW_DAYS, DUPLICATE_CANDIDATES],
  );
  const match = findLikelyDuplicate(
    { bodyText: draft.bodyText.slice(0, DUPLICATE_COMPARED_CHARS), organisationName: draft.organisationName, statementDate: draft.statementDate, language: draft.language },
    rows,
  );
  if (!match) return null;
  draft.warnings.push(match.reason === 'same-text' ? 'likely a copy of an earlier draft (same text): merge or reject one' : 'likely a translation of an earlier draft (same organisation and day, another language)');
  return match.id;
}


function parsedFields(email: ParsedEmail) {
  return withoutNul({
    messageIdHeader: email.messageId ?? null,
    fromAddress: email.from?.address || null,
    fromName: email.from?.name || null,
    toAddresses: email.to.map((a) => a.address).filter(Boolean),
    subject: email.subject ?? null,
    sentAt: email.date ?? null,
    inReplyTo: email.inReplyTo ?? null,
    headers: email.headers as Prisma.InputJsonValue,
    textBody: email.text ?? null,
    htmlBody: email.html ? sanitizeEmailHtml(email.html) : null,
  });
}

async function markFailed(deps: PipelineDeps, messageId: string, error: string, logger: Logger): Promise<MessageOutcome> {
  const message = error.slice(0, MAX_ERROR_CHARS);
  await deps.db.message.updateMany({
    where: { id: messageId, status: 'received' },
    data: { status: 'failed', error: message, statusReason: message.split(':')[0] ?? 'failed', parsedAt: new Date() },
  });
  logger.warn({ outcome: 'failed', error: message }, 'message ingested');
  return { status: 'failed', error: message };
}

/**
 * The error as editors see it on the message: one sentence, never a Prisma invocation dump with
 * source paths (the full error goes to the log).
 */
function describe(error: unknown): string {
  const sqlState = postgresErrorCode(error);
  if (error instanceof Prisma.PrismaClientKnownRequestError || sqlState) {
    if (/too long for tsvector/i.test((error as Error).message)) {
      return 'the statement is longer than the search index allows; the email is kept raw: shorten the text in a copy and import that';
    }
    const code = error instanceof Prisma.PrismaClientKnownRequestError ? error.code : sqlState;
    return `the database refused it (${code}); the email is kept raw, and the service log has the details`;
  }
  return error instanceof Error ? error.message.split('\n')[0]!.trim() || error.name : String(error);
}

/** The SQLSTATE of an error node-postgres raised for the server, if it is one. */
function postgresErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Prisma codes for an unreachable or overloaded database: retry later, do not blame the message. */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);

/** True when the database, not the message, is at fault: the message stays `received`. */
function isDatabaseError(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return UNAVAILABLE_CODES.has(error.code);
  // SQLSTATE classes 08 (connection), 53 (resources), 57 (operator intervention, e.g. shutdown).
  const sqlState = postgresErrorCode(error);
  if (sqlState) return /^(08|53|57)/.test(sqlState);
  return (
    error instanceof Prisma.PrismaClientUnknownRequestError ||
    error instanceof Prisma.PrismaClientInitializationError ||
    error instanceof Prisma.PrismaClientRustPanicError ||
    (error instanceof Error && /ECONNREFUSED|ECONNRESET|terminating connection|Connection terminated/i.test(error.message))
  );
}

/** PostgreSQL text and JSONB cannot hold U+0000, which broken mail does contain. */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\u0000/g, '') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
  }
  return value;
}

/** Processes every message still `received` (after a crash, or left by another source). */
export async function processPendingMessages(deps: PipelineDeps, options: { limit?: number } = {}): Promise<number> {
  const pending = await deps.db.message.findMany({
    where: { status: 'received' },
    orderBy: { receivedAt: 'asc' },
    select: { id: true },
    take: options.limit ?? 500,
  });
  for (const { id } of pending) await processMessage(deps, id);
  return pending.length;
}
