// Which messages of a mailbox to fetch next, given our checkpoint: pure checkpoint arithmetic,
// kept apart from the IMAP and database I/O in imap-source.ts.

import { OUTCOME_CHUNK_SIZE } from '../pipeline.ts';

export interface Checkpoint {
  uidValidity: bigint;
  lastUid: number;
}

export type SyncPlan =
  /** Fetch the messages with UID >= fromUid (one UID SEARCH tells which exist). */
  | { kind: 'fetch'; fromUid: number }
  /**
   * UIDVALIDITY changed (the mailbox was recreated or the server rebuilt its index): every UID we
   * hold is meaningless, so fetch everything again and let deduplication find what we have.
   */
  | { kind: 'resync'; previousUidValidity: bigint };

/**
 * Messages fetched and committed together, with the checkpoint that covers them: three of the
 * pipeline's chunks, so that no batch ends in a short chunk.
 */
export const IMAP_BATCH_SIZE = 3 * OUTCOME_CHUNK_SIZE;

/**
 * UIDNEXT and the message count are not used as a shortcut: imapflow's cached UIDNEXT is not
 * refreshed by EXISTS during IDLE, and one UID SEARCH per wake-up is cheap.
 */
export function planSync(checkpoint: Checkpoint | null, mailboxUidValidity: bigint): SyncPlan {
  if (!checkpoint) return { kind: 'fetch', fromUid: 1 };
  if (checkpoint.uidValidity !== mailboxUidValidity) {
    return { kind: 'resync', previousUidValidity: checkpoint.uidValidity };
  }
  return { kind: 'fetch', fromUid: checkpoint.lastUid + 1 };
}

/**
 * The UIDs still to fetch, ascending. `UID SEARCH UID n:*` also returns the highest UID when it
 * is below n (RFC 3501 6.4.8), so UIDs we already hold are dropped here.
 */
export function selectNewUids(uids: readonly number[], fromUid: number): number[] {
  return [...new Set(uids.filter((uid) => uid >= fromUid))].sort((a, b) => a - b);
}

/** Splits ascending UIDs into batches of at most `size`, in order. */
export function splitIntoBatches(uids: readonly number[], size = IMAP_BATCH_SIZE): number[][] {
  const batches: number[][] = [];
  for (let i = 0; i < uids.length; i += size) batches.push(uids.slice(i, i + size));
  return batches;
}

/** The key a mailbox's checkpoint and locations are stored under: account and mailbox. */
export function formatMailboxKey(account: { user: string; host: string; mailbox: string }): string {
  return `${account.user}@${account.host}/${account.mailbox}`;
}
