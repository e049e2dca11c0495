import { describe, expect, it } from 'vitest';
import { computeBackoffMs } from '../../src/net/backoff.ts';
import { formatMailboxKey, planSync, selectNewUids, splitIntoBatches } from '../../src/ingest/sources/imap-sync-plan.ts';
import { advisoryLockKey } from '../../src/ingest/sources/mailbox-lock.ts';

describe('planSync', () => {
  it.each([
    { name: 'first run fetches from UID 1', checkpoint: null, validity: 5n, plan: { kind: 'fetch', fromUid: 1 } },
    { name: 'same UIDVALIDITY continues after the last UID', checkpoint: { uidValidity: 5n, lastUid: 41 }, validity: 5n, plan: { kind: 'fetch', fromUid: 42 } },
    { name: 'a reset checkpoint starts from UID 1', checkpoint: { uidValidity: 5n, lastUid: 0 }, validity: 5n, plan: { kind: 'fetch', fromUid: 1 } },
    { name: 'a new UIDVALIDITY means a full resync', checkpoint: { uidValidity: 5n, lastUid: 41 }, validity: 6n, plan: { kind: 'resync', previousUidValidity: 5n } },
    { name: 'a lower UIDVALIDITY is a change too', checkpoint: { uidValidity: 9n, lastUid: 3 }, validity: 2n, plan: { kind: 'resync', previousUidValidity: 9n } },
  ])('$name', ({ checkpoint, validity, plan }) => {
    expect(planSync(checkpoint, validity)).toEqual(plan);
  });
});

describe('selectNewUids', () => {
  it.each([
    { name: 'keeps UIDs from the start, ascending', uids: [9, 7, 8], from: 7, out: [7, 8, 9] },
    { name: 'drops the highest UID that UID SEARCH n:* returns when nothing is new', uids: [41], from: 42, out: [] },
    { name: 'drops duplicates', uids: [3, 3, 4], from: 1, out: [3, 4] },
    { name: 'keeps gaps left by expunged mail', uids: [1, 5, 900], from: 1, out: [1, 5, 900] },
  ])('$name', ({ uids, from, out }) => {
    expect(selectNewUids(uids, from)).toEqual(out);
  });
});

describe('splitIntoBatches', () => {
  it('splits in order into bounded batches', () => {
    expect(splitIntoBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(splitIntoBatches([], 2)).toEqual([]);
    // The default: three pipeline chunks of 16 per batch.
    expect(splitIntoBatches(Array.from({ length: 120 }, (_, i) => i + 1)).map((b) => b.length)).toEqual([48, 48, 24]);
  });
});

describe('computeBackoffMs', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };
  it.each([
    { attempt: 1, random: 0, ms: 500 },
    { attempt: 1, random: 0.999999, ms: 1000 },
    { attempt: 2, random: 0.5, ms: 1500 },
    { attempt: 3, random: 0, ms: 2000 },
    { attempt: 7, random: 0, ms: 30_000 },
    { attempt: 8, random: 0.999999, ms: 60_000 },
    { attempt: 1000, random: 0.5, ms: 45_000 },
  ])('attempt $attempt with random $random waits $ms ms', ({ attempt, random, ms }) => {
    expect(computeBackoffMs(attempt, policy, () => random)).toBe(ms);
  });

  it('never waits less than half the step, so a retry never comes at once', () => {
    for (let attempt = 1; attempt < 12; attempt++) {
      const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      expect(computeBackoffMs(attempt, policy, Math.random)).toBeGreaterThanOrEqual(ceiling / 2);
    }
  });
});

describe('mailbox identity', () => {
  it('names account and mailbox in the checkpoint key', () => {
    expect(formatMailboxKey({ user: 'desk@example.org', host: 'imap.example.org', mailbox: 'INBOX' })).toBe(
      'desk@example.org@imap.example.org/INBOX',
    );
  });

  it('gives each mailbox its own stable 64-bit advisory lock key', () => {
    const a = advisoryLockKey('desk@example.org@imap.example.org/INBOX');
    expect(advisoryLockKey('desk@example.org@imap.example.org/INBOX')).toBe(a);
    expect(advisoryLockKey('desk@example.org@imap.example.org/Submissions')).not.toBe(a);
    expect(a >= -(2n ** 63n) && a < 2n ** 63n).toBe(true);
  });
});
