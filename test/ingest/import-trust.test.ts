// `import` against hostile files (issue 10, items 4 and 10): a message injected into an mbox
// through an unescaped "From " line, carrying a passing Authentication-Results header it wrote
// itself, must not become "sender verified"; a forged header below the trusted server's own is
// ignored; symbolic links, given or inside the folder, are refused rather than followed.
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPath } from '../../src/ingest/import-files.ts';
import { DropFolderSource } from '../../src/ingest/sources/drop-folder.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/logger.ts';

const BODY = [
  'Labour Party of Pakistan',
  '',
  'We stand with the textile strikers',
  '',
  'The Labour Party of Pakistan stands with the textile workers on strike in Faisalabad since Monday, and calls on every union in the country to send delegations to the picket lines.',
  '',
  'Their demands are just: a living wage, safe factories, written contracts and the right to organise without fear of dismissal or violence. We call on the provincial government to open talks at once and to withdraw the police from the mills.',
  '',
  'Solidarity with the strikers until victory.',
].join('\r\n');

function email(options: { id: string; from: string; authenticationResults: string[]; subject: string }): string {
  return [
    ...options.authenticationResults.map((value) => `Authentication-Results: ${value}`),
    `Message-ID: <${options.id}@example.org>`,
    `From: ${options.from}`,
    'To: submissions@example.com',
    'Date: Tue, 01 Mar 2022 09:00:00 +0500',
    `Subject: ${options.subject}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    BODY,
    '',
  ].join('\r\n');
}

const GOOGLE_PASS = 'mx.google.com; dkim=pass header.d=lpp.example; spf=pass smtp.mailfrom=press@lpp.example; dmarc=pass header.from=lpp.example';
const GOOGLE_FAIL = 'mx.google.com; dkim=none; spf=softfail smtp.mailfrom=press@lpp.example; dmarc=fail (p=NONE) header.from=lpp.example';

describe('import of hostile files', { timeout: 60_000 }, () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'sd-import-trust-'));
    await t.db.organisation.create({ data: { name: 'Labour Party of Pakistan', shortName: 'LPP', senderAddresses: ['press@lpp.example'] } });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await t?.drop();
  });

  const draftOf = (messageIdHeader: string) =>
    t.db.statement.findFirstOrThrow({ where: { message: { messageIdHeader } }, select: { senderVerified: true, organisationId: true } });

  it('a message injected into an mbox through a crafted "From " line, with its own passing header, is not verified', async () => {
    // The attacker's email, received by Gmail, carries in its body an unescaped "From " line
    // after a blank line: an mbox reader takes what follows for a message of its own.
    const outer = email({ id: 'outer', from: 'Someone <someone@attacker.example>', authenticationResults: ['mx.google.com; dmarc=pass header.from=attacker.example'], subject: 'Hello' });
    const injected = email({ id: 'injected', from: 'Labour Party of Pakistan <press@lpp.example>', authenticationResults: [GOOGLE_PASS], subject: 'We stand with the textile strikers' });
    const mbox = `From someone@attacker.example Tue Mar  1 09:00:00 2022\r\n${outer}\r\nFrom press@lpp.example Tue Mar  1 09:00:00 2022\r\n${injected}`;
    const file = path.join(dir, 'takeout.mbox');
    await writeFile(file, mbox);

    const summary = await importPath({ db: t.db, logger: testLogger }, file);

    expect(summary).toMatchObject({ files: 1, messages: 2 });
    const draft = await draftOf('injected@example.org');
    expect(draft.organisationId).not.toBeNull();
    expect(draft.senderVerified).toBe(false);
  });

  it('with TRUSTED_AUTHSERV_ID set, the trusted top header verifies, and a forged passing one below it does not', async () => {
    const genuine = path.join(dir, 'genuine.eml');
    const forged = path.join(dir, 'forged.eml');
    await writeFile(genuine, email({ id: 'genuine', from: 'Labour Party of Pakistan <press@lpp.example>', authenticationResults: [GOOGLE_PASS], subject: 'We stand with the strikers (1)' }));
    // Google's own verdict on top (fail); the sender's forged "pass", naming mx.google.com, below.
    await writeFile(forged, email({ id: 'forged', from: 'Labour Party of Pakistan <press@lpp.example>', authenticationResults: [GOOGLE_FAIL, GOOGLE_PASS], subject: 'We stand with the strikers (2)' }));

    const deps = { db: t.db, logger: testLogger, trustedAuthservIds: ['mx.google.com'] };
    await importPath(deps, genuine);
    await importPath(deps, forged);

    expect((await draftOf('genuine@example.org')).senderVerified).toBe(true);
    expect((await draftOf('forged@example.org')).senderVerified).toBe(false);
  });

  it('the drop folder believes the header only with TRUSTED_AUTHSERV_ID set', async () => {
    const verifiedThrough = async (id: string, trustedAuthservIds: string[] | undefined) => {
      const inbox = await mkdtemp(path.join(os.tmpdir(), 'sd-drop-trust-'));
      try {
        const file = path.join(inbox, `${id}.eml`);
        await writeFile(file, email({ id, from: 'Labour Party of Pakistan <press@lpp.example>', authenticationResults: [GOOGLE_PASS], subject: `Strike statement ${id}` }));
        const past = new Date(Date.now() - 10_000); // older than the settle delay
        await utimes(file, past, past);
        const source = new DropFolderSource({ db: t.db, logger: testLogger, dir: inbox, ...(trustedAuthservIds ? { trustedAuthservIds } : {}) });
        await source.prepare();
        expect((await source.scanOnce()).map((r) => r.outcome)).toEqual(['processed']);
        return (await draftOf(`${id}@example.org`)).senderVerified;
      } finally {
        await rm(inbox, { recursive: true, force: true });
      }
    };
    expect(await verifiedThrough('drop-untrusted', undefined)).toBe(false);
    expect(await verifiedThrough('drop-trusted', ['mx.google.com'])).toBe(true);
  });

  it('refuses a symbolic link given as the path, importing nothing', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'sd-import-outside-'));
    try {
      await writeFile(path.join(outside, 'secret.eml'), email({ id: 'linked', from: 'x@example.org', authenticationResults: [], subject: 'Linked' }));
      const link = path.join(dir, 'link.eml');
      await symlink(path.join(outside, 'secret.eml'), link);
      const before = await t.db.message.count();

      await expect(importPath({ db: t.db, logger: testLogger }, link)).rejects.toThrow(/link\.eml is a symbolic link, and import does not follow links/);
      expect(await t.db.message.count()).toBe(before);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses a folder holding symbolic links (to a file or a folder), naming them, and imports nothing from it', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'sd-import-outside-'));
    const folder = path.join(dir, 'folder');
    try {
      await writeFile(path.join(outside, 'secret.eml'), email({ id: 'outside', from: 'x@example.org', authenticationResults: [], subject: 'Outside' }));
      await mkdir(path.join(folder, 'sub'), { recursive: true });
      await writeFile(path.join(folder, 'ok.eml'), email({ id: 'ok-in-folder', from: 'x@example.org', authenticationResults: [], subject: 'Fine' }));
      await symlink(path.join(outside, 'secret.eml'), path.join(folder, 'sub', 'secret.eml'));
      await symlink(outside, path.join(folder, 'elsewhere'));
      const before = await t.db.message.count();

      const refusal = importPath({ db: t.db, logger: testLogger }, folder);
      await expect(refusal).rejects.toThrow(/Nothing was imported: .*elsewhere, .*secret\.eml are symbolic links/);
      expect(await t.db.message.count()).toBe(before);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
