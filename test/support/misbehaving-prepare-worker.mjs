// The preparer's worker entry (src/ingest/prepare-worker-start.mjs) with faults a hostile email
// could cause, on demand, for test/ingest/preparer.test.ts: a message whose bytes hold
// "CRASH-THE-PARSER" stops the thread, one holding "HANG-THE-PARSER" never finishes, one holding
// "EXHAUST-THE-HEAP" allocates until the worker's heap limit stops it, one holding
// "THROW-IN-THE-PARSER" throws out of the task; HTML holding "HANG-THE-SANITISER" never finishes
// sanitising and HTML holding "THROW-IN-THE-SANITISER" throws. Everything else is as in production.
import { register } from 'tsx/esm/api';

register();
const { preparerTask, sanitizeForEditor } = await import('../../src/ingest/prepare-worker.ts');
const { prepareMessage } = await import('../../src/ingest/prepare-message.ts');

export default preparerTask(
  async (raw, context, options) => {
    const text = raw.toString('latin1');
    if (text.includes('CRASH-THE-PARSER')) process.exit(7);
    if (text.includes('HANG-THE-PARSER')) for (;;);
    if (text.includes('EXHAUST-THE-HEAP')) {
      const hoard = [];
      for (;;) hoard.push({ text: `${text}${hoard.length}` });
    }
    if (text.includes('THROW-IN-THE-PARSER')) throw new Error('the parser threw on purpose');
    if (text.includes('SLOW-THE-PARSER')) await new Promise((resolve) => setTimeout(resolve, 400));
    return prepareMessage(raw, context, options);
  },
  (html) => {
    if (html.includes('HANG-THE-SANITISER')) for (;;);
    if (html.includes('THROW-IN-THE-SANITISER')) throw new Error('the sanitiser threw on purpose');
    return sanitizeForEditor(html);
  },
);
