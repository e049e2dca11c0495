// Cursor pagination, newest first: the cursor names the last row of the previous page by
// (timestamp, id), so pages stay stable while new rows arrive. Used by the query modules of every
// aggregate (messages, statements, publishing); the HTTP query schema is in
// src/http/schemas/common.ts.
import { ValidationError } from '../errors.ts';

/**
 * Counts of a paged list (statements or emails per status, for tabs) stop here: counting every
 * match of a common word in a large archive would cost a pass over the archive on every page, and
 * even an index-only count of 10,000 drafts per page kept the queue at 7 requests/s under 10
 * connections (bench/scale.ts). A count equal to it means "at least"; the tabs show "1000+".
 */
export const COUNT_LIMIT = 1_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Cursor {
  at: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`).toString('base64url');
}

/** Years PostgreSQL and ISO 8601 strings agree on; a cursor outside them was a 500 (negative years, 10000+). */
export function isStorableDate(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1 && year <= 9999;
}

export function decodeCursor(value: string | undefined): Cursor | undefined {
  if (!value) return undefined;
  const [at, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const date = at && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/.test(at) ? new Date(at) : undefined;
  if (!date || !isStorableDate(date) || !id || !UUID.test(id) || rest.length) {
    throw new ValidationError('The cursor is not valid. Use the nextCursor value of the previous page, or leave it out to start again.');
  }
  return { at: date, id };
}

/**
 * Prisma `where` for rows after the cursor in (field desc, id desc) order. The `lte` bound lets
 * an index on (field desc, id desc) start at the cursor: with the OR alone, a deep page walked
 * every newer row first.
 */
export function afterCursor<F extends string>(field: F, cursor: Cursor | undefined) {
  if (!cursor) return {};
  return {
    AND: [{ [field]: { lte: cursor.at } }, { OR: [{ [field]: { lt: cursor.at } }, { [field]: cursor.at, id: { lt: cursor.id } }] }],
  } as Record<string, unknown>;
}

/** Splits a page fetched with limit+1 rows into items and the next cursor. */
export function toPage<T extends { id: string }>(rows: T[], limit: number, timeOf: (row: T) => Date) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: timeOf(last), id: last.id }) : null };
}
