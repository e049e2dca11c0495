// Searches are the one kind of request whose cost an editor chooses (a common word, an
// organisation named by a fragment). Each is bounded by the request pool's statement_timeout,
// but ten at once could still hold every connection of the pool until they time out. The gate
// lets a few run at once, overall and per editor, and turns the rest away at once with a 503
// and Retry-After, so feeds, pages and other editors always find a free connection.
import { DomainError } from '../errors.ts';

/** Searches running at once across the service: well under the request pool's 10 connections. */
export const SEARCHES_AT_ONCE = 3;
/** Searches one editor may have running at once (a second tab, a search typed on). */
export const SEARCHES_PER_EDITOR = 2;
export const BUSY_RETRY_AFTER_SECONDS = 2;

export class BusyError extends DomainError {
  readonly retryAfterSeconds = BUSY_RETRY_AFTER_SECONDS;
  constructor(message: string) {
    super('busy', 503, message);
  }
}

export class QueryGate {
  private running = 0;
  private readonly byKey = new Map<string, number>();

  constructor(
    private readonly limit = SEARCHES_AT_ONCE,
    private readonly perKey = SEARCHES_PER_EDITOR,
  ) {}

  /** Runs `work` if there is room for one more search by `key` (an editor id), else throws BusyError. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const mine = this.byKey.get(key) ?? 0;
    if (mine >= this.perKey) {
      throw new BusyError(`You already have ${mine} searches running; this one was not started. Wait for them to finish (or narrow the search) and try again.`);
    }
    if (this.running >= this.limit) {
      throw new BusyError(`${this.running} searches are running at once, the most the service runs together; this one was not started. Try again in a few seconds.`);
    }
    this.running++;
    this.byKey.set(key, mine + 1);
    try {
      return await work();
    } finally {
      this.running--;
      const left = (this.byKey.get(key) ?? 1) - 1;
      if (left) this.byKey.set(key, left);
      else this.byKey.delete(key);
    }
  }
}
