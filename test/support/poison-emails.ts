// Poison messages for the isolation tests (issue 10): each is data a sender controls that once
// stopped, or could stop, ingest for everyone, planted among good statements. `expected` is what
// must become of it; `tag` keeps the channels (drop folder, import, IMAP) apart so that the same
// poison is a new message in each.
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { sha256Hex } from '../../src/ingest/store-raw.ts';
import { statementEmail, unparseableEmail } from './imap-emails.ts';

export interface PoisonEmail {
  name: string;
  raw: Buffer;
  /** failed: with a reason matching `reason`. drafted: a draft, without the date it could not store. */
  expected: { status: 'failed'; reason: RegExp } | { status: 'drafted'; sentAt: 'none' | 'kept' };
}

/** A limit small enough for a test, large enough for every good email here. */
export const TEST_MAX_MESSAGE_BYTES = 128 * 1024;

function email(tag: string, name: string, headers: string[], body: string): Buffer {
  return Buffer.from(
    [
      `From: "Poison ${name}" <press@${name}.${tag}.example.org>`,
      'To: statements@publication.example.org',
      `Message-ID: <poison-${name}-${tag}@example.org>`,
      'MIME-Version: 1.0',
      ...headers,
      '',
      body,
      '',
    ].join('\r\n'),
    'latin1',
  );
}

const STATEMENT_TEXT =
  'The tenants union calls on the city council to stop every eviction this winter and to open the empty\r\n' +
  'municipal buildings to the families who have lost their homes. We will gather at the town hall.\r\n';

export function poisonEmails(tag: string): PoisonEmail[] {
  return [
    {
      // Issue 10 item 1: PostgreSQL refused "+010000-01" in the likely-duplicate query, and the
      // whole source stopped for good.
      name: 'year-10000',
      raw: email(tag, 'year-10000', ['Date: Sat, 01 Jan 10000 09:00:00 +0000', 'Subject: Stop the evictions (year 10000)', 'Content-Type: text/plain; charset=utf-8'], STATEMENT_TEXT),
      expected: { status: 'drafted', sentAt: 'none' },
    },
    {
      name: 'year-275760',
      raw: email(tag, 'year-275760', ['Date: Mon, 01 Jan 275760 09:00:00 +0000', 'Subject: Stop the evictions (far future)', 'Content-Type: text/plain; charset=utf-8'], STATEMENT_TEXT),
      expected: { status: 'drafted', sentAt: 'none' },
    },
    {
      // Year 0 does not exist in PostgreSQL; JavaScript reads "0000" in a Date header as 2000,
      // and the dateline's "1 January 0000" once became 1900-01-01.
      name: 'year-0',
      raw: email(
        tag,
        'year-0',
        ['Date: Sat, 01 Jan 0000 09:00:00 +0000', 'Subject: Stop the evictions (year 0)', 'Content-Type: text/plain; charset=utf-8'],
        `1 January 0000 - Statement of the tenants union\r\n\r\n${STATEMENT_TEXT}`,
      ),
      expected: { status: 'drafted', sentAt: 'kept' },
    },
    {
      name: 'oversize',
      raw: email(
        tag,
        'oversize',
        ['Date: Tue, 01 Mar 2022 09:00:00 +0000', 'Subject: A very long statement', 'Content-Type: text/plain; charset=utf-8'],
        STATEMENT_TEXT.repeat(Math.ceil((TEST_MAX_MESSAGE_BYTES * 2) / STATEMENT_TEXT.length)),
      ),
      expected: { status: 'failed', reason: /^message too large: the email is \d+ KB \(\d+ bytes\), over the limit of 128 KB \(MAX_MESSAGE_BYTES\); it is kept raw and was not read/ },
    },
    {
      // More nested multiparts than mailparser allows.
      name: 'deep-nesting',
      raw: unparseableEmail(`deep-${tag}`),
      expected: { status: 'failed', reason: /^could not parse the message: / },
    },
    {
      // A NUL in the Message-ID made storing the raw email itself fail (a text column refuses
      // U+0000), which the drop folder took for a lost database and retried forever.
      name: 'nul-message-id',
      raw: Buffer.concat([
        Buffer.from(`Message-ID: <nul\u0000id-${tag}@example.org>\r\n`, 'latin1'),
        email(tag, 'nul', ['Date: Tue, 01 Mar 2022 09:00:00 +0000', 'Subject: Nul\u0000in the subject', 'X-Note: nul\u0000here', 'Content-Type: text/plain; charset=utf-8'], `Nul\u0000in the body.\r\n${STATEMENT_TEXT}`),
      ]),
      expected: { status: 'drafted', sentAt: 'kept' },
    },
    {
      // Broken encodings everywhere: an unknown charset, invalid UTF-8, a UTF-16 encoded word
      // holding a lone surrogate, and base64 that is not base64.
      name: 'broken-encodings',
      raw: email(
        tag,
        'broken-encodings',
        [
          'Date: Tue, 01 Mar 2022 09:00:00 +0000',
          'Subject: =?utf-16le?B?ANg=?= =?x-no-such-charset?Q?Stop_=FF_evictions?= \xff\xfe',
          'Content-Type: multipart/mixed; boundary="b"',
        ],
        [
          '--b',
          'Content-Type: text/plain; charset=x-no-such-charset',
          'Content-Transfer-Encoding: 8bit',
          '',
          `Broken bytes \xc3\x28 \xa0\xa1 here.\r\n${STATEMENT_TEXT}`,
          '--b',
          'Content-Type: application/pdf; name="statement.pdf"',
          'Content-Transfer-Encoding: base64',
          'Content-Disposition: attachment; filename="statement.pdf"',
          '',
          '%%% not base64 at all %%% !!!',
          '--b--',
        ].join('\r\n'),
      ),
      expected: { status: 'drafted', sentAt: 'kept' },
    },
  ];
}

/** Good statements around the poison: each must be drafted, whatever comes before it. */
export function goodEmails(tag: string, count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => statementEmail(`good-${tag}`, i + 1));
}

/** Each message of `raws`, found by its bytes, with its drafts (undefined when not stored). */
export async function storedByContent(db: Db, raws: Buffer[]) {
  const messages = await db.message.findMany({ where: { sha256: { in: raws.map(sha256Hex) } }, include: { statements: true } });
  return raws.map((raw) => messages.find((m) => m.sha256 === sha256Hex(raw)));
}

export async function expectAllDrafted(db: Db, raws: Buffer[]): Promise<void> {
  const stored = await storedByContent(db, raws);
  expect(stored.map((m) => [m?.status, m?.statements.length])).toEqual(raws.map(() => ['drafted', 1]));
}

/** Each poison stored byte-exact and become what it should: failed with its reason, or a draft without the date PostgreSQL cannot hold. */
export async function expectPoisonOutcomes(db: Db, poisons: PoisonEmail[]): Promise<void> {
  const stored = await storedByContent(db, poisons.map((p) => p.raw));
  for (const [i, poison] of poisons.entries()) {
    const message = stored[i];
    expect(message, `${poison.name} is stored`).toBeDefined();
    expect(Buffer.from(message!.raw).equals(poison.raw), `${poison.name} is kept byte-exact`).toBe(true);
    if (poison.expected.status === 'failed') {
      expect({ name: poison.name, status: message!.status }).toEqual({ name: poison.name, status: 'failed' });
      expect(message!.error, poison.name).toMatch(poison.expected.reason);
      expect(message!.statements, poison.name).toHaveLength(0);
      continue;
    }
    expect({ name: poison.name, status: message!.status, error: message!.error }).toEqual({ name: poison.name, status: 'drafted', error: null });
    expect(message!.statements, poison.name).toHaveLength(1);
    if (poison.expected.sentAt === 'none') {
      // The header is kept as written; a date PostgreSQL cannot hold is no date at all.
      expect(message!.sentAt, poison.name).toBeNull();
      expect(message!.statements[0]!.statementDate, poison.name).toBeNull();
      expect((message!.statements[0]!.extraction as { warnings: string[] }).warnings, poison.name).toContainEqual(
        expect.stringMatching(/^the email's Date header \(".+"\) is not a date that can be read and stored; it was not used$/),
      );
    }
    const year = message!.statements[0]!.statementDate?.getUTCFullYear();
    if (year !== undefined) expect(year, poison.name).toBeGreaterThanOrEqual(1000);
  }
}
