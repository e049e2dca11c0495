// Editors teach the organisation registry (issue 11, item 4), through the real pipeline: emails
// are stored and drafted as the drop folder does; an editor corrects a draft's organisation and
// remembers its sender in one action; the other open drafts from that sender follow, audited;
// the next email from that sender gets the organisation from the registry with high confidence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, PreconditionFailedError, ValidationError } from '../../src/errors.ts';
import { editStatement } from '../../src/moderation/edit-statement.ts';
import { createOrganisation } from '../../src/moderation/organisations.ts';
import { findSenderRegistryView, rememberSender } from '../../src/moderation/teach-registry.ts';
import { transitionStatement } from '../../src/moderation/transitions.ts';
import { createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { ingestDraft, registryMail } from '../fixtures/registry-emails.ts';

const NOW = new Date('2026-12-01T10:00:00Z');
const HTWF = "Harbour and Transport Workers' Federation";

describe('editors teach the organisation registry', { timeout: 60_000 }, () => {
  let t: TestDatabase;
  let editor: TestEditor;
  const actor = () => ({ id: editor.id, email: editor.email });

  beforeAll(async () => {
    t = await createTestDatabase();
    editor = await createTestEditor(t.db);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const ingest = (raw: Buffer) => ingestDraft(t.db, raw);
  const statement = (id: string) => t.db.statement.findUniqueOrThrow({ where: { id } });
  const organisationConfidence = (s: { extraction: unknown }) => (s.extraction as { fields: Record<string, { source: string; confidence: number }> }).fields.organisation!;
  async function setOrganisation(id: string, organisationName: string, organisationShort: string | null = null) {
    const current = await statement(id);
    return editStatement(t.db, { id, expectedVersion: current.version, changes: { organisationName, organisationShort }, actor: actor(), now: NOW });
  }

  it("remembers an organisation's own domain, updates the other open drafts, and names the next email from it", async () => {
    const taught = await ingest(registryMail({ from: 'press@htwf.example.net', topic: 0 }));
    const sameSender = await ingest(registryMail({ from: 'press@htwf.example.net', topic: 1 }));
    const sameDomain = await ingest(registryMail({ from: 'desk@htwf.example.net', topic: 2 }));
    const editedByEditor = await ingest(registryMail({ from: 'press@htwf.example.net', topic: 1 }));
    const approved = await ingest(registryMail({ from: 'press@htwf.example.net', topic: 2 }));
    const unrelated = await ingest(registryMail({ from: 'press@harbour-news.example', topic: 0 }));
    // Without the registry, extraction cannot be sure who sent these.
    expect((await statement(sameSender)).organisationName).not.toBe(HTWF);
    await setOrganisation(editedByEditor, 'Dockers Choir');
    await transitionStatement(t.db, { id: approved, action: 'approve', expectedVersion: (await statement(approved)).version, actor: actor(), now: NOW });

    await setOrganisation(taught, HTWF, 'HTWF');
    const view = await findSenderRegistryView(t.db, taught);
    expect(view).toMatchObject({ sender: 'press@htwf.example.net', known: null, organisationSetByEditor: true });
    expect(view.offer).toMatchObject({ organisationId: null, organisationName: HTWF, organisationShort: 'HTWF', remember: 'domain', domain: 'htwf.example.net' });

    const result = await rememberSender(t.db, { statementId: taught, expectedVersion: view.statementVersion, remember: 'auto', actor: actor(), now: NOW });
    expect(result).toMatchObject({ created: true, remembered: { kind: 'domain', value: 'htwf.example.net' }, shortName: 'HTWF', movedFrom: [] });
    expect(result.draftsUpdated.sort()).toEqual([sameSender, sameDomain].sort());

    const organisation = await t.db.organisation.findUniqueOrThrow({ where: { id: result.organisationId } });
    expect(organisation).toMatchObject({ name: HTWF, shortName: 'HTWF', senderDomains: ['htwf.example.net'], senderAddresses: [] });
    expect(await statement(taught)).toMatchObject({ organisationId: organisation.id, organisationName: HTWF, organisationShort: 'HTWF' });
    for (const id of [sameSender, sameDomain]) {
      const draft = await statement(id);
      expect(draft).toMatchObject({ organisationId: organisation.id, organisationName: HTWF, organisationShort: 'HTWF' });
      expect(organisationConfidence(draft)).toEqual({ source: 'registry', confidence: 0.95 });
      const revision = await t.db.statementRevision.findFirstOrThrow({ where: { statementId: id, version: draft.version } });
      expect(revision.changes).toMatchObject({ organisationId: { to: organisation.id }, organisationName: { to: HTWF } });
      const audit = await t.db.auditEntry.findFirstOrThrow({ where: { targetId: id, action: 'statement.edit' }, orderBy: { id: 'desc' } });
      expect(audit).toMatchObject({ actorId: editor.id, details: { via: 'organisation registry', organisationId: organisation.id, taughtFrom: taught } });
    }
    // An editor's own choice and an approved statement are left as they are.
    expect(await statement(editedByEditor)).toMatchObject({ organisationName: 'Dockers Choir', organisationId: null });
    expect((await statement(approved)).organisationId).toBeNull();
    expect((await statement(unrelated)).organisationId).toBeNull();
    // The registry change is audited, with what it learned and what it touched.
    const remembered = await t.db.auditEntry.findFirstOrThrow({ where: { targetId: organisation.id, action: 'organisation.remember_sender' } });
    expect(remembered).toMatchObject({ actorId: editor.id, details: { statementId: taught, remembered: { kind: 'domain', value: 'htwf.example.net' } } });
    expect(await t.db.auditEntry.count({ where: { targetId: organisation.id, action: 'organisation.create' } })).toBe(1);

    // The next emails from that domain get the organisation from the registry, sure of it.
    for (const from of ['press@htwf.example.net', 'secretary@htwf.example.net', 'news@lists.htwf.example.net']) {
      const next = await statement(await ingest(registryMail({ from, topic: 0 })));
      expect(next, from).toMatchObject({ organisationId: organisation.id, organisationName: HTWF, organisationShort: 'HTWF' });
      expect(organisationConfidence(next).source).toBe('registry');
      expect(organisationConfidence(next).confidence).toBeGreaterThanOrEqual(0.85);
    }
    // And the page has nothing more to offer for this sender.
    expect(await findSenderRegistryView(t.db, taught)).toMatchObject({ offer: null, known: { organisationId: organisation.id, matchedBy: 'domain' } });
    await expect(rememberSender(t.db, { statementId: taught, expectedVersion: undefined, remember: 'auto', actor: actor(), now: NOW })).rejects.toBeInstanceOf(ConflictError);
  });

  it('never learns a free-mail domain: the address alone is remembered, and other users of that service are not named', async () => {
    const taught = await ingest(registryMail({ from: 'lakeshore.tenants@gmail.com', fromName: 'Lakeshore Tenants', topic: 3 }));
    await setOrganisation(taught, 'Lakeshore Tenants Assembly');
    const view = await findSenderRegistryView(t.db, taught);
    expect(view.offer).toMatchObject({ remember: 'address', domain: null, domainRefusal: expect.stringMatching(/gmail\.com is a mail service/) });

    await expect(rememberSender(t.db, { statementId: taught, expectedVersion: undefined, remember: 'domain', actor: actor(), now: NOW })).rejects.toBeInstanceOf(ValidationError);
    expect(await t.db.organisation.count({ where: { name: 'Lakeshore Tenants Assembly' } })).toBe(0);

    const result = await rememberSender(t.db, { statementId: taught, expectedVersion: undefined, remember: 'auto', actor: actor(), now: NOW });
    expect(result.remembered).toEqual({ kind: 'address', value: 'lakeshore.tenants@gmail.com' });
    expect(await t.db.organisation.findUniqueOrThrow({ where: { id: result.organisationId } })).toMatchObject({ senderAddresses: ['lakeshore.tenants@gmail.com'], senderDomains: [] });

    const stranger = await statement(await ingest(registryMail({ from: 'someone.else@gmail.com', fromName: 'Someone Else', topic: 4 })));
    expect(stranger.organisationId).toBeNull();
    const again = await statement(await ingest(registryMail({ from: 'Lakeshore.Tenants@gmail.com', fromName: 'Lakeshore Tenants', topic: 4 })));
    expect(again).toMatchObject({ organisationId: result.organisationId, organisationName: 'Lakeshore Tenants Assembly' });
    expect(organisationConfidence(again)).toEqual({ source: 'registry', confidence: 0.95 });
  });

  it('moves an address the registry gave another organisation to the one the editor named', async () => {
    const { organisation: wrong } = await createOrganisation(t.db, { organisation: { name: 'Port Staff Association', senderAddresses: ['bulletin@harbour-staff.example'] }, actor: actor(), now: NOW });
    const taught = await ingest(registryMail({ from: 'bulletin@harbour-staff.example', topic: 1 }));
    expect((await statement(taught)).organisationId).toBe(wrong.id);
    await setOrganisation(taught, 'Harbour Pilots Guild', 'HPG');
    const view = await findSenderRegistryView(t.db, taught);
    expect(view.known).toMatchObject({ organisationId: wrong.id, matchedBy: 'address' });
    // The domain does not read as the guild's: the address by default, the domain on request.
    expect(view.offer).toMatchObject({ remember: 'address', domain: 'harbour-staff.example' });

    const result = await rememberSender(t.db, { statementId: taught, expectedVersion: view.statementVersion, remember: 'auto', actor: actor(), now: NOW });
    expect(result.movedFrom).toEqual([{ id: wrong.id, name: 'Port Staff Association' }]);
    // The link extraction had made follows the editor's correction.
    expect(await statement(taught)).toMatchObject({ organisationId: result.organisationId, organisationName: 'Harbour Pilots Guild' });
    expect((await t.db.organisation.findUniqueOrThrow({ where: { id: wrong.id } })).senderAddresses).toEqual([]);
    const moved = await t.db.auditEntry.findFirstOrThrow({ where: { targetId: wrong.id, action: 'organisation.update' }, orderBy: { id: 'desc' } });
    expect(moved.details).toMatchObject({ changes: { senderAddresses: { from: ['bulletin@harbour-staff.example'], to: [] } }, via: 'remembered for Harbour Pilots Guild' });

    const next = await statement(await ingest(registryMail({ from: 'bulletin@harbour-staff.example', topic: 2 })));
    expect(next).toMatchObject({ organisationId: result.organisationId, organisationName: 'Harbour Pilots Guild', organisationShort: 'HPG' });
  });

  it('takes the domain when the editor chooses it over the default, and the exact address another organisation had goes with it', async () => {
    const { organisation: before } = await createOrganisation(t.db, { organisation: { name: 'Canal Boat Owners', senderAddresses: ['info@waterways-mail.example'] }, actor: actor(), now: NOW });
    const taught = await ingest(registryMail({ from: 'info@waterways-mail.example', topic: 0 }));
    await setOrganisation(taught, 'Lock Keepers Circle');
    const view = await findSenderRegistryView(t.db, taught);
    expect(view.offer).toMatchObject({ remember: 'address', domain: 'waterways-mail.example' });

    const result = await rememberSender(t.db, { statementId: taught, expectedVersion: undefined, remember: 'domain', actor: actor(), now: NOW });
    expect(result).toMatchObject({ remembered: { kind: 'domain', value: 'waterways-mail.example' }, movedFrom: [{ id: before.id }] });
    for (const from of ['info@waterways-mail.example', 'keeper@waterways-mail.example']) {
      const next = await statement(await ingest(registryMail({ from, topic: 1 })));
      expect(next, from).toMatchObject({ organisationId: result.organisationId, organisationName: 'Lock Keepers Circle' });
    }
  });

  it('remembers a short name the editor gave for a sender the registry already knows', async () => {
    const { organisation } = await createOrganisation(t.db, { organisation: { name: 'Riverside Tenants Union', senderDomains: ['riverside-tenants.example'] }, actor: actor(), now: NOW });
    const taught = await ingest(registryMail({ from: 'office@riverside-tenants.example', topic: 3 }));
    const other = await ingest(registryMail({ from: 'office@riverside-tenants.example', topic: 4 }));
    expect(await statement(other)).toMatchObject({ organisationId: organisation.id, organisationShort: null });
    await setOrganisation(taught, 'Riverside Tenants Union', 'RTU');

    const view = await findSenderRegistryView(t.db, taught);
    expect(view.offer).toMatchObject({ senderKnown: true, organisationShort: 'RTU', organisationId: organisation.id });
    // A stale page changes nothing.
    await expect(rememberSender(t.db, { statementId: taught, expectedVersion: view.statementVersion - 1, remember: 'auto', actor: actor(), now: NOW })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await t.db.organisation.findUniqueOrThrow({ where: { id: organisation.id } })).shortName).toBeNull();

    const result = await rememberSender(t.db, { statementId: taught, expectedVersion: view.statementVersion, remember: 'auto', actor: actor(), now: NOW });
    expect(result).toMatchObject({ remembered: null, shortName: 'RTU', draftsUpdated: [other] });
    expect(await statement(other)).toMatchObject({ organisationShort: 'RTU' });
    const next = await statement(await ingest(registryMail({ from: 'office@riverside-tenants.example', topic: 3 })));
    expect(next).toMatchObject({ organisationId: organisation.id, organisationShort: 'RTU' });
  });
});
