// Reconnect delays for ingest sources: exponential back-off with jitter, so that many clients
// (or one client and a restarting server) do not retry in lock-step.

export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** The delay never grows past this. */
  maxMs: number;
}

/**
 * One second, doubling up to thirty seconds: a server that comes back is used again within
 * half a minute even after a long outage (five minutes before), and a reconnect attempt every
 * 15-30 s costs the server nothing worth saving.
 */
export const DEFAULT_RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000 };

/**
 * The delay before retry number `attempt` (1 for the first retry): base * 2^(attempt-1), capped,
 * then "equal jitter": half of it fixed, half random, so a retry never comes at once.
 * `random` returns a number in [0, 1) (Math.random in production, fixed in tests).
 */
export function computeBackoffMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^31 is far past any cap; clamping the exponent keeps the maths finite for long outages.
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 31));
  const half = ceiling / 2;
  return Math.round(half + half * Math.min(Math.max(random(), 0), 1));
}
