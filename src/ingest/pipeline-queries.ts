// The ingest hot path's reads (the writes are store-raw.ts and write-outcome.ts): the messages
// still `received`, their bytes, which of a batch were processed before, and the organisation
// registry as extraction matches senders against it. The per-message reads are node-postgres
// (docs/architecture.md, "Reaching the database").
import { poolOf, type Db } from '../db/client.ts';

/** The organisations extraction knows, with the addresses and domains that identify them. */
export async function findOrganisationsForExtraction(db: Db) {
  return db.organisation.findMany({
    select: { id: true, name: true, shortName: true, senderAddresses: true, senderDomains: true },
  });
}

/** A page of the messages still `received`, oldest first, starting after `after`. */
export async function findReceivedMessages(db: Db, after: { receivedAt: Date; id: string } | undefined, pageSize: number) {
  return db.message.findMany({
    where: {
      status: 'received',
      ...(after ? { OR: [{ receivedAt: { gt: after.receivedAt } }, { receivedAt: after.receivedAt, id: { gt: after.id } }] } : {}),
    },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    select: { id: true, receivedAt: true },
    take: pageSize,
  });
}

/**
 * The size, and the raw bytes when at most `maxBytes`, of the messages among `ids` that are still
 * `received` (a larger one's bytes are not read: it will not be parsed).
 */
export async function readReceivedRaws(db: Db, ids: string[], maxBytes: number): Promise<Map<string, { size: number; raw: Buffer | null }>> {
  const { rows } = await poolOf(db).query<{ id: string; size: number; raw: Buffer | null }>(
    `SELECT id::text AS id, size, CASE WHEN size <= $2 THEN raw END AS raw FROM messages WHERE id = ANY($1::uuid[]) AND status = 'received'`,
    [ids, maxBytes],
  );
  return new Map(rows.map((row) => [row.id, { size: row.size, raw: row.raw }]));
}

/** Which of these dedup keys belong to messages already processed (status other than received). */
export async function findProcessedDedupKeys(db: Db, keys: string[]): Promise<Set<string>> {
  const { rows } = await poolOf(db).query<{ dedup_key: string }>(
    `SELECT dedup_key FROM messages WHERE dedup_key = ANY($1::text[]) AND status <> 'received'`,
    [keys],
  );
  return new Set(rows.map((r) => r.dedup_key));
}
