import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMessageIdHeader, splitBySize, storeImapBatch, storeRawMessage, storeRawMessages, sha256Hex } from '../src/ingest/store-raw.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';

const email = (id: string, body = 'Hello') =>
  Buffer.from(`Message-ID: <${id}@example.org>\r\nFrom: a@example.org\r\nSubject: Test\r\n\r\n${body}\r\n`);

describe('raw archive', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.drop());

  it('stores the bytes exactly and returns the same record for the same email stored twice', async () => {
    const raw = Buffer.concat([email('twice'), Buffer.from([0xff, 0xfe, 0x00, 0x80])]);
    const first = await storeRawMessage(t.db, { raw, source: 'drop' });
    const second = await storeRawMessage(t.db, { raw, source: 'drop' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const row = await t.db.message.findUniqueOrThrow({ where: { id: first.id } });
    expect(Buffer.from(row.raw).equals(raw)).toBe(true);
    expect(row.sha256).toBe(sha256Hex(raw));
    expect(row.messageIdHeader).toBe('twice@example.org');
  });

  it('stores many emails in one call, in order: the first of two copies is created, the second and one stored before are recognised', async () => {
    const before = await storeRawMessage(t.db, { raw: email('stored-before'), source: 'drop' });
    // More than one INSERT holds (500 rows), to store across statements as well.
    const raws = Array.from({ length: 520 }, (_, n) => email(`many-${n}`, `body ${n}`));
    raws.splice(10, 0, email('stored-before'), email('many-3', 'body 3'));
    const stored = await storeRawMessages(t.db, raws.map((raw) => ({ raw, source: 'import' as const })));
    expect(stored).toHaveLength(522);
    expect(stored[10]).toEqual({ id: before.id, created: false });
    expect(stored[11]).toEqual({ id: stored[3]!.id, created: false });
    expect(stored.filter((s) => s.created)).toHaveLength(520);
    const rows = await t.db.message.findMany({ where: { id: { in: stored.map((s) => s.id) } }, select: { id: true, raw: true } });
    const byId = new Map(rows.map((r) => [r.id, Buffer.from(r.raw)]));
    stored.forEach((s, i) => expect(byId.get(s.id)!.equals(raws[i]!)).toBe(true));
  });

  it('keeps two different emails that share a Message-ID apart', async () => {
    const a = await storeRawMessage(t.db, { raw: email('shared', 'one'), source: 'drop' });
    const b = await storeRawMessage(t.db, { raw: email('shared', 'two'), source: 'drop' });
    expect(a.id).not.toBe(b.id);
  });

  it('advances the checkpoint with the batch, and a second mailbox holding the same email adds a location, not a message', async () => {
    const raw = email('batch');
    await storeImapBatch(t.db, { mailbox: 'a', uidValidity: 7n, lastUid: 3n, messages: [{ uid: 3n, raw }] });
    const [again] = await storeImapBatch(t.db, { mailbox: 'b', uidValidity: 9n, lastUid: 1n, messages: [{ uid: 1n, raw }] });
    expect(again!.created).toBe(false);
    const locations = await t.db.messageLocation.findMany({ where: { messageId: again!.id }, orderBy: { mailbox: 'asc' } });
    expect(locations.map((l) => [l.mailbox, l.uidValidity, l.uid])).toEqual([
      ['a', 7n, 3n],
      ['b', 9n, 1n],
    ]);
    expect((await t.db.mailboxCheckpoint.findUniqueOrThrow({ where: { mailbox: 'a' } })).lastUid).toBe(3n);
  });

  it('reads a folded Message-ID header without a MIME parser', () => {
    expect(readMessageIdHeader(Buffer.from('Subject: x\r\nMessage-ID:\r\n <folded@example.org>\r\n\r\nbody'))).toBe('folded@example.org');
    expect(readMessageIdHeader(Buffer.from('Subject: x\n\nMessage-ID: <in-body@example.org>\n'))).toBeUndefined();
  });

  // Regression: 50 messages of 2 MB in one transaction outlived Prisma's 5 s default and the
  // poller retried the same batch for ever.
  it('stores a backlog of large messages in several commits, the checkpoint at the last UID', { timeout: 120_000 }, async () => {
    const big = (n: number) => Buffer.concat([email(`big-${n}`), Buffer.alloc(3 * 1024 * 1024, 'x')]);
    const messages = Array.from({ length: 12 }, (_, n) => ({ uid: BigInt(100 + n), raw: big(n) }));
    const stored = await storeImapBatch(t.db, { mailbox: 'large', uidValidity: 1n, lastUid: 120n, messages: messages.reverse() });
    expect(stored).toHaveLength(12);
    expect(stored.every((s) => s.created)).toBe(true);
    expect(await t.db.messageLocation.count({ where: { mailbox: 'large' } })).toBe(12);
    expect((await t.db.mailboxCheckpoint.findUniqueOrThrow({ where: { mailbox: 'large' } })).lastUid).toBe(120n);
  });

  it('splits by size, keeping order, and puts an oversized message alone', () => {
    const m = (kb: number) => ({ raw: Buffer.alloc(kb * 1024) });
    const sizes = splitBySize([m(6), m(6), m(6), m(30), m(1)], 16 * 1024).map((chunk) => chunk.map((x) => x.raw.length / 1024));
    expect(sizes).toEqual([[6, 6], [6], [30], [1]]);
  });
});

