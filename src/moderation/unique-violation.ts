// A unique index said no: two people created the same thing at the same moment, after both
// checked it was free. Callers turn it into the same 409 the check gives.
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/** Runs `write`; a unique violation becomes `conflict()` (a DomainError), anything else is rethrown. */
export async function withUniqueConflict<T>(write: () => Promise<T>, conflict: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}
