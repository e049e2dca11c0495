// Domain errors. Each carries a stable `code`, the HTTP status it maps to, and a message that
// tells the user what went wrong and what to do. src/http/plugins/errors.ts turns them into
// application/problem+json.

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', 404, `No ${what} with id ${id}. Check the id, or list ${what}s to find it.`, { id });
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_input', 400, message, details);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', 409, message, details);
  }
}

export class PreconditionFailedError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('stale_version', 412, message, details);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'Sign in, or send an API token as "Authorization: Bearer <token>".') {
    super('unauthorized', 401, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', 403, message);
  }
}

/** The mail was erased (retention or a sender's erasure request); only its tombstone remains. */
export class ErasedError extends DomainError {
  constructor(what: string, erasedAt: Date) {
    super('erased', 410, `This ${what} was erased on ${erasedAt.toISOString().slice(0, 10)} (retention policy or the sender's erasure request); only a record that it arrived remains.`, {
      erasedAt: erasedAt.toISOString(),
    });
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(message: string) {
    super('unsupported_media_type', 415, message);
  }
}
