// Acknowledgements end to end against a real SMTP server on loopback: the draft and its outbox
// row commit together, the sender loop delivers the reply with the headers that keep it threaded
// and loop-safe, and survives the server being down, deferring or refusing.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/db/embedded-postgres.ts';
import { transitionStatement } from '../../src/moderation/transitions.ts';
import { buildTestApp, TEST_PUBLIC_BASE_URL } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestSmtpServer } from '../support/smtp.ts';
import { DESK, fixture, ingest, sender, startAnsweringLongAgo, statementMail } from './support.ts';

describe('acknowledgements over SMTP', () => {
  let t: TestDatabase;
  let smtp: TestSmtpServer;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    smtp = await TestSmtpServer.start();
    app = await buildTestApp(t.db);
    await startAnsweringLongAgo(t.db);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
    await t?.drop();
  });
  beforeEach(() => {
    smtp.mode = 'accept';
    smtp.received.length = 0;
  });

  const outboxOf = (statementId: string) => t.db.outboxMail.findFirstOrThrow({ where: { statementId, kind: 'acknowledgement' } });

  it('replies once to a new draft: threaded, marked automatic, text and HTML, with a working status link', async () => {
    const raw = statementMail({ subject: 'Solidarity with the port strike', messageId: 'port-strike-1@dockers.example.org', headers: { References: '<earlier@dockers.example.org>' } });
    const statementId = (await ingest(t.db, raw))!;
    expect((await outboxOf(statementId)).status).toBe('pending');
    expect(await sender(t.db, smtp).sendDue()).toBe('sent');

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.envelopeTo).toEqual(['press@dockers.example.org']);
    expect(mail.parsed.subject).toBe('Re: Solidarity with the port strike');
    expect(mail.parsed.inReplyTo).toBe('<port-strike-1@dockers.example.org>');
    expect(mail.parsed.references).toEqual(['<earlier@dockers.example.org>', '<port-strike-1@dockers.example.org>']);
    expect(TestSmtpServer.rawHeader(mail, 'Auto-Submitted')).toBe('auto-replied');
    expect(TestSmtpServer.rawHeader(mail, 'X-Auto-Response-Suppress')).toBe('All');
    expect(mail.parsed.from?.value[0]?.address).toBe(DESK);
    const title = (await t.db.statement.findUniqueOrThrow({ where: { id: statementId } })).title;
    expect(mail.parsed.text).toContain(title);
    expect(mail.parsed.html).toContain('<a href="https://statements.example.org/submissions/');
    const link = /https:\/\/statements\.example\.org\/submissions\/([A-Za-z0-9_-]+)/.exec(mail.parsed.text!)![1]!;
    expect(link).toHaveLength(43);

    const row = await outboxOf(statementId);
    expect(row.status).toBe('sent');
    expect(row.sentAt).not.toBeNull();
    expect(row.smtpResponse).toMatch(/^250 .*Queued as test-1/);
    expect(mail.parsed.messageId).toBe(`<${row.messageIdHeader}>`);
    // Once delivered, the link is no longer in the database: only its hash.
    expect(JSON.stringify(row.payload)).not.toContain(link);
    const page = await app.inject(`/submissions/${link}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your statement: Received');

    // Nothing is sent twice: the next round finds nothing to do.
    expect(await sender(t.db, smtp).sendDue()).toBe('idle');
    expect(smtp.received).toHaveLength(1);
  });

  it('answers in the statement’s language (French) and in English where no template exists', async () => {
    const french = (await ingest(t.db, await fixture('06-french-statement.eml')))!;
    await sender(t.db, smtp).sendDue();
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: french } })).language).toBe('fr');
    expect(smtp.received.at(-1)!.parsed.text).toContain('votre déclaration nous est bien parvenue');
    expect(smtp.received.at(-1)!.parsed.html).toContain('lang="fr"');
  });

  it('sends nothing and records no mail when outgoing mail is not configured', async () => {
    const statementId = (await ingest(t.db, statementMail({ from: 'quiet@unions.example.org' }), null))!;
    expect(await t.db.outboxMail.count({ where: { statementId } })).toBe(0);
    expect((await app.inject('/ready')).json().outgoing).toEqual({ configured: false, lastSentAt: null, lastError: null, lastErrorAt: null });
  });

  it('keeps mail pending while the SMTP server is down, and sends it when it is back', async () => {
    const port = await findFreePort();
    const down = { host: '127.0.0.1', port };
    const statementId = (await ingest(t.db, statementMail({ from: 'outage@unions.example.org' })))!;
    const loop = sender(t.db, down);
    expect(await loop.sendDue()).toBe('outage');
    let row = await outboxOf(statementId);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(0);
    expect(row.lastError).toMatch(/cannot reach the SMTP server \(E[A-Z]+: connect ECONNREFUSED/);
    expect(loop.status().lastError).toMatch(/check SMTP_HOST, SMTP_PORT and SMTP_SECURE/);

    const back = await TestSmtpServer.start(port);
    try {
      expect(await loop.sendDue()).toBe('sent');
      row = await outboxOf(statementId);
      expect(row.status).toBe('sent');
      expect(back.received.map((m) => m.envelopeTo[0])).toEqual(['outage@unions.example.org']);
    } finally {
      await back.stop();
    }
  });

  it('retries a mail the server defers (451) and gives up on one it refuses (550), recording its answer', async () => {
    const deferred = (await ingest(t.db, statementMail({ from: 'greylist@unions.example.org' })))!;
    smtp.mode = 'defer';
    await sender(t.db, smtp).sendDue();
    let row = await outboxOf(deferred);
    expect(row.status).toBe('pending');
    expect(row.lastError).toMatch(/deferred the mail: 451/);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 1000);

    const refused = (await ingest(t.db, statementMail({ from: 'gone@unions.example.org' })))!;
    await t.db.outboxMail.updateMany({ where: { statementId: deferred }, data: { nextAttemptAt: new Date(Date.now() + 3_600_000) } });
    smtp.mode = 'refuse';
    await sender(t.db, smtp).sendDue();
    row = await outboxOf(refused);
    expect(row.status).toBe('failed');
    expect(row.reason).toMatch(/refused the mail: 550 Mailbox unavailable/);
    expect(row.smtpResponse).toMatch(/^550/);

    smtp.mode = 'accept';
    await t.db.outboxMail.updateMany({ where: { statementId: deferred }, data: { nextAttemptAt: new Date() } });
    await sender(t.db, smtp).sendDue();
    expect((await outboxOf(deferred)).status).toBe('sent');
    expect(smtp.received.map((m) => m.envelopeTo[0])).toEqual(['greylist@unions.example.org']);
  });

  it('sends each mail once when several processes send at the same time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await ingest(t.db, statementMail({ from: `many-${i}@unions.example.org` })))!);
    await Promise.all([sender(t.db, smtp).sendDue(), sender(t.db, smtp).sendDue(), sender(t.db, smtp).sendDue()]);
    const delivered = smtp.received.map((m) => m.parsed.messageId);
    expect(delivered).toHaveLength(6);
    expect(new Set(delivered).size).toBe(6);
    for (const id of ids) expect((await outboxOf(id)).status).toBe('sent');
  });

  it('acknowledges at most 3 statements per sender in 24 hours', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push((await ingest(t.db, statementMail({ from: 'prolific@unions.example.org' })))!);
    const rows = await Promise.all(ids.map(outboxOf));
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending', 'pending', 'suppressed']);
    expect(rows[3]!.reason).toMatch(/already got 3 acknowledgements in the last 24 hours/);
  });

  it('does not acknowledge mail dated before the start point', async () => {
    const old = (await ingest(t.db, statementMail({ from: 'old@unions.example.org', date: new Date('1999-06-01T10:00:00Z') })))!;
    const row = await outboxOf(old);
    expect(row.status).toBe('suppressed');
    expect(row.reason).toMatch(/dated before acknowledgements started/);
  });

  it('with NOTIFY_ON_PUBLISH, tells the sender when the statement is published, threaded under the acknowledgement', async () => {
    const statementId = (await ingest(t.db, statementMail({ from: 'publish-me@unions.example.org', subject: 'Our call for a ceasefire' })))!;
    const loop = sender(t.db, smtp, { notifyOnPublish: true });
    await loop.sendDue();
    const ack = await outboxOf(statementId);
    await transitionStatement(t.db, { id: statementId, action: 'publish', actor: 'cli', now: new Date() });
    await loop.sendDue();
    const notice = smtp.received.at(-1)!;
    expect(notice.parsed.subject).toBe('Re: Our call for a ceasefire');
    expect(notice.parsed.inReplyTo).toBe(`<${ack.messageIdHeader}>`);
    const slug = (await t.db.statement.findUniqueOrThrow({ where: { id: statementId } })).slug;
    expect(notice.parsed.text).toContain(`${TEST_PUBLIC_BASE_URL}/statements/${slug}`);
    await loop.sendDue();
    expect(smtp.received.filter((m) => m.envelopeTo[0] === 'publish-me@unions.example.org')).toHaveLength(2);
  });
});
