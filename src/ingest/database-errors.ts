// Told apart by error class: is the database gone (stop the batch, keep the messages `received`,
// retry later), or did one message's data make a statement fail (fail that message alone, with the
// reason)? DESIGN.md "One bad message never blocks the rest": the default is the message's fault,
// because treating a data error as an outage retries the same message forever and stops all
// ingest behind it (issue 10: a Date header in year 10000 did exactly that).
import { Prisma } from '../db/client.ts';

/**
 * SQLSTATE classes and codes that say the database, its connection or its setup is at fault, never
 * a value we sent: 08 connection exception, 53 insufficient resources (disk full, too many
 * connections), 57P01..57P05 shutdown / cannot connect now / database dropped / idle timeout
 * (57014, a cancelled statement, is the statement's own work: a message's fault), 58 system
 * error, 28 authorisation, 3D no such database, 40 serialisation failure or deadlock (try
 * again), 42 syntax or access rule (a missing migration: values are parameters, so a message
 * cannot cause one), 55P03 lock not available.
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0|58|28|3D|40|42|55P03)/;

/** Node socket errors from node-postgres while connecting or talking to the server. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN',
]);

/** node-postgres's own words for a lost or unusable connection (these errors carry no code). */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|terminating connection|timeout exceeded when trying to connect|not queryable|Cannot use a pool after calling end|Query read timeout|the database system is (starting up|shutting down)/i;

/**
 * Prisma's codes for an unreachable, missing, refusing or overloaded database. The pipeline reads
 * through Prisma only what no message decides (the known organisations, the pages of `received`
 * messages), and Prisma 7 with its pg adapter reports connection faults as these known-request
 * codes (a closed port is P1001, a missing database P1003), never as its engine's
 * initialisation or panic errors: those came from the Rust engine that Prisma 7 no longer has.
 */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1000', 'P1001', 'P1002', 'P1003', 'P1008', 'P1010', 'P1011', 'P1017', 'P2024', 'P2028', 'P2037']);

/** The SQLSTATE of an error node-postgres raised for the server, if it is one. */
export function postgresErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * True when the database, not the message, is at fault: the batch stops and its messages stay
 * `received` (or its files stay in the drop folder) for a retry. Looks through `cause` chains
 * (the IMAP source wraps storage errors).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isUnavailableItself(e)) return true;
  }
  return false;
}

function isUnavailableItself(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return UNAVAILABLE_PRISMA_CODES.has(error.code);
  const sqlState = postgresErrorCode(error);
  if (sqlState) return UNAVAILABLE_SQLSTATE.test(sqlState);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE_SOCKET_CODES.has(code)) return true;
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}

/**
 * The error as editors see it on the message: one sentence (the full error goes to the log),
 * never a U+0000 (PostgreSQL text cannot hold one). A message's outcome is written through
 * node-postgres, so a refusal of its data carries a SQLSTATE.
 */
export function describeMessageError(error: unknown): string {
  const sqlState = postgresErrorCode(error);
  let text: string;
  if (sqlState) {
    text = /too long for tsvector/i.test((error as Error).message)
      ? 'the statement is longer than the search index allows; the email is kept raw: shorten the text in a copy and import that'
      : `the database refused it (${sqlState}: ${firstLine((error as Error).message).slice(0, 200)}); the email is kept raw, and the service log has the details`;
  } else {
    text = error instanceof Error ? firstLine(error.message) || error.name : String(error);
  }
  return text.replace(/\u0000/g, '');
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
