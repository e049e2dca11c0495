// Regression: a statement of a few MB failed with "string is too long for tsvector" (the search
// index covered the whole text) and stored a Prisma dump with source paths as its error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processMessage } from '../../src/ingest/pipeline.ts';
import { MAX_STORED_TEXT_CHARS } from '../../src/ingest/limits.ts';
import { storeRawMessage } from '../../src/ingest/store-raw.ts';
import { findStatements } from '../../src/moderation/statement-queries.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/logger.ts';

describe('a very long statement', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.drop());

  it('becomes a draft that search still finds by its opening words', async () => {
    const paragraph = (n: number) => `Paragraph ${n} of the congress resolution on housing, wages and peace number${n}.`;
    const body = Array.from({ length: 30_000 }, (_, n) => paragraph(n)).join('\r\n\r\n');
    const raw = Buffer.from(
      `Message-ID: <long@example.org>\r\nFrom: Congress <congress@example.org>\r\nDate: Tue, 01 Mar 2022 10:00:00 +0000\r\n` +
        `Subject: Congress resolutions\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nUnanimously adopted resolutions.\r\n\r\n${body}\r\n`,
    );
    expect(raw.length).toBeGreaterThan(2_000_000);
    const { id } = await storeRawMessage(t.db, { raw, source: 'import' });
    const outcome = await processMessage({ db: t.db, logger: testLogger }, id);
    expect(outcome.status).toBe('drafted');
    const statementId = outcome.status === 'drafted' ? outcome.statementId : '';
    const found = await findStatements(t.db, { q: 'unanimously resolutions', limit: 10 });
    expect(found.map((s) => s.id)).toContain(statementId);
    // Issue 10 item 9: a body of megabytes made responses of tens of megabytes. What is kept for
    // display is capped, and says so; the raw email keeps everything.
    const statement = await t.db.statement.findUniqueOrThrow({ where: { id: statementId }, include: { message: true } });
    expect(statement.bodyText.length).toBeLessThanOrEqual(MAX_STORED_TEXT_CHARS);
    expect(statement.bodyHtml.length).toBeLessThanOrEqual(MAX_STORED_TEXT_CHARS);
    expect((statement.extraction as { warnings: string[] }).warnings).toContain(
      'the statement is longer than 500,000 characters: the draft holds its beginning only; the whole text is in the original email',
    );
    expect(statement.message!.textBody!.length).toBeLessThan(MAX_STORED_TEXT_CHARS + 200);
    expect(statement.message!.textBody).toMatch(/the original email has it all\]$/);
    expect(Buffer.from(statement.message!.raw).equals(raw)).toBe(true);
  }, 120_000);
});
