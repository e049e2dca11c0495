// Failed sign-ins, limited per address and per IP: after MAX_FAILED_SIGN_INS failures within
// FAILED_SIGN_IN_WINDOW_MS, further attempts for that address (or from that IP) are refused until
// the oldest failure leaves the window, even with the right password. In memory: one process
// serves the editors, and a restart forgetting the count is acceptable for a small team. Pure
// apart from its own map; `now` is passed in.
import { DomainError } from '../errors.ts';

export const MAX_FAILED_SIGN_INS = 5;
export const FAILED_SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Bound on remembered keys, so a flood of made-up addresses cannot grow memory without end. */
const MAX_TRACKED_KEYS = 10_000;

export class TooManySignInsError extends DomainError {
  constructor(readonly retryAt: Date, now: Date) {
    const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
    const minutes = Math.ceil(seconds / 60);
    super(
      'too_many_sign_ins',
      429,
      `Too many failed sign-ins for this address or from this network. Try again in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${retryAt.toISOString().slice(11, 16)} UTC), or ask an administrator to set a new password for you.`,
      { retryAfterSeconds: seconds, retryAt: retryAt.toISOString() },
    );
  }
}

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = MAX_FAILED_SIGN_INS,
    private readonly windowMs = FAILED_SIGN_IN_WINDOW_MS,
  ) {}

  private recent(key: string, now: Date): number[] {
    const since = now.getTime() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Throws TooManySignInsError when any of the keys is over its limit. */
  check(keys: string[], now: Date): void {
    let retryAt: number | null = null;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures) {
        const freeAt = recent[recent.length - this.maxFailures]! + this.windowMs;
        retryAt = Math.max(retryAt ?? 0, freeAt);
      }
    }
    if (retryAt !== null) throw new TooManySignInsError(new Date(retryAt), now);
  }

  /**
   * Checks the keys and, in the same synchronous step, counts this attempt as a failure until
   * `succeeded` says otherwise. Counting only after the (slow, awaited) password check let
   * parallel guesses all pass the check before any was counted.
   */
  begin(keys: { address: string; ip: string }, now: Date): SignInAttempt {
    this.check([keys.address, keys.ip], now);
    this.recordFailure([keys.address, keys.ip], now);
    return { keys, at: now.getTime() };
  }

  /** The attempt was right: the address's failures are cleared, the IP's attempt withdrawn. */
  succeeded(attempt: SignInAttempt): void {
    this.clear(attempt.keys.address);
    const ipFailures = this.failures.get(attempt.keys.ip);
    const index = ipFailures?.indexOf(attempt.at) ?? -1;
    if (ipFailures && index >= 0) ipFailures.splice(index, 1);
  }

  recordFailure(keys: string[], now: Date): void {
    for (const key of keys) {
      const recent = this.recent(key, now);
      recent.push(now.getTime());
      this.failures.set(key, recent);
    }
    while (this.failures.size > MAX_TRACKED_KEYS) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  /** A successful sign-in clears the address's failures (not the IP's: others may share it). */
  clear(key: string): void {
    this.failures.delete(key);
  }
}

export interface SignInAttempt {
  keys: { address: string; ip: string };
  at: number;
}

export function signInKeys(email: string, ip: string): { address: string; ip: string } {
  return { address: `address:${email}`, ip: `ip:${ip}` };
}

/** The limiter the API and the editors' pages share in one process. */
export const defaultSignInLimiter = new SignInLimiter();
