// Runs every .eml of a fixture folder (emails/*.eml + truth.jsonl) through the real pipeline
// (raw store, then processMessage) and scores what was stored against the truth.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../src/db/client.ts';
import { processMessage } from '../src/ingest/pipeline.ts';
import { storeRawMessage } from '../src/ingest/store-raw.ts';
import type { Logger } from '../src/logger.ts';
import { calibrate, FIELDS, scoreOutcome, type Calibration, type Field, type StoredOutcome, type TruthLine } from './eval-score.ts';

export interface EvalReport {
  fields: Record<Field, { got: number; total: number }>;
  passed: number;
  failed: number;
  /** Per email, the fields that failed. */
  failures: { file: string; fields: Field[]; detail: string[] }[];
  /** Whether confidences can be trusted (positives only). */
  calibration: Calibration;
}

export async function readTruth(dir: string): Promise<TruthLine[]> {
  const text = await readFile(path.join(dir, 'truth.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as TruthLine);
}

async function readOutcome(db: Db, messageId: string): Promise<StoredOutcome> {
  const message = await db.message.findUniqueOrThrow({
    where: { id: messageId },
    select: {
      status: true,
      notStatement: true,
      statements: {
        select: { title: true, organisationName: true, organisationShort: true, statementDate: true, language: true, bodyText: true, signatories: true, extraction: true },
      },
    },
  });
  return {
    messageStatus: message.status,
    notStatement: message.notStatement,
    drafts: message.statements.map(({ extraction, ...s }) => ({
      ...s,
      confidence: confidencesOf(extraction),
      statementDate: s.statementDate ? s.statementDate.toISOString().slice(0, 10) : null,
      signatories: Array.isArray(s.signatories) ? (s.signatories as { name: string; role: string | null }[]) : [],
    })),
  };
}

function confidencesOf(extraction: unknown): Partial<Record<string, number>> {
  const fields = (extraction as { fields?: Record<string, { confidence?: unknown }> } | null)?.fields ?? {};
  return Object.fromEntries(Object.entries(fields).flatMap(([name, f]) => (typeof f?.confidence === 'number' ? [[name, f.confidence]] : [])));
}

export async function evaluateFolder(db: Db, dir: string, logger: Logger): Promise<EvalReport> {
  const truth = await readTruth(dir);
  const fields = Object.fromEntries([...FIELDS, 'negatives'].map((f) => [f, { got: 0, total: 0 }])) as EvalReport['fields'];
  const failures: EvalReport['failures'] = [];
  const calibration: Calibration = { confidentCorrect: 0, confident: 0, wrongFlagged: 0, wrong: 0 };
  for (const line of truth) {
    const raw = await readFile(path.join(dir, line.file));
    const stored = await storeRawMessage(db, { raw, source: 'import' });
    await processMessage({ db, logger }, stored.id);
    const outcome = await readOutcome(db, stored.id);
    const scores = scoreOutcome(line, outcome);
    if (line.expect === 'statement') calibrate(scores, outcome, calibration);
    const failed: Field[] = [];
    for (const [field, ok] of Object.entries(scores) as [Field, boolean][]) {
      fields[field].total++;
      if (ok) fields[field].got++;
      else failed.push(field);
    }
    if (failed.length) failures.push({ file: line.file, fields: failed, detail: describeFailures(line, outcome, failed) });
  }
  const passed = Object.values(fields).reduce((n, f) => n + f.got, 0);
  const total = Object.values(fields).reduce((n, f) => n + f.total, 0);
  return { fields, passed, failed: total - passed, failures, calibration };
}

export function formatReport(report: EvalReport): string {
  const lines = (Object.entries(report.fields) as [Field, { got: number; total: number }][])
    .filter(([, f]) => f.total > 0)
    .map(([name, f]) => `${name} ${f.got}/${f.total}`);
  const c = report.calibration;
  lines.push(`calibration confident-correct ${c.confidentCorrect}/${c.confident}`, `calibration wrong-flagged ${c.wrongFlagged}/${c.wrong}`);
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return lines.join('\n');
}

/** What was expected and what was stored, for each failed field (printed with EVAL_DETAIL=1). */
function describeFailures(truth: TruthLine, outcome: StoredOutcome, failed: Field[]): string[] {
  const draft = outcome.drafts[0];
  if (!draft) return [`no draft (message ${outcome.messageStatus})`];
  const got: Record<string, unknown> = {
    organisation: [draft.organisationName, draft.organisationShort],
    title: draft.title,
    date: draft.statementDate,
    language: draft.language,
    body: [draft.bodyText.slice(0, 80), draft.bodyText.slice(-80)],
    signatories: draft.signatories,
  };
  const expected: Record<string, unknown> = {
    organisation: truth.organisation,
    title: truth.title,
    date: truth.date,
    language: truth.language,
    body: [truth.body_first_words, truth.body_last_words],
    signatories: truth.signatories,
  };
  return failed.map((f) => `${f}: expected ${JSON.stringify(expected[f])} got ${JSON.stringify(got[f])}`);
}
