import { z } from 'zod';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?limit=&cursor=` of every paged list; the cursor is decoded by decodeCursor (src/db/pagination.ts). */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).describe('Items per page (1-200).'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page.'),
});

export const uuidParamSchema = z.object({ id: z.uuid({ error: 'expected an id (a UUID)' }) });

/** Dates leave the API as ISO 8601 strings. */
export const isoDateTime = z.iso.datetime();
export const isoDateTimeNullable = isoDateTime.nullable();

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
  })
  .passthrough()
  .describe('application/problem+json (RFC 9457)');

export function toIso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

export function toIsoDay(date: Date | null | undefined): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}
