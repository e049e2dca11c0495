// Pure checks of the ingest limits (issue 10 item 9) and of the error classes that tell a lost
// database from a message's own fault (item 1).
import { describe, expect, it } from 'vitest';
import { Prisma } from '../../src/db/client.ts';
import { describeMessageError, isDatabaseUnavailable } from '../../src/ingest/database-errors.ts';
import { capDisplayText, capDraftBody, MAX_STORED_TEXT_CHARS, oversizeError } from '../../src/ingest/limits.ts';
import { MAX_BODY_CHARS } from '../../src/moderation/edit-statement.ts';
import type { DraftFields } from '../../src/extract/types.ts';

/** What Prisma 7 with the pg adapter throws (a closed port gives P1001, a missing database P1003). */
function prismaError(code: string, message: string): Error {
  return new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: Prisma.prismaVersion.client });
}

function pgError(code: string, message = 'refused'): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

describe('is the database unavailable, or is it the message?', () => {
  it.each([
    ['08006 connection failure', pgError('08006'), true],
    ['57P01 admin shutdown', pgError('57P01', 'terminating connection due to administrator command'), true],
    ['57P03 cannot connect now', pgError('57P03'), true],
    ['53100 disk full', pgError('53100'), true],
    ['3D000 no such database', pgError('3D000'), true],
    ['28P01 wrong password', pgError('28P01'), true],
    ['40P01 deadlock', pgError('40P01'), true],
    ['42P01 missing table (a migration not applied)', pgError('42P01'), true],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), true],
    ['a connection ended by the server', new Error('Connection terminated unexpectedly'), true],
    ['a pool timeout', new Error('timeout exceeded when trying to connect'), true],
    ['a wrapped connection error', new Error('could not store', { cause: pgError('08003') }), true],
    ['Prisma: the server cannot be reached (P1001)', prismaError('P1001', "Can't reach database server at 127.0.0.1:1"), true],
    ['Prisma: no such database (P1003)', prismaError('P1003', 'Database `gone` does not exist on the database server'), true],
    // A message's own data: fail that message alone.
    ['22009 time zone displacement out of range (year 10000)', pgError('22009', 'time zone displacement out of range: "+010000-01"'), false],
    ['22008 date out of range', pgError('22008'), false],
    ['22021 NUL in text', pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'), false],
    ['22P05 untranslatable character in JSON', pgError('22P05'), false],
    ['54000 program limit (tsvector too long)', pgError('54000'), false],
    ['57014 statement cancelled (its own work took too long)', pgError('57014'), false],
    ['23505 unique violation', pgError('23505'), false],
    ['Prisma: a record not found (P2025)', prismaError('P2025', 'No record was found'), false],
    ['a RangeError from a huge value', new RangeError('Invalid string length'), false],
    ['anything else', new Error('boom'), false],
  ])('%s: unavailable = %s', (_name, error, unavailable) => {
    expect(isDatabaseUnavailable(error)).toBe(unavailable);
  });

  it('describes a refusal in one line, without U+0000', () => {
    expect(describeMessageError(pgError('22008', 'date/time field value out of range: "0000-01-01"\nDETAIL: more'))).toBe(
      'the database refused it (22008: date/time field value out of range: "0000-01-01"); the email is kept raw, and the service log has the details',
    );
    expect(describeMessageError(new Error('bad\u0000value\nstack'))).toBe('badvalue');
  });
});

describe('message size and stored text limits', () => {
  it('keeps at most what an editor may save as a body', () => {
    expect(MAX_STORED_TEXT_CHARS).toBe(MAX_BODY_CHARS);
  });

  it('says how large the email is, what the limit is, and what to do', () => {
    expect(oversizeError(72 * 1024 * 1024, 50 * 1024 * 1024)).toBe(
      'message too large: the email is 72 MB (75497472 bytes), over the limit of 50 MB (MAX_MESSAGE_BYTES); it is kept raw and was not read. ' +
        'Ask the sender for the statement in a smaller email, or raise MAX_MESSAGE_BYTES and import the original again',
    );
  });

  it('leaves a text within the limit as it is, and cuts a longer one at a line with a note', () => {
    expect(capDisplayText('short')).toBe('short');
    expect(capDisplayText(null)).toBeNull();
    const line = `${'x'.repeat(99)}\n`;
    const long = line.repeat(20_000);
    const capped = capDisplayText(long)!;
    expect(capped.length).toBeLessThan(MAX_STORED_TEXT_CHARS + 200);
    expect(capped).toMatch(/\n\n\[statement-desk: the rest of this text, \d+ more characters, is not shown here; the original email has it all\]$/);
    expect(long.startsWith(capped.slice(0, capped.indexOf('\n\n[statement-desk')))).toBe(true);
  });

  it('cuts a draft body between paragraphs and blocks, and warns the editor', () => {
    const paragraphs = Array.from({ length: 20_000 }, (_, n) => `Paragraph ${n} of a very long congress resolution on housing and wages.`);
    const draft = {
      title: 't', organisationName: null, organisationShort: null, organisationId: null, statementDate: null, language: 'en',
      bodyText: paragraphs.join('\n\n'),
      bodyHtml: paragraphs.map((p) => `<p>${p}</p>`).join('\n'),
      signatories: [], forwardedBy: null, senderAddress: null, senderVerified: false, provenance: {} as DraftFields['provenance'], warnings: [],
    } satisfies DraftFields;
    expect(draft.bodyText.length).toBeGreaterThan(MAX_STORED_TEXT_CHARS);
    const capped = capDraftBody(draft);
    expect(capped.bodyText.length).toBeLessThanOrEqual(MAX_STORED_TEXT_CHARS);
    expect(capped.bodyText.endsWith('wages.')).toBe(true);
    expect(capped.bodyHtml.length).toBeLessThanOrEqual(MAX_STORED_TEXT_CHARS);
    expect(capped.bodyHtml).toMatch(/^<p>Paragraph 0 .*<\/p>$/s);
    expect(capped.warnings).toEqual([
      'the statement is longer than 500,000 characters: the draft holds its beginning only; the whole text is in the original email',
    ]);
    expect(capDraftBody({ ...draft, bodyText: 'short', bodyHtml: '<p>short</p>' }).warnings).toEqual([]);
  });
});
