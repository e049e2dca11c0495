// Optimistic concurrency over HTTP: every statement (and topic, organisation) response carries
// its version as a strong ETag ("3"); writes send it back as If-Match. Statement writes require
// it (428 when absent) so two editors never overwrite each other by accident; `If-Match: *`
// says "whatever the current version is" for scripts that mean it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ValidationError } from '../../../errors.ts';

export class PreconditionRequiredError extends DomainError {
  constructor(what: string) {
    super(
      'precondition_required',
      428,
      `Changing a ${what} needs the If-Match header with the version you are changing (the ETag of its GET, e.g. If-Match: "3"), so that you never overwrite someone else's change. Send If-Match: * to change whatever version is current.`,
    );
  }
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', etagOf(version));
}

/** The version named by If-Match: a number, `undefined` for `*`, or `null` when absent. */
export function readIfMatch(request: FastifyRequest): number | undefined | null {
  const header = request.headers['if-match'];
  if (header === undefined || header === '') return null;
  const value = header.split(',')[0]!.trim();
  if (value === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match) throw new ValidationError(`The If-Match header "${value}" is not a version: send the ETag of the last GET, e.g. If-Match: "3".`);
  return Number(match[1]);
}

export function requireIfMatch(request: FastifyRequest, what: string): number | undefined {
  const version = readIfMatch(request);
  if (version === null) throw new PreconditionRequiredError(what);
  return version;
}

/** Optional If-Match: absent and `*` both mean "do not check". */
export function optionalIfMatch(request: FastifyRequest): number | undefined {
  return readIfMatch(request) ?? undefined;
}

export const ifMatchHeaderSchemaDescription =
  'The ETag (version) of the resource you are changing, e.g. "3"; a stale one gets 412 and changes nothing.';
