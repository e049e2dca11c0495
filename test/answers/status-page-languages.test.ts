// The sender's status page speaks the statement's language where the acknowledgement has a
// template (Arabic right to left), English otherwise, and in every language shows no other field
// of the statement: every text the statement row, its email and its topic hold is looked for.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_PAGE_LANGUAGES, statusPageText } from '../../src/answers/status-page-text.ts';
import { TEMPLATE_LANGUAGES } from '../../src/answers/templates.ts';
import { transitionStatement } from '../../src/moderation/transitions.ts';
import { buildTestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestSmtpServer } from '../support/smtp.ts';
import { ingest, sender, startAnsweringLongAgo, statementMail } from './support.ts';

/** Every text (strings, dates as ISO and as a day) inside a value, however nested. */
function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value instanceof Date) return [value.toISOString(), value.toISOString().slice(0, 10)];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(textsOf);
  return [];
}

describe('the status page in the sender’s language', () => {
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

  /** A statement in `language` (set as extraction would), acknowledged: its id and status-page token. */
  async function submitted(language: string) {
    const statementId = (await ingest(t.db, statementMail({ from: `press-${language.toLowerCase()}@unions.example.org` })))!;
    await t.db.statement.update({ where: { id: statementId }, data: { language } });
    smtp.received.length = 0;
    await sender(t.db, smtp).sendDue();
    const token = /\/submissions\/([A-Za-z0-9_-]{43})/.exec(smtp.received.at(-1)!.parsed.text!)![1]!;
    return { statementId, page: () => app.inject(`/submissions/${token}`) };
  }

  it('has a wording for every language the acknowledgement is written in', () => {
    expect([...STATUS_PAGE_LANGUAGES].sort()).toEqual([...TEMPLATE_LANGUAGES].sort());
  });

  it.each([
    ['fr', 'fr', 'ltr', 'Votre déclaration : Reçue'],
    ['es', 'es', 'ltr', 'Su declaración: Recibida'],
    ['pt-BR', 'pt', 'ltr', 'A sua declaração: Recebida'],
    ['de', 'de', 'ltr', 'Ihre Erklärung: Eingegangen'],
    ['id', 'id', 'ltr', 'Pernyataan Anda: Diterima'],
    ['ms', 'ms', 'ltr', 'Kenyataan anda: Diterima'],
    ['fil', 'tl', 'ltr', 'Ang inyong pahayag: Natanggap'],
    ['ar', 'ar', 'rtl', 'بيانكم: وصل'],
    ['ru', 'ru', 'ltr', 'Ваше заявление: Получено'],
    ['zh', 'zh', 'ltr', '您的声明：已收到'],
    ['ja', 'ja', 'ltr', 'お送りいただいた声明：受付済み'],
    ['it', 'en', 'ltr', 'Your statement: Received'],
  ])('a statement in %s gets the page in %s (%s)', async (language, lang, dir, heading) => {
    const { page } = await submitted(language);
    const res = await page();
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<html lang="${lang}" dir="${dir}">`);
    expect(res.body).toContain(`<h1>${heading}</h1>`);
    expect(res.body).toContain(statusPageText(lang).text.privacy.replace(/'/g, '&#39;'));
    if (lang !== 'en') expect(res.body).not.toContain('Your statement');
  });

  it('says published with the public link, and not published with the editors’ note, in the statement’s language', async () => {
    const { statementId, page } = await submitted('de');
    const published = await transitionStatement(t.db, { id: statementId, action: 'publish', actor: 'cli', now: new Date() });
    const shown = (await page()).body;
    expect(shown).toContain('<h1>Ihre Erklärung: Veröffentlicht</h1>');
    expect(shown).toContain('Auf unserer Website lesen</a>');
    await transitionStatement(t.db, { id: statementId, action: 'unpublish', expectedVersion: published.version, reason: 'internal', actor: 'cli', now: new Date() });
    await t.db.submission.update({ where: { statementId }, data: { senderNote: 'Bitte schicken Sie uns eine kürzere Fassung.' } });
    const declined = (await page()).body;
    expect(declined).toContain('<h1>Ihre Erklärung: Nicht veröffentlicht</h1>');
    expect(declined).toContain('<h2>Eine Nachricht der Redaktion</h2>');
    expect(declined).toContain('Bitte schicken Sie uns eine kürzere Fassung.');
  });

  it('an unknown token gets the English 404, whatever the language of other submissions', async () => {
    await submitted('fr');
    const res = await app.inject(`/submissions/${'A'.repeat(43)}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('<html lang="en" dir="ltr">');
  });

  it.each(['ar', 'ja', 'en'])('shows no other field of the statement, its email or its topic (%s), in any state short of published', async (language) => {
    const { statementId, page } = await submitted(language);
    const topic = await t.db.topic.create({ data: { slug: `zq-topic-${language}`, title: `Zqtopic title ${language}`, introduction: `Zqtopic introduction ${language}` } });
    await t.db.statement.update({
      where: { id: statementId },
      data: {
        title: `Zqtitle of the statement ${language}`,
        organisationName: `Zqorganisation ${language}`,
        organisationShort: `ZQO${language}`,
        statementDate: new Date('2023-02-17T00:00:00Z'),
        signatories: [{ name: `Zqsignatory ${language}`, role: `Zqrole ${language}` }],
        forwardedBy: `zqforwarder-${language}@example.org`,
        topicId: topic.id,
      },
    });
    const reject = async () => {
      const current = await t.db.statement.findUniqueOrThrow({ where: { id: statementId } });
      await transitionStatement(t.db, { id: statementId, action: 'reject', expectedVersion: current.version, reason: `Zqreason ${language}`, actor: 'cli', now: new Date() });
    };
    for (const step of ['received', 'approve', 'reject'] as const) {
      if (step === 'approve') await transitionStatement(t.db, { id: statementId, action: 'approve', actor: 'cli', now: new Date() });
      if (step === 'reject') await reject();
      const row = await t.db.statement.findUniqueOrThrow({ where: { id: statementId }, include: { message: true, topic: true, revisions: true } });
      const { language: _shownAsPageLanguage, status: _state, ...rest } = row;
      // Not the extraction's rule names ("label", "subject"): words of the page's own wording, no data.
      const secrets = [...new Set(textsOf(rest))].filter((text) => text.trim().length >= 4 && !/^[a-z_]{1,12}$/.test(text));
      expect(secrets.length).toBeGreaterThan(20);
      const body = (await page()).body;
      const leaked = secrets.filter((secret) => body.includes(secret) || body.includes(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')));
      expect(leaked, `${step}: ${leaked.join(' | ')}`).toEqual([]);
    }
  });
});
