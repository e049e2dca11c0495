// Retention and a sender's erasure request: the mail goes, a tombstone stays, a copy sent again
// is still recognised, and what was published stays unless the request includes it.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRawMessages } from '../../src/ingest/ingest-raw.ts';
import { applyRetention, eraseSender, pruneExpiredSessions, retentionCutoffs } from '../../src/retention/erase.ts';
import { createSession } from '../../src/editors/sessions.ts';
import { buildTestApp, createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/logger.ts';
import { createStatement } from '../support/statements.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const DAY = 86_400_000;

function email(from: string, subject: string, body: string, messageId: string): Buffer {
  return Buffer.from(
    [`From: ${from}`, 'To: desk@example.org', `Subject: ${subject}`, `Message-ID: <${messageId}>`, 'Date: Tue, 01 Dec 2026 10:00:00 +0000', '', body, ''].join('\r\n'),
  );
}

describe('retention policy', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.drop());

  it('computes no cutoff for a status whose retention is unset', () => {
    expect(retentionCutoffs({}, NOW)).toEqual({});
    expect(retentionCutoffs({ failedDays: 30 }, NOW)).toEqual({ failed: new Date(NOW.getTime() - 30 * DAY) });
  });

  it('erases ignored and failed mail past its retention, keeps the tombstone, and still recognises a copy sent again', async () => {
    const autoReply = email('Out of office <ooo@example.net>', 'Automatic reply: away', 'I am away until Monday.', 'ooo-1@example.net');
    const [ignored] = await ingestRawMessages({ db: t.db, logger: testLogger }, [{ raw: autoReply, source: 'import' }]);
    expect(ignored!.outcome.status).toBe('ignored');
    const recent = email('Other <ooo2@example.net>', 'Automatic reply: away', 'Back soon.', 'ooo-2@example.net');
    const [kept] = await ingestRawMessages({ db: t.db, logger: testLogger }, [{ raw: recent, source: 'import' }]);
    // The first arrived 40 days ago, the second yesterday.
    await t.db.message.update({ where: { id: ignored!.stored.id }, data: { receivedAt: new Date(NOW.getTime() - 40 * DAY) } });
    await t.db.message.update({ where: { id: kept!.stored.id }, data: { receivedAt: new Date(NOW.getTime() - DAY) } });

    const result = await applyRetention(t.db, { ignoredDays: 30 }, NOW);
    expect(result).toEqual({ ignored: 1, failed: 0, rejected: 0 });

    const erased = await t.db.message.findUniqueOrThrow({ where: { id: ignored!.stored.id } });
    expect(Buffer.from(erased.raw).length).toBe(0);
    expect(erased.erasedAt).toEqual(NOW);
    expect([erased.fromAddress, erased.subject, erased.textBody, erased.headers]).toEqual([null, null, null, null]);
    // The tombstone: what it was, and when, without what it said.
    expect(erased.status).toBe('ignored');
    expect(erased.statusReason).toBeTruthy();
    expect(erased.size).toBe(autoReply.length);
    const untouched = await t.db.message.findUniqueOrThrow({ where: { id: kept!.stored.id } });
    expect(untouched.erasedAt).toBeNull();
    expect(Buffer.from(untouched.raw).equals(recent)).toBe(true);

    // The same email again is the same (erased) record, not a new message to process.
    const [again] = await ingestRawMessages({ db: t.db, logger: testLogger }, [{ raw: autoReply, source: 'import' }]);
    expect(again!.stored.id).toBe(ignored!.stored.id);
    expect(again!.outcome.status).toBe('skipped');
    expect(await t.db.message.count({ where: { sha256: erased.sha256 } })).toBe(1);

    const audit = await t.db.auditEntry.findFirstOrThrow({ where: { action: 'retention.erase' } });
    expect(audit.details).toMatchObject({ status: 'ignored', messages: 1 });
    // A second pass finds nothing more to do.
    expect(await applyRetention(t.db, { ignoredDays: 30 }, NOW)).toEqual({ ignored: 0, failed: 0, rejected: 0 });
  });

  it('erases the email and draft text of statements rejected long enough ago, and leaves other statements alone', async () => {
    const rejected = await createStatement(t.db, {
      status: 'rejected',
      bodyText: 'Signed by Jane Roe, 12 Example Street.',
      signatories: [{ name: 'Jane Roe' }],
      message: { fromAddress: 'jane@example.com', raw: 'From: jane@example.com\r\nSubject: x\r\n\r\nJane Roe\r\n' },
    });
    const published = await createStatement(t.db, { status: 'published', message: { fromAddress: 'pub@example.com' } });
    await t.db.$executeRaw`UPDATE statements SET updated_at = ${new Date(NOW.getTime() - 100 * DAY)} WHERE id IN (${rejected.id}::uuid, ${published.id}::uuid)`;

    expect((await applyRetention(t.db, { rejectedDays: 90 }, NOW)).rejected).toBe(1);
    const after = await t.db.statement.findUniqueOrThrow({ where: { id: rejected.id }, include: { message: true } });
    expect(after.bodyText).toBe('');
    expect(after.signatories).toEqual([]);
    expect(after.status).toBe('rejected');
    expect(after.message!.erasedAt).toEqual(NOW);
    const pub = await t.db.statement.findUniqueOrThrow({ where: { id: published.id }, include: { message: true } });
    expect(pub.message!.erasedAt).toBeNull();
    expect(pub.bodyText).not.toBe('');
  });

  it('prunes sessions that expired more than a day ago', async () => {
    const editor = await createTestEditor(t.db);
    const old = await createSession(t.db, { editorId: editor.id, now: new Date(NOW.getTime() - 3 * DAY), ttlMs: DAY });
    const live = await createSession(t.db, { editorId: editor.id, now: NOW, ttlMs: DAY });
    expect(await pruneExpiredSessions(t.db, NOW)).toBe(1);
    expect(await t.db.session.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await t.db.session.findUnique({ where: { id: live.id } })).not.toBeNull();
  });
});

describe("a sender's erasure request", () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let admin: TestEditor;
  let editor: TestEditor;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db, { now: () => NOW });
    admin = await createTestEditor(t.db, 'admin');
    editor = await createTestEditor(t.db, 'editor');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('erases their emails and unpublished statements, keeps the published one unless asked, and audits it', async () => {
    const address = 'Press@Union.example';
    const draft = await createStatement(t.db, { status: 'draft', message: { fromAddress: 'press@union.example' } });
    const published = await createStatement(t.db, { status: 'published', message: { fromAddress: 'press@union.example' } });
    const other = await createStatement(t.db, { status: 'draft', message: { fromAddress: 'someone@else.example' } });

    const first = await eraseSender(t.db, { address, includePublished: false, actor: 'cli', now: NOW });
    expect(first).toEqual({ messages: 1, attachments: 0, statementsDeleted: 1, statementsWithdrawn: 0, publishedKept: 1 });
    expect(await t.db.statement.findUnique({ where: { id: draft.id } })).toBeNull();
    expect((await t.db.message.findUniqueOrThrow({ where: { id: draft.messageId! } })).erasedAt).toEqual(NOW);
    const kept = await t.db.statement.findUniqueOrThrow({ where: { id: published.id }, include: { message: true } });
    expect(kept.status).toBe('published');
    expect(kept.message!.erasedAt).toBeNull();
    expect(await t.db.statement.findUnique({ where: { id: other.id } })).not.toBeNull();

    // Through the API, an administrator includes the published statement: withdrawn and emptied.
    const response = await app.inject({
      method: 'POST',
      url: '/api/erasures',
      headers: admin.headers,
      payload: { sender: address, includePublished: true },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ messages: 1, attachments: 0, statementsDeleted: 0, statementsWithdrawn: 1, publishedKept: 0 });
    const withdrawn = await t.db.statement.findUniqueOrThrow({ where: { id: published.id }, include: { message: true } });
    expect(withdrawn.status).toBe('unpublished');
    expect(withdrawn.bodyText).toBe('');
    expect(withdrawn.message!.erasedAt).toEqual(NOW);
    const feed = await app.inject({ method: 'GET', url: '/feed.json' });
    expect(feed.body).not.toContain(kept.bodyText);

    const raw = await app.inject({ method: 'GET', url: `/api/messages/${draft.messageId}/raw`, headers: admin.headers });
    expect(raw.statusCode).toBe(410);
    expect(raw.json().detail).toMatch(/erased on 2026-12-01/);

    const audit = await t.db.auditEntry.findMany({ where: { action: 'sender.erase' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.actorLabel)).toEqual(['cli', admin.email]);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain('union.example');
  });

  it('is for administrators only, and refuses what is not an address', async () => {
    const asEditor = await app.inject({ method: 'POST', url: '/api/erasures', headers: editor.headers, payload: { sender: 'a@b.example' } });
    expect(asEditor.statusCode).toBe(403);
    const bad = await app.inject({ method: 'POST', url: '/api/erasures', headers: admin.headers, payload: { sender: 'not an address' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.json().detail).toMatch(/not an email address/);
  });

  it('is listed in the OpenAPI document', async () => {
    const docs = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toContain('/api/erasures');
  });
});
