// Raw archive first (DESIGN.md "Nothing is lost", "Nothing is doubled"): every message is
// committed byte-exact before it is parsed. The same email reached again (a resync, a second
// mailbox, a re-dropped file) maps to the same row through `dedupKey`.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inPgTransaction, poolOf, type Db, type DbTx } from '../db/client.ts';

export type MessageSource = 'imap' | 'drop' | 'mbox' | 'import';

export interface RawLocation {
  mailbox: string;
  uidValidity: bigint;
  uid: bigint;
}

export interface StoredMessage {
  id: string;
  /** False when the same email was already stored. */
  created: boolean;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The Message-ID header as written at the top of the raw message, read without a MIME parser so
 * that storing never depends on parsing succeeding.
 */
export function readMessageIdHeader(raw: Buffer): string | undefined {
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.subarray(0, end >= 0 ? end : Math.min(raw.length, 64 * 1024)).toString('latin1');
  const match = /^message-id:[ \t]*((?:.*)(?:\r?\n[ \t]+.*)*)/im.exec(head);
  // Without U+0000, which a text column refuses (storing must never fail on what a sender wrote),
  // and no longer than any real Message-ID.
  const value = match?.[1]?.replace(/\r?\n[ \t]+/g, ' ').replace(/\u0000/g, '').trim().slice(0, MAX_MESSAGE_ID_CHARS);
  return value ? value.replace(/^<|>$/g, '') || undefined : undefined;
}

const MAX_MESSAGE_ID_CHARS = 998;

/**
 * In effect a content hash: the sha256 of the raw bytes decides. The Message-ID folded in adds
 * nothing (the header is part of those bytes); it is kept because stored keys were made this way.
 * So the same bytes are one message however often they arrive, and two copies of one email that
 * differ by a byte (another Received header, say) are two messages.
 */
export function dedupKeyFor(messageIdHeader: string | undefined, sha256: string): string {
  return createHash('sha256').update(`${messageIdHeader ?? ''}\n${sha256}`).digest('hex');
}

/** Something to run SQL on: the pool (one statement, autocommitted) or a transaction's client. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.ClientBase;

/**
 * Stores one raw message (and where it was seen) on `sql`. Idempotent: a message already
 * stored returns its id with `created: false`; a location already recorded is left as it is.
 * Written with node-postgres (see src/db/client.ts): this is the hottest write of ingest.
 */
export async function insertRawMessage(
  sql: Queryable,
  input: { raw: Buffer; source: MessageSource; location?: RawLocation | undefined; receivedAt?: Date },
): Promise<StoredMessage> {
  const sha256 = sha256Hex(input.raw);
  const messageIdHeader = readMessageIdHeader(input.raw);
  const dedupKey = dedupKeyFor(messageIdHeader, sha256);
  // INSERT ... ON CONFLICT DO NOTHING never aborts the surrounding transaction, unlike catching
  // a unique violation; the UNION returns the existing row's id when there was a conflict.
  const { rows } = await sql.query<{ id: string; created: boolean }>(
    `WITH inserted AS (
       INSERT INTO messages (id, dedup_key, source, message_id_header, sha256, size, raw, received_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING id)
     SELECT id::text AS id, true AS created FROM inserted
     UNION ALL
     SELECT id::text AS id, false AS created FROM messages WHERE dedup_key = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
    [dedupKey, input.source, messageIdHeader ?? null, sha256, input.raw.length, input.raw, input.receivedAt ?? new Date()],
  );
  const row = rows[0];
  if (!row) throw new Error('storing the message returned no row');
  if (input.location) {
    await sql.query(
      `INSERT INTO message_locations (id, message_id, mailbox, uid_validity, uid)
       VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4)
       ON CONFLICT (mailbox, uid_validity, uid) DO NOTHING`,
      [row.id, input.location.mailbox, input.location.uidValidity.toString(), input.location.uid.toString()],
    );
  }
  return { id: row.id, created: row.created };
}

/** Stores messages in one transaction each run of at most MAX_TRANSACTION_BYTES: committed before this returns. */
export async function storeRawMessages(db: Db, inputs: { raw: Buffer; source: MessageSource }[]): Promise<StoredMessage[]> {
  const stored: StoredMessage[] = [];
  for (const chunk of splitBySize(inputs)) {
    if (chunk.length === 1) {
      stored.push(await storeRawMessage(db, chunk[0]!));
      continue;
    }
    stored.push(
      ...(await inPgTransaction(db, async (client) => {
        const inChunk: StoredMessage[] = [];
        for (const input of chunk) inChunk.push(await insertRawMessage(client, input));
        return inChunk;
      })),
    );
  }
  return stored;
}

/** Stores one message, committed before this returns. */
export async function storeRawMessage(
  db: Db,
  input: { raw: Buffer; source: MessageSource; location?: RawLocation | undefined },
): Promise<StoredMessage> {
  // Without a location the write is one INSERT, atomic and committed on its own: an explicit
  // transaction would only add two round trips (BEGIN, COMMIT) per message.
  if (!input.location) return insertRawMessage(poolOf(db), input);
  return inPgTransaction(db, (client) => insertRawMessage(client, input));
}

/** Raw bytes committed in one transaction at most (a larger single message goes alone). */
export const MAX_TRANSACTION_BYTES = 16 * 1024 * 1024;

/** Splits messages (in UID order) into runs of at most maxBytes each; a larger message alone. */
export function splitBySize<T extends { raw: Buffer }>(messages: T[], maxBytes = MAX_TRANSACTION_BYTES): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (current.length && bytes + message.raw.length > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += message.raw.length;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * Stores a batch fetched from one mailbox and advances that mailbox's checkpoint in the same
 * transaction, so a crash can only mean re-fetching, never skipping. A batch of more than
 * MAX_TRANSACTION_BYTES is committed in several transactions, each advancing the checkpoint to
 * the last UID it holds (the last one to `lastUid`): a backlog of large attachments never
 * outgrows one transaction, and every commit still covers exactly what it stored.
 */
export async function storeImapBatch(
  db: Db,
  input: { mailbox: string; uidValidity: bigint; lastUid: bigint; messages: { uid: bigint; raw: Buffer }[] },
): Promise<StoredMessage[]> {
  const sorted = [...input.messages].sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  const chunks = sorted.length ? splitBySize(sorted) : [[]];
  const stored: StoredMessage[] = [];
  for (const [index, chunk] of chunks.entries()) {
    const lastUid = index === chunks.length - 1 ? input.lastUid : chunk[chunk.length - 1]!.uid;
    stored.push(
      ...(await inPgTransaction(db, async (client) => {
        const inChunk: StoredMessage[] = [];
        for (const message of chunk) {
          inChunk.push(
            await insertRawMessage(client, {
              raw: message.raw,
              source: 'imap',
              location: { mailbox: input.mailbox, uidValidity: input.uidValidity, uid: message.uid },
            }),
          );
        }
        await writeCheckpoint(client, { mailbox: input.mailbox, uidValidity: input.uidValidity, lastUid });
        return inChunk;
      })),
    );
  }
  return stored;
}

/**
 * Starts a mailbox over after its UIDVALIDITY changed: the old UIDs mean nothing now, so every
 * message is fetched again and deduplication recognises those already stored.
 */
export async function resetCheckpoint(db: Db, mailbox: string, uidValidity: bigint): Promise<void> {
  await writeCheckpoint(poolOf(db), { mailbox, uidValidity, lastUid: 0n });
}

/**
 * The one writer of a mailbox's checkpoint: where the next fetch starts. Called with the
 * transaction that stores the messages up to `lastUid`, so the checkpoint never passes a
 * message that was not committed.
 */
async function writeCheckpoint(sql: Queryable, checkpoint: { mailbox: string; uidValidity: bigint; lastUid: bigint }): Promise<void> {
  await sql.query(
    `INSERT INTO mailbox_checkpoints (mailbox, uid_validity, last_uid, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (mailbox) DO UPDATE SET uid_validity = EXCLUDED.uid_validity, last_uid = EXCLUDED.last_uid, updated_at = now()`,
    [checkpoint.mailbox, checkpoint.uidValidity.toString(), checkpoint.lastUid.toString()],
  );
}

export async function readCheckpoint(db: DbTx, mailbox: string) {
  return db.mailboxCheckpoint.findUnique({ where: { mailbox } });
}
