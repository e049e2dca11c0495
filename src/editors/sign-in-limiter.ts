// Failed attempts, limited per key: after MAX_FAILED_SIGN_INS failures within
// FAILED_SIGN_IN_WINDOW_MS, further attempts for that key are refused until the oldest failure
// leaves the window, even with the right password. Keys are "address:…" and "ip:…" for
// sign-in, "editor:…" and "ip:…" for the current-password check of a password change.
//
// Kept in PostgreSQL (table attempt_limits), not in memory: every process of the service counts
// the same failures, a restart forgets nothing, and no number of made-up keys can push a
// victim's failures out (an in-memory map had to be capped, and flooding it evicted them).
// Each key's row holds at most the limit's most recent failure times. `now` is passed in.
import { createHash } from 'node:crypto';
import { inPgTransaction, type Db, type DbTx } from '../db/client.ts';
import { DomainError } from '../errors.ts';

export const MAX_FAILED_SIGN_INS = 5;
export const FAILED_SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Rows quiet for a whole window are deleted at most this often, by whichever attempt comes. */
const PRUNE_INTERVAL_MS = 60_000;

function retryText(retryAt: Date, now: Date): { seconds: number; when: string } {
  const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return { seconds, when: `in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${retryAt.toISOString().slice(11, 16)} UTC)` };
}

export class TooManySignInsError extends DomainError {
  constructor(readonly retryAt: Date, now: Date) {
    const { seconds, when } = retryText(retryAt, now);
    super(
      'too_many_sign_ins',
      429,
      `Too many failed sign-ins for this address or from this network. Try again ${when}, or ask an administrator to set a new password for you.`,
      { retryAfterSeconds: seconds, retryAt: retryAt.toISOString() },
    );
  }
}

export class TooManyPasswordChecksError extends DomainError {
  constructor(readonly retryAt: Date, now: Date) {
    const { seconds, when } = retryText(retryAt, now);
    super(
      'too_many_password_checks',
      429,
      `The current password was typed wrong too often. Try again ${when}; if you forgot it, ask an administrator to set a new one.`,
      { retryAfterSeconds: seconds, retryAt: retryAt.toISOString() },
    );
  }
}

/** Longest key stored as typed; longer ones (a pasted essay as the address) by their hash. */
const MAX_KEY_CHARS = 300;

function storedKey(key: string): string {
  return key.length <= MAX_KEY_CHARS ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export interface Attempt {
  keys: string[];
  at: Date;
}

export interface AttemptLimiterOptions {
  /** Which count this is ("sign_in", "password_check"): each scope has its own keys. */
  scope?: string;
  maxFailures?: number;
  windowMs?: number;
  /** The error for an attempt over the limit. */
  tooMany?: (retryAt: Date, now: Date) => DomainError;
}

export class AttemptLimiter {
  readonly scope: string;
  readonly maxFailures: number;
  readonly windowMs: number;
  private readonly tooMany: (retryAt: Date, now: Date) => DomainError;
  private lastPruneAt = 0;

  constructor(options: AttemptLimiterOptions = {}) {
    this.scope = options.scope ?? 'sign_in';
    this.maxFailures = options.maxFailures ?? MAX_FAILED_SIGN_INS;
    this.windowMs = options.windowMs ?? FAILED_SIGN_IN_WINDOW_MS;
    this.tooMany = options.tooMany ?? ((retryAt, now) => new TooManySignInsError(retryAt, now));
  }

  /**
   * Refuses the attempt when any key is over its limit; otherwise counts it as a failure of
   * every key, in the same transaction, until `succeeded` says otherwise. Counting only after
   * the (slow) password check let parallel guesses all pass the check before any was counted;
   * here the keys' rows stay locked (in key order, so two attempts never deadlock) until the
   * count is written, so parallel attempts queue.
   */
  async begin(db: Db, keys: string[], now: Date): Promise<Attempt> {
    await this.pruneNowAndThen(db, now);
    const sorted = [...new Set(keys.map(storedKey))].sort();
    const since = now.getTime() - this.windowMs;
    // Straight on the pg pool: a flood of attempts waits for a connection in line, where an
    // interactive Prisma transaction gives up after 2 s and would turn the wait into a 500.
    await inPgTransaction(db, async (client) => {
      const recentByKey = new Map<string, number[]>();
      for (const key of sorted) {
        const { rows } = await client.query<{ failures: Date[] | null }>(
          `INSERT INTO attempt_limits (scope, key, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (scope, key) DO UPDATE SET updated_at = attempt_limits.updated_at
           RETURNING failures`,
          [this.scope, key, now],
        );
        recentByKey.set(key, (rows[0]?.failures ?? []).map((d) => new Date(d).getTime()).filter((t) => t > since).sort((a, b) => a - b));
      }
      let retryAt: number | null = null;
      for (const recent of recentByKey.values()) {
        if (recent.length >= this.maxFailures) retryAt = Math.max(retryAt ?? 0, recent[recent.length - this.maxFailures]! + this.windowMs);
      }
      if (retryAt !== null) throw this.tooMany(new Date(retryAt), now);
      for (const [key, recent] of recentByKey) {
        const failures = [...recent, now.getTime()].slice(-this.maxFailures).map((t) => new Date(t));
        await client.query('UPDATE attempt_limits SET failures = $3::timestamptz[], updated_at = $4 WHERE scope = $1 AND key = $2', [this.scope, key, failures, now]);
      }
    });
    return { keys: sorted, at: now };
  }

  /**
   * The attempt was right: `clear` keys lose all their failures (the address that proved its
   * password), `withdraw` keys only this attempt (an IP that others may share).
   */
  async succeeded(db: Db, attempt: Attempt, keys: { clear: string[]; withdraw: string[] }): Promise<void> {
    await inPgTransaction(db, async (client) => {
      if (keys.clear.length) await client.query('DELETE FROM attempt_limits WHERE scope = $1 AND key = ANY($2::text[])', [this.scope, keys.clear.map(storedKey)]);
      for (const key of keys.withdraw.map(storedKey)) {
        const { rows } = await client.query<{ failures: Date[] | null }>('SELECT failures FROM attempt_limits WHERE scope = $1 AND key = $2 FOR UPDATE', [this.scope, key]);
        const failures = rows[0]?.failures ?? [];
        const index = failures.findIndex((d) => new Date(d).getTime() === attempt.at.getTime());
        if (index < 0) continue;
        await client.query('UPDATE attempt_limits SET failures = $3::timestamptz[] WHERE scope = $1 AND key = $2', [this.scope, key, failures.filter((_, i) => i !== index)]);
      }
    });
  }

  /** Failures of a key within the window (for tests and operators). */
  async failuresOf(db: DbTx, key: string, now: Date): Promise<number> {
    const row = await db.attemptLimit.findUnique({ where: { scope_key: { scope: this.scope, key: storedKey(key) } }, select: { failures: true } });
    return (row?.failures ?? []).filter((d) => d.getTime() > now.getTime() - this.windowMs).length;
  }

  private async pruneNowAndThen(db: Db, now: Date): Promise<void> {
    if (Math.abs(now.getTime() - this.lastPruneAt) < PRUNE_INTERVAL_MS) return;
    this.lastPruneAt = now.getTime();
    await db.attemptLimit.deleteMany({ where: { scope: this.scope, updatedAt: { lt: new Date(now.getTime() - this.windowMs) } } });
  }
}

/** Sign-in failures, per address and per IP. */
export class SignInLimiter extends AttemptLimiter {
  constructor(options: Omit<AttemptLimiterOptions, 'tooMany'> = {}) {
    super({ scope: 'sign_in', ...options, tooMany: (retryAt, now) => new TooManySignInsError(retryAt, now) });
  }
}

export function signInKeys(email: string, ip: string): { address: string; ip: string } {
  return { address: `address:${email}`, ip: `ip:${ip}` };
}

/** The limiters the API and the editors' pages share (their counts live in the database). */
export const defaultSignInLimiter = new SignInLimiter();
export const defaultPasswordCheckLimiter = new AttemptLimiter({
  scope: 'password_check',
  tooMany: (retryAt, now) => new TooManyPasswordChecksError(retryAt, now),
});
