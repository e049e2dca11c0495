// Request ids: one per request, in its log lines and in the X-Request-Id response header.
import { randomUUID } from 'node:crypto';

/** What a proxy's request id may look like to be kept: short, and safe in logs and headers. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The incoming X-Request-Id when it is well-formed, else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}
