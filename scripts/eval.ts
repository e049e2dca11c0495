// npm run eval -- <dir>: ingests every .eml of a folder laid out like the statement fixtures
// (emails/*.eml + truth.jsonl) through the real pipeline into a fresh, temporary database, and
// prints one line per field ("title 12/13"), then "N passed, M failed". A report: exit code 0
// whatever the score; 2 when it cannot run.
// Database: EVAL_DATABASE_URL or TEST_DATABASE_URL (a server where we may create databases),
// else the PostgreSQL on 127.0.0.1:5432, else an embedded one started for the run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { closeDb, createDb } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { evaluateFolder, formatReport } from './eval-run.ts';
import { createScratchDatabase } from './scratch-database.ts';

async function main(): Promise<number> {
  const dir = process.argv[2];
  if (!dir || !existsSync(path.join(dir, 'truth.jsonl'))) {
    console.error('usage: npm run eval -- <dir>   (the folder must hold truth.jsonl and the emails it names, e.g. ../shared/fixtures/statements)');
    return 2;
  }
  const logger = createLogger('silent');
  const scratch = await createScratchDatabase({ urlVariables: ['EVAL_DATABASE_URL', 'TEST_DATABASE_URL'], prefix: 'sd_eval' });
  const db = createDb(scratch.url, { maxConnections: 2 });
  try {
    const report = await evaluateFolder(db, path.resolve(dir), logger);
    console.log(formatReport(report));
    for (const failure of report.failures) {
      console.error(`  ${failure.file}: ${failure.fields.join(', ')}`);
      if (process.env['EVAL_DETAIL'] === '1') for (const d of failure.detail) console.error(`    ${d}`);
    }
    return 0;
  } finally {
    await closeDb(db);
    await scratch.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`eval failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
