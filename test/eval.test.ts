// The extraction measure of issue 5, through the real pipeline into a real database: the
// project's own fixtures always, the shared statement fixtures when they are present. Target:
// at least 95% on every field. Also what the pipeline stores around a draft: not-a-statement
// verdicts, document text, likely duplicates.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processMessage } from '../src/ingest/pipeline.ts';
import { storeRawMessage } from '../src/ingest/store-raw.ts';
import { evaluateFolder, formatReport, type EvalReport } from '../scripts/eval-run.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { testLogger } from './support/logger.ts';
import { existsSync } from 'node:fs';
import { FIXTURES_DIR, hasShared, SHARED_DIR, SHARED_MISSING_REASON } from './support/shared.ts';

const OWN_FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const WIDE_FIXTURES = `${SHARED_DIR}fixtures/statements-wide/`;
const hasWide = existsSync(`${WIDE_FIXTURES}truth.jsonl`);
const TARGET = 0.95;

function expectTarget(report: EvalReport, floors: Partial<Record<string, number>> = {}): void {
  for (const [field, { got, total }] of Object.entries(report.fields)) {
    const floor = floors[field] ?? TARGET;
    if (total > 0) expect(got / total, `${field} ${got}/${total}\n${formatReport(report)}\n${JSON.stringify(report.failures)}`).toBeGreaterThanOrEqual(floor);
  }
}

/** Of the fields with confidence >= 0.85, at least 97% right; of the wrong fields, at least 80% flagged (< 0.6). */
function expectCalibrated(report: EvalReport): void {
  const c = report.calibration;
  if (c.confident) expect(c.confidentCorrect / c.confident, formatReport(report)).toBeGreaterThanOrEqual(0.97);
  if (c.wrong) expect(c.wrongFlagged / c.wrong, formatReport(report)).toBeGreaterThanOrEqual(0.8);
}

describe('extraction eval on the project fixtures (test/fixtures)', () => {
  let t: TestDatabase;
  let report: EvalReport;
  beforeAll(async () => {
    t = await createTestDatabase();
    report = await evaluateFolder(t.db, OWN_FIXTURES, testLogger);
  }, 120_000);
  afterAll(async () => t?.drop());

  it('meets the target on every field, with confidences that can be trusted', () => {
    expectTarget(report);
    expectCalibrated(report);
    expect(formatReport(report)).toMatch(/^organisation \d+\/\d+\n.*\ncalibration confident-correct \d+\/\d+\ncalibration wrong-flagged \d+\/\d+\n\d+ passed, \d+ failed$/s);
  });

  it("drafts a statement relayed by its organisation's own list, flagged with the list's name", async () => {
    const statement = await t.db.statement.findFirstOrThrow({ where: { organisationShort: 'STSN' }, include: { message: true } });
    expect(statement.message!.status).toBe('drafted');
    expect(statement.extraction).toMatchObject({ warnings: expect.arrayContaining([expect.stringMatching(/^arrived through a mailing list: "Imprensa STSN" \(List-Id\)/)]) });
  });

  it('keeps a list newsletter ignored, with the reason and the list', async () => {
    const message = await t.db.message.findFirstOrThrow({ where: { subject: { startsWith: '[Rundbrief]' } }, include: { statements: true } });
    expect(message).toMatchObject({ status: 'ignored', notStatement: false, statements: [] });
    expect(message.statusReason).toMatch(/newsletter or digest .*"Rundbrief"/);
  });

  it('ignores mail the receiving server marked as spam, and says so', async () => {
    const message = await t.db.message.findFirstOrThrow({ where: { messageIdHeader: { contains: 'spam-0015' } }, include: { statements: true } });
    expect(message).toMatchObject({ status: 'ignored', statusReason: 'spam (X-Spam-Flag: YES)', statements: [] });
  });

  it('shows a bank-statement phishing mail under "Not a statement", with the reason', async () => {
    const message = await t.db.message.findFirstOrThrow({ where: { messageIdHeader: { contains: 'phish-0014' } }, include: { statements: true } });
    expect(message).toMatchObject({ status: 'ignored', notStatement: true, statements: [] });
    expect(message.statusReason).toMatch(/^not a statement: phishing: .*account or bank "statement".*login link.*replies go to cuentas-verificacion\.example\.com/);
  });

  it('keeps a not-a-statement message, ignored, flagged and with its reason, and drafts nothing', async () => {
    const message = await t.db.message.findFirstOrThrow({ where: { subject: { startsWith: 'Re: WSN statement' } }, include: { statements: true } });
    expect(message).toMatchObject({ status: 'ignored', notStatement: true, statements: [] });
    expect(message.statusReason).toMatch(/^not a statement: .*follow-up/);
  });

  it('keeps the PDF attached, with its text for the editor, and says where the body came from', async () => {
    const statement = await t.db.statement.findFirstOrThrow({ where: { organisationName: 'Green Labour Front' }, include: { message: { include: { attachments: true } } } });
    const [pdf] = statement.message!.attachments;
    expect(pdf).toMatchObject({ filename: 'GLF-statement-evictions.pdf', contentType: 'application/pdf' });
    expect(pdf!.extractedText).toMatch(/The Green Labour Front condemns/);
    expect(statement.extraction).toMatchObject({ fields: { body: { source: 'pdf:GLF-statement-evictions.pdf' } } });
  });

  it('flags a re-sent copy of a statement as a likely duplicate of the first draft', async () => {
    const original = await t.db.statement.findFirstOrThrow({ where: { organisationShort: 'WSN' } });
    const raw = (await readFile(`${OWN_FIXTURES}emails/01-plain-signed-block.eml`, 'latin1'))
      .replace('<wsn-0001@mail.example.org>', '<wsn-resent@mail.example.org>')
      .replace('Subject: WSN statement:', 'Subject: Resending: WSN statement:');
    const stored = await storeRawMessage(t.db, { raw: Buffer.from(raw, 'latin1'), source: 'import' });
    const outcome = await processMessage({ db: t.db, logger: testLogger }, stored.id);
    expect(outcome.status).toBe('drafted');
    const copy = await t.db.statement.findFirstOrThrow({ where: { messageId: stored.id } });
    expect(copy.likelyDuplicateOfId).toBe(original.id);
    expect(copy.extraction).toMatchObject({ warnings: expect.arrayContaining([expect.stringMatching(/likely a copy/)]) });
    expect(original.likelyDuplicateOfId).toBeNull();
  });
});

describe.skipIf(!hasShared)(`extraction eval on the shared statement fixtures (${hasShared ? 'present' : SHARED_MISSING_REASON})`, () => {
  let t: TestDatabase;
  let report: EvalReport;
  beforeAll(async () => {
    t = await createTestDatabase();
    report = await evaluateFolder(t.db, FIXTURES_DIR, testLogger);
  }, 120_000);
  afterAll(async () => t?.drop());

  it('meets the target on every field', () => {
    expectTarget(report);
  });

  it('flags the later copies of each statement as likely duplicates, and no first copy', async () => {
    const statements = await t.db.statement.findMany({ include: { message: { select: { subject: true } } }, orderBy: { createdAt: 'asc' } });
    const byTitleWords = new Map<string, number>();
    for (const s of statements) {
      const key = s.bodyText.split(/\s+/).slice(0, 6).join(' ');
      const seen = byTitleWords.get(key) ?? 0;
      if (seen === 0) expect(s.likelyDuplicateOfId, s.title).toBeNull();
      else expect(s.likelyDuplicateOfId, s.title).not.toBeNull();
      byTitleWords.set(key, seen + 1);
    }
    expect(byTitleWords.size).toBe(5);
  });
});

/**
 * The wide set (issue 11): 60 statements from 60 organisations in 30 languages. The target is 95%
 * on every field, and every field meets it; negatives are held at all 12 (a newsletter or phishing
 * mail that became a draft would be an editor's noise), above the target.
 */
const WIDE_FLOORS = { negatives: 1 };

describe.skipIf(!hasWide)(`extraction eval on the shared wide statement fixtures (${hasWide ? 'present' : SHARED_MISSING_REASON})`, () => {
  let t: TestDatabase;
  let report: EvalReport;
  beforeAll(async () => {
    t = await createTestDatabase();
    report = await evaluateFolder(t.db, WIDE_FIXTURES, testLogger);
  }, 300_000);
  afterAll(async () => t?.drop());

  it('holds the floors reached on every field, with confidences that can be trusted', () => {
    expectTarget(report, WIDE_FLOORS);
    expectCalibrated(report);
  });
});
