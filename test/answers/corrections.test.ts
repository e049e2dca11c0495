// Corrections find their statement: a reply to our acknowledgement (French, by headers) and a
// "versión corregida" from the same sender with the same title (Spanish, no headers) become
// pending corrections, not new drafts, and are never acknowledged; editors see a word-level diff,
// apply one (an audited revision; the published statement's feed entry moves) or dismiss one.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCorrection, dismissCorrection } from '../../src/moderation/corrections.ts';
import { transitionStatement } from '../../src/moderation/transitions.ts';
import { signInWeb, type WebSession } from '../browser/support/web-session.ts';
import { buildTestApp, createTestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestSmtpServer } from '../support/smtp.ts';
import { ingestRawMessages } from '../../src/ingest/ingest-raw.ts';
import { testLogger } from '../support/logger.ts';
import { ANSWERS, fixture, ingest, sender, startAnsweringLongAgo, statementMail } from './support.ts';

const SPANISH = (extra: string) =>
  `Declaración de la Unión de Estibadores\n\nLa Unión de Estibadores apoya la huelga portuaria que dura ya tres semanas por condiciones de trabajo seguras y un salario digno. Exigimos a la autoridad portuaria que negocie de buena fe y retire todas las amenazas de despido contra los trabajadores${extra}.\n\nSolidaridad con los huelguistas.\n\nAna Pérez, Secretaria General\n`;

describe('corrections', () => {
  let t: TestDatabase;
  let smtp: TestSmtpServer;
  let app: FastifyInstance;
  let web: WebSession;
  beforeAll(async () => {
    t = await createTestDatabase();
    smtp = await TestSmtpServer.start();
    app = await buildTestApp(t.db);
    const editor = await createTestEditor(t.db, 'editor');
    web = await signInWeb(app, editor.email, editor.password);
    await startAnsweringLongAgo(t.db);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
    await t?.drop();
  });

  it('a reply to our acknowledgement (French) becomes a pending correction on the draft; applying it makes a revision', async () => {
    const original = await fixture('06-french-statement.eml');
    const statementId = (await ingest(t.db, original))!;
    await sender(t.db, smtp).sendDue();
    const ack = await t.db.outboxMail.findFirstOrThrow({ where: { statementId } });
    const before = await t.db.statement.findUniqueOrThrow({ where: { id: statementId } });
    const corrected = original
      .toString('utf8')
      .replace('Message-ID: <cso-0006@mail.example.org>', `Message-ID: <cso-0006-v2@mail.example.org>\r\nIn-Reply-To: <${ack.messageIdHeader}>\r\nReferences: <cso-0006@mail.example.org> <${ack.messageIdHeader}>`)
      .replace(/\nChers camarades,\n/, '\nChers camarades, voici la version corrigée :\n')
      .replace('retrait immédiat des troupes', 'retrait immédiat et complet des troupes');

    const statementsBefore = await t.db.statement.count();
    expect(await ingest(t.db, corrected)).toBeNull();
    expect(await t.db.statement.count()).toBe(statementsBefore);
    const correction = await t.db.statementCorrection.findFirstOrThrow({ where: { statementId } });
    expect(correction).toMatchObject({ status: 'pending', matchedBy: 'thread' });
    expect(await t.db.outboxMail.count({ where: { messageId: correction.messageId } })).toBe(0);
    const message = await t.db.message.findUniqueOrThrow({ where: { id: correction.messageId } });
    expect(message.statusReason).toMatch(/a correction of an existing statement/);

    const page = (await web.get(`/editor/statements/${statementId}`)).body;
    expect(page).toContain('Pending correction from the sender');
    expect(page).toMatch(/<ins>\s*et complet\s*<\/ins>/);
    const queue = (await web.get('/editor?status=draft')).body;
    expect(queue).toMatch(new RegExp(`href="/editor/statements/${statementId}"[\\s\\S]*?Correction pending`));

    const applied = await web.post(`/editor/statements/${statementId}/corrections/${correction.id}/apply`, { version: String(before.version) });
    expect(applied.status).toBe(303);
    const after = await t.db.statement.findUniqueOrThrow({ where: { id: statementId }, include: { revisions: true } });
    expect(after.bodyText).toContain('retrait immédiat et complet des troupes');
    expect(after.version).toBe(before.version + 1);
    expect(after.revisions.map((r) => Object.keys(r.changes as object))).toContainEqual(expect.arrayContaining(['bodyText']));
    expect((await t.db.statementCorrection.findUniqueOrThrow({ where: { id: correction.id } })).status).toBe('applied');
    expect(await t.db.auditEntry.count({ where: { action: 'statement.correction_apply', targetId: statementId } })).toBe(1);
    expect((await web.get('/editor?status=draft')).body).not.toMatch(new RegExp(`href="/editor/statements/${statementId}"[^]*?Correction pending`));
  });

  it('a "versión corregida" from the same sender, same title, no headers (Spanish), corrects the published statement: the feed entry moves', async () => {
    const from = 'prensa@estibadores.example.org';
    const statementId = (await ingest(t.db, statementMail({ from, subject: 'Declaración sobre la huelga portuaria', body: SPANISH('') })))!;
    const published = await transitionStatement(t.db, { id: statementId, action: 'publish', actor: 'cli', now: new Date() });
    const item = async () => {
      const feed = (await app.inject('/feed.json')).json() as { items: { id: string; date_modified?: string; content_text: string; _statement: { corrected_at?: string } }[] };
      const slug = (await t.db.statement.findUniqueOrThrow({ where: { id: statementId } })).slug;
      return feed.items.find((i) => i.id.endsWith(`/statements/${slug}`))!;
    };
    const beforeItem = await item();
    expect(beforeItem._statement.corrected_at).toBeUndefined();

    expect(await ingest(t.db, statementMail({ from, subject: 'Versión corregida: Declaración sobre la huelga portuaria', body: SPANISH(' y readmita a los despedidos') }))).toBeNull();
    const correction = await t.db.statementCorrection.findFirstOrThrow({ where: { statementId } });
    expect(correction.matchedBy).toBe('same_sender');

    const later = new Date(Date.now() + 3_600_000);
    await applyCorrection(t.db, { statementId, correctionId: correction.id, expectedVersion: published.version, actor: 'cli', now: later });
    const afterItem = await item();
    expect(afterItem.content_text).toContain('readmita a los despedidos');
    expect(afterItem.date_modified).toBe(later.toISOString());
    expect(afterItem._statement.corrected_at).toBe(later.toISOString());
  });

  it('a correction in the same import as its statement finds it, with or without acknowledgements, among statements written together', async () => {
    for (const answers of [ANSWERS, undefined]) {
      const from = `prensa@${answers ? 'con' : 'sin'}-respuestas.example.org`;
      const others = (n: number) => Array.from({ length: n }, () => ({ raw: Buffer.from(statementMail()), source: 'import' as const }));
      const results = await ingestRawMessages({ db: t.db, logger: testLogger, answers }, [
        ...others(3),
        { raw: Buffer.from(statementMail({ from, subject: 'Declaración sobre el cierre del puerto', body: SPANISH('') })), source: 'import' },
        ...others(2),
        { raw: Buffer.from(statementMail({ from, subject: 'Versión corregida: Declaración sobre el cierre del puerto', body: SPANISH(' y readmita a los despedidos') })), source: 'import' },
        ...others(3),
      ]);
      expect(results.map((r) => r.outcome.status)).toEqual([...Array(6).fill('drafted'), 'ignored', ...Array(3).fill('drafted')]);
      const original = results[3]!.outcome;
      const correction = await t.db.statementCorrection.findFirstOrThrow({ where: { messageId: results[6]!.stored.id } });
      expect(original.status === 'drafted' && correction.statementId).toBe(original.status === 'drafted' && original.statementId);
      // Every other message is a draft of its own, its attachments and fields written.
      const drafted = await t.db.message.count({ where: { id: { in: results.map((r) => r.stored.id) }, status: 'drafted', parsedAt: { not: null }, subject: { not: null } } });
      expect(drafted).toBe(9);
    }
  });

  it('the same sender with another statement (another title, no correction words) gets a new draft', async () => {
    const from = 'prensa@otra-union.example.org';
    await ingest(t.db, statementMail({ from, subject: 'Declaración sobre la huelga portuaria', body: SPANISH('') }));
    const second = await ingest(t.db, statementMail({ from, subject: 'Statement on the teachers’ strike in the capital' }));
    expect(second).not.toBeNull();
    // Correction words alone, without the title, do not attach it either.
    const third = await ingest(t.db, statementMail({ from, subject: 'Corrected version: our May Day call' }));
    expect(third).not.toBeNull();
  });

  it('a short threaded reply attaches when it asks for a change ("please add our signature"), not when it only asks a question', async () => {
    const from = 'press@threaded.example.org';
    const statementId = (await ingest(t.db, statementMail({ from, subject: 'Statement on the harbour closure', messageId: 'harbour-closure@threaded.example.org' })))!;
    const reply = (subject: string, body: string) =>
      statementMail({ from, subject, body, headers: { 'In-Reply-To': '<harbour-closure@threaded.example.org>', References: '<harbour-closure@threaded.example.org>' } });
    await ingest(t.db, reply('Re: Statement on the harbour closure', 'Did you receive our statement? Please confirm.\n'));
    expect(await t.db.statementCorrection.count({ where: { statementId } })).toBe(0);
    await ingest(t.db, reply('Re: Statement on the harbour closure', 'Please add our signature: Jane Doe, Teachers Union.\n'));
    const correction = await t.db.statementCorrection.findFirstOrThrow({ where: { statementId } });
    expect(correction.bodyText).toBe('Please add our signature: Jane Doe, Teachers Union.');
  });

  it('dismissing a correction leaves the statement as it was', async () => {
    const from = 'prensa@tercera.example.org';
    const statementId = (await ingest(t.db, statementMail({ from, subject: 'Declaración sobre el cierre del puerto', body: SPANISH(' del puerto') })))!;
    await ingest(t.db, statementMail({ from, subject: 'Fe de erratas - Declaración sobre el cierre del puerto', body: SPANISH(' del puerto de la ciudad') }));
    const correction = await t.db.statementCorrection.findFirstOrThrow({ where: { statementId } });
    const before = await t.db.statement.findUniqueOrThrow({ where: { id: statementId } });
    await dismissCorrection(t.db, { statementId, correctionId: correction.id, actor: 'cli', now: new Date() });
    const after = await t.db.statement.findUniqueOrThrow({ where: { id: statementId } });
    expect(after.version).toBe(before.version);
    expect(after.bodyText).toBe(before.bodyText);
    expect((await t.db.statementCorrection.findUniqueOrThrow({ where: { id: correction.id } })).status).toBe('dismissed');
    await expect(dismissCorrection(t.db, { statementId, correctionId: correction.id, actor: 'cli', now: new Date() })).rejects.toThrow(/already dismissed/);
  });
});
