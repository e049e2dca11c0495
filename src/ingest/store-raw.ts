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

export interface RawInsert {
  raw: Buffer;
  source: MessageSource;
  location?: RawLocation | undefined;
  receivedAt?: Date;
}

/** Messages per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const ROWS_PER_STATEMENT = 500;

/**
 * Stores raw messages (and where each was seen) on `sql`, in order. Idempotent: a message
 * already stored returns its id with `created: false` (so does a second copy of one email in
 * `inputs`); a location already recorded is left as it is. One INSERT for many messages, not
 * one each: a round trip per message was most of the main thread's time in a large import.
 * Written with node-postgres (see src/db/client.ts): this is the hottest write of ingest.
 */
export async function insertRawMessages(sql: Queryable, inputs: RawInsert[]): Promise<StoredMessage[]> {
  const stored: StoredMessage[] = [];
  for (let start = 0; start < inputs.length; start += ROWS_PER_STATEMENT) {
    const part = inputs.slice(start, start + ROWS_PER_STATEMENT);
    const rows = await insertMessageRows(sql, part);
    stored.push(...rows);
    const located = part.flatMap((input, i) => (input.location ? [{ id: rows[i]!.id, ...input.location }] : []));
    if (located.length) {
      await sql.query(
        `INSERT INTO message_locations (id, message_id, mailbox, uid_validity, uid)
         SELECT gen_random_uuid(), l.message_id, l.mailbox, l.uid_validity, l.uid
         FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[]) AS l (message_id, mailbox, uid_validity, uid)
         ON CONFLICT (mailbox, uid_validity, uid) DO NOTHING`,
        [located.map((l) => l.id), located.map((l) => l.mailbox), located.map((l) => l.uidValidity.toString()), located.map((l) => l.uid.toString())],
      );
    }
  }
  return stored;
}

async function insertMessageRows(sql: Queryable, inputs: RawInsert[]): Promise<StoredMessage[]> {
  const now = new Date();
  const values: unknown[] = [];
  const rows = inputs.map((input, n) => {
    const sha256 = sha256Hex(input.raw);
    const messageIdHeader = readMessageIdHeader(input.raw);
    values.push(n, dedupKeyFor(messageIdHeader, sha256), input.source, messageIdHeader ?? null, sha256, input.raw.length, input.raw, input.receivedAt ?? now);
    const p = n * 8;
    return `($${p + 1}::int, $${p + 2}::text, $${p + 3}::text, $${p + 4}::text, $${p + 5}::text, $${p + 6}::int, $${p + 7}::bytea, $${p + 8}::timestamptz)`;
  });
  // INSERT ... ON CONFLICT DO NOTHING never aborts the surrounding transaction, unlike catching
  // a unique violation. `messages` read in the same statement does not see the rows it inserts:
  // joined, it gives the id of a message stored before. Of two copies of one email in `inputs`,
  // the first is the one created.
  const { rows: stored } = await sql.query<{ id: string | null; created: boolean }>(
    `WITH input (n, dedup_key, source, message_id_header, sha256, size, raw, received_at) AS (VALUES ${rows.join(', ')}),
     inserted AS (
       INSERT INTO messages (id, dedup_key, source, message_id_header, sha256, size, raw, received_at)
       SELECT gen_random_uuid(), dedup_key, source, message_id_header, sha256, size, raw, received_at FROM input ORDER BY n
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING id, dedup_key)
     SELECT coalesce(ins.id, m.id)::text AS id, (ins.id IS NOT NULL AND i.n = min(i.n) OVER (PARTITION BY i.dedup_key)) AS created
     FROM input i LEFT JOIN inserted ins ON ins.dedup_key = i.dedup_key LEFT JOIN messages m ON m.dedup_key = i.dedup_key
     ORDER BY i.n`,
    values,
  );
  return stored.map((row) => {
    // Stored by another transaction that committed after this statement began: try again.
    if (!row.id) throw new Error('storing the message returned no row');
    return { id: row.id, created: row.created };
  });
}

/** Stores messages, each run of at most MAX_TRANSACTION_BYTES in one statement: committed before this returns. */
export async function storeRawMessages(db: Db, inputs: { raw: Buffer; source: MessageSource }[]): Promise<StoredMessage[]> {
  const stored: StoredMessage[] = [];
  // Without locations the write is one INSERT, atomic and committed on its own: an explicit
  // transaction would only add two round trips (BEGIN, COMMIT).
  for (const chunk of splitBySize(inputs)) stored.push(...(await insertRawMessages(poolOf(db), chunk)));
  return stored;
}

/** Stores one message, committed before this returns. */
export async function storeRawMessage(
  db: Db,
  input: { raw: Buffer; source: MessageSource; location?: RawLocation | undefined },
): Promise<StoredMessage> {
  // Without a location the write is one INSERT, atomic and committed on its own: an explicit
  // transaction would only add two round trips (BEGIN, COMMIT) per message.
  const [stored] = input.location ? await inPgTransaction(db, (client) => insertRawMessages(client, [input])) : await insertRawMessages(poolOf(db), [input]);
  return stored!;
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
        const inChunk = await insertRawMessages(
          client,
          chunk.map((message) => ({ raw: message.raw, source: 'imap', location: { mailbox: input.mailbox, uidValidity: input.uidValidity, uid: message.uid } })),
        );
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
