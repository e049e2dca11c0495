// Parsing runs in a worker thread (src/ingest/preparer.ts). A message that kills the parser or
// hangs it must fail alone, with a reason, and the messages queued behind it must still become
// drafts; where no worker can start, nothing is parsed on the calling thread.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processMessages } from '../../src/ingest/pipeline.ts';
import { Preparer, PreparerUnavailableError, SanitizeFailedError } from '../../src/ingest/preparer.ts';
import { storeRawMessage } from '../../src/ingest/store-raw.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { statementEmail } from '../support/imap-emails.ts';
import { testLogger } from '../support/logger.ts';

const MISBEHAVING_WORKER = new URL('../support/misbehaving-prepare-worker.mjs', import.meta.url);
const CONTEXT = { organisations: [] };

function statementWith(marker: string): Buffer {
  return Buffer.from(
    `Message-ID: <${marker.toLowerCase()}@example.org>\r\nFrom: Teachers Union <office@teachers.example.org>\r\n` +
      `Date: Tue, 01 Mar 2022 09:00:00 +0000\r\nSubject: Schools, not bombs\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
      `The Teachers Union calls for money for schools, not bombs. ${marker}\r\n`,
  );
}

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: { msg: string; reason?: string; err?: { message: string } }[] = [];
  const logger = createLogger('warn', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('the parser worker', () => {
  it('fails the message that stops the worker, and parses the ones queued behind it in a new worker', async () => {
    const preparer = new Preparer({ workerUrl: MISBEHAVING_WORKER, logger: testLogger });
    try {
      const results = await Promise.all([
        preparer.prepare(statementEmail('crash', 1), CONTEXT),
        preparer.prepare(statementWith('CRASH-THE-PARSER'), CONTEXT),
        preparer.prepare(statementEmail('crash', 2), CONTEXT),
      ]);
      expect(results.map((r) => r.kind)).toEqual(['drafted', 'failed', 'drafted']);
      expect(results[1]).toEqual({ kind: 'failed', error: 'could not parse the message: the parser stopped while reading it (exit code 7)' });
      // And the new worker goes on working.
      expect((await preparer.prepare(statementEmail('crash', 3), CONTEXT)).kind).toBe('drafted');
    } finally {
      await preparer.close();
    }
  }, 60_000);

  it('fails a message that takes longer than the timeout, and goes on with the next', async () => {
    const { logger, lines } = recordingLogger();
    const preparer = new Preparer({ workerUrl: MISBEHAVING_WORKER, timeoutMs: 3_000, logger });
    try {
      // Started first, so that the slow start of a worker does not count against the timeout.
      expect((await preparer.prepare(statementEmail('hang', 1), CONTEXT)).kind).toBe('drafted');
      const [hung, next] = await Promise.all([
        preparer.prepare(statementWith('HANG-THE-PARSER'), CONTEXT),
        preparer.prepare(statementEmail('hang', 2), CONTEXT),
      ]);
      expect(hung).toEqual({ kind: 'failed', error: 'could not parse the message: reading it took longer than 3 s; the email is kept raw' });
      expect(next.kind).toBe('drafted');
      expect(lines.map((l) => l.msg)).toContain('a message took too long to parse; replacing the parser worker');
    } finally {
      await preparer.close();
    }
  }, 60_000);

  it('in a batch, fails the message that hangs once, without reading it again, and parses the ones before and after it', async () => {
    const { logger, lines } = recordingLogger();
    const preparer = new Preparer({ workerUrl: MISBEHAVING_WORKER, timeoutMs: 3_000, logger });
    try {
      expect((await preparer.prepare(statementEmail('batch-hang', 0), CONTEXT)).kind).toBe('drafted');
      // Given in one turn, these go to the worker as one task.
      const results = await Promise.all([
        preparer.prepare(statementEmail('batch-hang', 1), CONTEXT),
        preparer.prepare(statementEmail('batch-hang', 2), CONTEXT),
        preparer.prepare(statementWith('HANG-THE-PARSER'), CONTEXT),
        preparer.prepare(statementEmail('batch-hang', 3), CONTEXT),
      ]);
      expect(results.map((r) => r.kind)).toEqual(['drafted', 'drafted', 'failed', 'drafted']);
      expect(results[2]).toEqual({ kind: 'failed', error: 'could not parse the message: reading it took longer than 3 s; the email is kept raw' });
      expect(lines.filter((l) => l.msg === 'a message took too long to parse; replacing the parser worker')).toHaveLength(1);
    } finally {
      await preparer.close();
    }
  }, 60_000);

  it('in a batch, fails only the message that stops the worker, wherever it is', async () => {
    const preparer = new Preparer({ workerUrl: MISBEHAVING_WORKER, logger: testLogger });
    try {
      const results = await Promise.all([
        preparer.prepare(statementWith('CRASH-THE-PARSER first'), CONTEXT),
        ...Array.from({ length: 4 }, (_, n) => preparer.prepare(statementEmail('batch-crash', n), CONTEXT)),
        preparer.prepare(statementWith('CRASH-THE-PARSER last'), CONTEXT),
      ]);
      expect(results.map((r) => r.kind)).toEqual(['failed', 'drafted', 'drafted', 'drafted', 'drafted', 'failed']);
      expect(results[5]).toEqual({ kind: 'failed', error: 'could not parse the message: the parser stopped while reading it (exit code 7)' });
    } finally {
      await preparer.close();
    }
  }, 60_000);

  it('counts the time limit from when the worker takes a message up, not while it waits its turn', async () => {
    const preparer = new Preparer({ workerUrl: MISBEHAVING_WORKER, timeoutMs: 1_500, logger: testLogger });
    try {
      expect((await preparer.prepare(statementEmail('slow', 0), CONTEXT)).kind).toBe('drafted');
      // Six messages of 400 ms each, sent at once: the last waits 2 s, longer than the limit.
      const results = await Promise.all(Array.from({ length: 6 }, (_, n) => preparer.prepare(statementWith(`SLOW-THE-PARSER ${n}`), CONTEXT)));
      expect(results.map((r) => r.kind)).toEqual(Array(6).fill('drafted'));
    } finally {
      await preparer.close();
    }
  }, 60_000);

  it('fails only the message that exhausts the worker\'s heap, saying so', async () => {
    const preparer = new Preparer({ workerUrl: MISBEHAVING_WORKER, logger: testLogger, resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 } });
    try {
      const results = await Promise.all([preparer.prepare(statementWith('EXHAUST-THE-HEAP'), CONTEXT), preparer.prepare(statementEmail('heap', 1), CONTEXT)]);
      expect(results[0]).toEqual({ kind: 'failed', error: 'could not parse the message: the parser stopped while reading it (it needed more than 96 MB of memory)' });
      expect(results[1]!.kind).toBe('drafted');
    } finally {
      await preparer.close();
    }
  }, 90_000);

  it('sanitises HTML in the worker, fails HTML that hangs it with a reason, and goes on', async () => {
    const preparer = new Preparer({ workerUrl: MISBEHAVING_WORKER, timeoutMs: 3_000, logger: testLogger });
    try {
      expect(await preparer.sanitize('<p onclick="x()">Hello <script>bad()</script>world</p>')).toEqual({ html: '<p>Hello world</p>', text: 'Hello world', truncated: false });
      const [hung, next] = await Promise.allSettled([preparer.sanitize('<p>HANG-THE-SANITISER</p>'), preparer.sanitize('<p>next</p>')]);
      expect(hung.status === 'rejected' && hung.reason).toBeInstanceOf(SanitizeFailedError);
      expect(hung.status === 'rejected' && (hung.reason as Error).message).toBe('cleaning the HTML took longer than 3 s');
      expect(next).toEqual({ status: 'fulfilled', value: { html: '<p>next</p>', text: 'next', truncated: false } });
    } finally {
      await preparer.close();
    }
  }, 60_000);

  it('answers an error thrown inside a task, for that task alone', async () => {
    const preparer = new Preparer({ workerUrl: MISBEHAVING_WORKER, logger: testLogger });
    try {
      const [thrown, next] = await Promise.all([preparer.prepare(statementWith('THROW-IN-THE-PARSER'), CONTEXT), preparer.prepare(statementEmail('throw', 1), CONTEXT)]);
      expect(thrown).toEqual({ kind: 'failed', error: 'could not parse the message: the parser threw on purpose' });
      expect(next.kind).toBe('drafted');
      await expect(preparer.sanitize('<p>THROW-IN-THE-SANITISER</p>')).rejects.toThrow('the HTML could not be cleaned (the sanitiser threw on purpose)');
      expect((await preparer.sanitize('<p>after</p>')).text).toBe('after');
    } finally {
      await preparer.close();
    }
  }, 60_000);

  it('stops an idle worker to give its memory back, never one at work, and starts a new one for the next message', async () => {
    const lines: { msg: string }[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const preparer = new Preparer({ workerUrl: MISBEHAVING_WORKER, idleStopMs: 300, logger });
    const threads = () => Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    try {
      // A message that takes longer than the idle time is not stopped half-way.
      expect((await preparer.prepare(statementWith('SLOW-THE-PARSER'), CONTEXT)).kind).toBe('drafted');
      expect(preparer.hasWorker).toBe(true);
      const working = threads();
      await expect.poll(() => preparer.hasWorker, { timeout: 10_000 }).toBe(false);
      // The thread itself has ended (its heap went with it), and the stop was logged once.
      await expect.poll(threads, { timeout: 10_000 }).toBeLessThan(working);
      expect(lines.filter((l) => l.msg.startsWith('parser worker idle')).length).toBe(1);
      expect((await preparer.prepare(statementEmail('idle', 1), CONTEXT)).kind).toBe('drafted');
      expect(preparer.hasWorker).toBe(true);
    } finally {
      await preparer.close();
    }
  }, 60_000);

  it('parses nothing in this thread when no worker can start: it says so, and tries again on the next call', async () => {
    const { logger, lines } = recordingLogger();
    const preparer = new Preparer({ workerUrl: new URL('../support/no-such-worker.mjs', import.meta.url), logger });
    try {
      await expect(preparer.prepare(statementEmail('no-worker', 1), CONTEXT)).rejects.toThrow(PreparerUnavailableError);
      // An editor's request is a 503 that says what to do; the log says why (a path editors need not see).
      await expect(preparer.sanitize('<p>x</p>')).rejects.toMatchObject({ statusCode: 503, message: expect.stringMatching(/^The email could not be read now: the parser worker could not start\. Try again/) });
      expect(lines.map((l) => l.msg)).toEqual(Array(2).fill('could not start the parser worker; messages stay unparsed until one starts'));
      expect(lines[0]!.err?.message).toMatch(/no-such-worker/);
    } finally {
      await preparer.close();
    }
  });
});

describe('the pipeline with a parser that crashes', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.drop());

  it('marks the message failed with the reason and drafts the rest of the batch', async () => {
    const preparer = new Preparer({ workerUrl: MISBEHAVING_WORKER, logger: testLogger });
    try {
      const ids = [];
      for (const raw of [statementEmail('pipeline-crash', 1), statementWith('CRASH-THE-PARSER'), statementEmail('pipeline-crash', 2)]) {
        ids.push((await storeRawMessage(t.db, { raw, source: 'import' })).id);
      }
      const outcomes = await processMessages({ db: t.db, logger: testLogger, preparer }, ids.map((messageId) => ({ messageId })));
      expect(outcomes.map((o) => o.status)).toEqual(['drafted', 'failed', 'drafted']);
      const crashed = await t.db.message.findUniqueOrThrow({ where: { id: ids[1]! } });
      expect(crashed).toMatchObject({ status: 'failed', error: 'could not parse the message: the parser stopped while reading it (exit code 7)' });
      expect(await t.db.statement.count({ where: { messageId: { in: [ids[0]!, ids[2]!] } } })).toBe(2);
    } finally {
      await preparer.close();
    }
  }, 60_000);

  it('leaves the messages received, for the next start, when no parser worker can start', async () => {
    const preparer = new Preparer({ workerUrl: new URL('../support/no-such-worker.mjs', import.meta.url), logger: testLogger });
    try {
      const { id } = await storeRawMessage(t.db, { raw: statementEmail('no-worker-pipeline', 1), source: 'import' });
      const outcomes = await processMessages({ db: t.db, logger: testLogger, preparer }, [{ messageId: id }]);
      expect(outcomes).toEqual([{ status: 'skipped' }]);
      expect(await t.db.message.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'received', error: null });
    } finally {
      await preparer.close();
    }
  });
});
