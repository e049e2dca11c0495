// The preparer's worker (src/ingest/prepare-worker-start.mjs) with two faults a hostile email
// could cause, on demand, for test/ingest/preparer.test.ts: when its turn comes, a message whose
// bytes hold "CRASH-THE-PARSER" stops the thread and one holding "HANG-THE-PARSER" never
// finishes, one holding "EXHAUST-THE-HEAP" allocates until the worker's heap limit stops it, and
// HTML holding "HANG-THE-SANITISER" never finishes sanitising. Everything else is as in production.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { servePreparer } = await import('../../src/ingest/prepare-worker.ts');
const { sanitizeForEditor } = await import('../../src/ingest/prepare-worker.ts');
const { prepareMessage } = await import('../../src/ingest/prepare-message.ts');
servePreparer(
  parentPort,
  async (raw, context, options) => {
    const text = raw.toString('latin1');
    if (text.includes('CRASH-THE-PARSER')) process.exit(7);
    if (text.includes('HANG-THE-PARSER')) for (;;);
    if (text.includes('EXHAUST-THE-HEAP')) {
      const hoard = [];
      for (;;) hoard.push({ text: `${text}${hoard.length}` });
    }
    if (text.includes('SLOW-THE-PARSER')) await new Promise((resolve) => setTimeout(resolve, 400));
    return prepareMessage(raw, context, options);
  },
  (html) => {
    if (html.includes('HANG-THE-SANITISER')) for (;;);
    return sanitizeForEditor(html);
  },
);
