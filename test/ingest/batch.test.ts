// The pipeline over many messages at once (processMessages, ingestRawMessages): outcomes in
// order, one transaction per chunk, likely duplicates found within a batch as well as against
// the database, and a message the database refuses failing alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRawMessages } from '../../src/ingest/ingest-raw.ts';
import { OUTCOME_CHUNK_SIZE, processMessages, processPendingMessages } from '../../src/ingest/pipeline.ts';
import { sha256Hex, storeRawMessage } from '../../src/ingest/store-raw.ts';
import { createDb } from '../../src/db/client.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { findFreePort } from '../support/dovecot.ts';
import { statementEmail, unparseableEmail } from '../support/imap-emails.ts';
import { testLogger } from '../support/logger.ts';

/** A statement email with its own Message-ID and the given text. */
function email(id: string, subject: string, body: string, date = 'Tue, 01 Mar 2022 09:00:00 +0000'): Buffer {
  return Buffer.from(
    `Message-ID: <${id}@example.org>\r\nFrom: Dock Workers Union <press@dockers.example.org>\r\nTo: submissions@example.com\r\n` +
      `Date: ${date}\r\nSubject: ${subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
  );
}

const STRIKE_TEXT =
  'The Dock Workers Union stands with the port strikers who have stopped work for three weeks for safe working\r\n' +
  'conditions and a living wage. We call on the port authority to negotiate in good faith, to withdraw every\r\n' +
  'threat of dismissal and to recognise the elected strike committee as the voice of the workers in the port.\r\n';

describe('processing a batch of messages', () => {
  let t: TestDatabase;
  const deps = () => ({ db: t.db, logger: testLogger });
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.drop());

  it('stores every message byte-exact and returns one outcome per message, in order', async () => {
    const raws = [statementEmail('batch', 1), unparseableEmail('batch'), statementEmail('batch', 2)];
    const results = await ingestRawMessages(deps(), raws.map((raw) => ({ raw, source: 'import' as const })));
    expect(results.map((r) => r.outcome.status)).toEqual(['drafted', 'failed', 'drafted']);
    expect(results.every((r) => r.stored.created)).toBe(true);
    for (const [i, { stored }] of results.entries()) {
      const message = await t.db.message.findUniqueOrThrow({ where: { id: stored.id } });
      expect(message.sha256).toBe(sha256Hex(raws[i]!));
      expect(Buffer.from(message.raw).equals(raws[i]!)).toBe(true);
    }
    const failed = await t.db.message.findUniqueOrThrow({ where: { id: results[1]!.stored.id } });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^could not parse the message: /);

    // The same bytes again: recognised, and not processed twice.
    const again = await ingestRawMessages(deps(), raws.map((raw) => ({ raw, source: 'import' as const })));
    expect(again.map((r) => [r.stored.created, r.outcome.status])).toEqual([
      [false, 'skipped'],
      [false, 'skipped'],
      [false, 'skipped'],
    ]);
    expect(await t.db.statement.count({ where: { messageId: { in: results.map((r) => r.stored.id) } } })).toBe(2);
  });

  it('processes every message left received, page after page, oldest first', async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) ids.push((await storeRawMessage(t.db, { raw: statementEmail('pending', n), source: 'import' })).id);
    expect(await processPendingMessages(deps(), { pageSize: 2 })).toBe(5);
    const messages = await t.db.message.findMany({ where: { id: { in: ids } }, select: { status: true } });
    expect(messages.map((m) => m.status)).toEqual(Array(5).fill('drafted'));
    expect(await processPendingMessages(deps(), { pageSize: 2 })).toBe(0);
  });

  it("stores a statement's own sender: the forwarded message's From in a forward", async () => {
    const forward = Buffer.from(
      `Message-ID: <fwd-sender@example.org>\r\nFrom: A Member <member@gmail.example>\r\nTo: submissions@example.com\r\n` +
        `Date: Tue, 01 Mar 2022 10:00:00 +0000\r\nSubject: Fwd: Hands off the union\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
        `Please publish.\r\n\r\n---------- Forwarded message ---------\r\nFrom: Dock Workers Union <press@dockers.example.org>\r\n` +
        `Date: Mon, 28 Feb 2022 at 18:00\r\nSubject: Hands off the union\r\nTo: <member@gmail.example>\r\n\r\n` +
        'The Dock Workers Union protests the arrest of its shop stewards and demands their release today.\r\n',
    );
    const [forwarded, direct] = await ingestRawMessages(deps(), [
      { raw: forward, source: 'import' },
      { raw: email('direct-sender', 'Bread and peace', 'The Dock Workers Union calls for bread and peace in every port of the country.'), source: 'import' },
    ]);
    const statementOf = (id: string) => t.db.statement.findFirstOrThrow({ where: { messageId: id } });
    expect(await statementOf(forwarded!.stored.id)).toMatchObject({ senderAddress: 'press@dockers.example.org', forwardedBy: 'A Member <member@gmail.example>' });
    expect(await statementOf(direct!.stored.id)).toMatchObject({ senderAddress: 'press@dockers.example.org', forwardedBy: null });
  });

  it('leaves messages received when the database goes away, for processPendingMessages to draft later', async () => {
    const raws = [statementEmail('outage', 1), statementEmail('outage', 2)];
    const ids = [];
    for (const raw of raws) ids.push((await storeRawMessage(t.db, { raw, source: 'import' })).id);
    // The same database, out of reach: nothing answers on that port.
    const gone = createDb(`postgresql://postgres@127.0.0.1:${await findFreePort()}/gone`, { maxConnections: 1 });
    try {
      await expect(
        processMessages({ db: gone, logger: testLogger, extractContext: { organisations: [] } }, ids.map((messageId, i) => ({ messageId, raw: raws[i]! }))),
      ).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await gone.$disconnect();
    }
    expect((await t.db.message.findMany({ where: { id: { in: ids } } })).map((m) => m.status)).toEqual(['received', 'received']);
    expect(await processPendingMessages(deps())).toBe(2);
    expect((await t.db.message.findMany({ where: { id: { in: ids } } })).map((m) => m.status)).toEqual(['drafted', 'drafted']);
  });

  it('drafts a message listed twice in one batch once', async () => {
    const { id } = await storeRawMessage(t.db, { raw: statementEmail('twice', 1), source: 'import' });
    const outcomes = await processMessages(deps(), [{ messageId: id }, { messageId: id }]);
    expect(outcomes.map((o) => o.status)).toEqual(['drafted', 'skipped']);
    expect(await t.db.statement.count({ where: { messageId: id } })).toBe(1);
  });

  it('flags a copy as a likely duplicate within one chunk, across chunks, and against earlier batches', async () => {
    const filler = Array.from({ length: OUTCOME_CHUNK_SIZE + 2 }, (_, n) => statementEmail('dup-filler', n + 1));
    const raws = [
      email('dup-original', 'Solidarity with the port strike', STRIKE_TEXT),
      email('dup-same-chunk', 'Fwd: Solidarity with the port strike', STRIKE_TEXT),
      ...filler,
      email('dup-next-chunk', 'Re-sent: Solidarity with the port strike', STRIKE_TEXT),
    ];
    const results = await ingestRawMessages(deps(), raws.map((raw) => ({ raw, source: 'import' as const })));
    expect(results.every((r) => r.outcome.status === 'drafted')).toBe(true);
    const statementOf = async (index: number) => t.db.statement.findFirstOrThrow({ where: { messageId: results[index]!.stored.id } });
    const original = await statementOf(0);
    expect(original.likelyDuplicateOfId).toBeNull();
    const sameChunk = await statementOf(1);
    expect(sameChunk.likelyDuplicateOfId).toBe(original.id);
    expect(sameChunk.extraction).toMatchObject({ warnings: expect.arrayContaining([expect.stringMatching(/likely a copy of an earlier draft/)]) });
    const nextChunk = await statementOf(raws.length - 1);
    expect(results.length - 1).toBeGreaterThanOrEqual(OUTCOME_CHUNK_SIZE);
    expect([original.id, sameChunk.id]).toContain(nextChunk.likelyDuplicateOfId);
    // The filler statements share a template, not a text: none of them is flagged against the strike statement.
    const fillerStatements = await t.db.statement.findMany({ where: { messageId: { in: results.slice(2, -1).map((r) => r.stored.id) } } });
    expect(fillerStatements.some((s) => s.likelyDuplicateOfId === original.id)).toBe(false);

    // A later batch finds the copy in the database.
    const [later] = await ingestRawMessages(deps(), [{ raw: email('dup-later', 'Solidarity with the port strike (again)', STRIKE_TEXT), source: 'import' }]);
    const laterStatement = await t.db.statement.findFirstOrThrow({ where: { messageId: later!.stored.id } });
    expect(laterStatement.likelyDuplicateOfId).not.toBeNull();
  });

  it('marks only the message the database refuses as failed; the rest of its chunk is drafted', async () => {
    // A real refusal from PostgreSQL for one statement: a trigger rejecting one title.
    await t.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.title LIKE '%poison%' THEN RAISE EXCEPTION 'refused for the test' USING ERRCODE = '22023'; END IF;
        RETURN NEW;
      END $$`);
    await t.db.$executeRawUnsafe('CREATE TRIGGER refuse_poison BEFORE INSERT ON statements FOR EACH ROW EXECUTE FUNCTION refuse_poison()');
    try {
      const raws = [
        email('refuse-1', 'Peace in the region', 'We call for an immediate ceasefire and for talks between all sides of the war.'),
        email('refuse-2', 'A poison pill', 'This statement is refused by the database for the sake of the test, nothing else.'),
        email('refuse-3', 'Bread and roses', 'The union of textile workers demands bread and roses for every worker in the city.'),
      ];
      const results = await ingestRawMessages(deps(), raws.map((raw) => ({ raw, source: 'import' as const })));
      expect(results.map((r) => r.outcome.status)).toEqual(['drafted', 'failed', 'drafted']);
      const refused = await t.db.message.findUniqueOrThrow({ where: { id: results[1]!.stored.id } });
      expect(refused.status).toBe('failed');
      expect(refused.error).toBe('could not extract a draft: the database refused it (22023: refused for the test); the email is kept raw, and the service log has the details');
      expect(await t.db.statement.count({ where: { messageId: refused.id } })).toBe(0);
      expect(await t.db.statement.count({ where: { messageId: { in: [results[0]!.stored.id, results[2]!.stored.id] } } })).toBe(2);
    } finally {
      await t.db.$executeRawUnsafe('DROP TRIGGER refuse_poison ON statements');
      await t.db.$executeRawUnsafe('DROP FUNCTION refuse_poison()');
    }
  });
});
