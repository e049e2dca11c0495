// Topics, organisations, rejection reasons and editor accounts as service functions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, PreconditionFailedError, ValidationError } from '../../src/errors.ts';
import { findActiveSession } from '../../src/editors/sessions.ts';
import { signIn, SignInLimiter } from '../../src/editors/sign-in.ts';
import { addEditor, updateEditorAccount } from '../../src/moderation/editor-accounts.ts';
import { createOrganisation, updateOrganisation } from '../../src/moderation/organisations.ts';
import { createRejectionReason, deleteRejectionReason, listRejectionReasons } from '../../src/moderation/rejection-reasons.ts';
import { createTopic, deleteTopic, findTopicWithStatements, setTopicOrder, updateTopic } from '../../src/moderation/topics.ts';
import { createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createTestStatement } from './fixtures.ts';

const NOW = new Date('2026-06-01T08:00:00Z');

describe('registry services', () => {
  let t: TestDatabase;
  let admin: TestEditor;
  const actor = () => ({ id: admin.id, email: admin.email });
  beforeAll(async () => {
    t = await createTestDatabase();
    admin = await createTestEditor(t.db, 'admin');
  });
  afterAll(async () => {
    await t?.drop();
  });

  describe('topics', () => {
    it('creates a topic with a slug from its title and refuses a second one with the same slug', async () => {
      const topic = await createTopic(t.db, { topic: { title: 'Asian socialists condemn Russia’s war on Ukraine' }, actor: actor(), now: NOW });
      expect(topic).toMatchObject({ slug: 'asian-socialists-condemn-russias-war-on-ukraine', open: true, introduction: '', version: 1 });
      await expect(createTopic(t.db, { topic: { title: 'Other', slug: topic.slug }, actor: actor(), now: NOW })).rejects.toThrow(/already uses the address/);
      await expect(createTopic(t.db, { topic: { title: 'Bad', slug: 'Not A Slug' }, actor: actor(), now: NOW })).rejects.toBeInstanceOf(ValidationError);
      expect(await t.db.auditEntry.count({ where: { targetId: topic.id, action: 'topic.create' } })).toBe(1);
    });

    it('turns two simultaneous creations of the same slug into one topic and one 409', async () => {
      const results = await Promise.allSettled([1, 2, 3].map(() => createTopic(t.db, { topic: { title: 'Same moment' }, actor: actor(), now: NOW })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]) expect(r.reason).toBeInstanceOf(ConflictError);
    });

    it('updates guarded on version and records what changed', async () => {
      const topic = await createTopic(t.db, { topic: { title: 'Climate strikes' }, actor: actor(), now: NOW });
      const closed = await updateTopic(t.db, { id: topic.id, expectedVersion: 1, changes: { open: false, introduction: 'Statements on the strikes.' }, actor: actor(), now: NOW });
      expect(closed).toMatchObject({ open: false, introduction: 'Statements on the strikes.', version: 2 });
      await expect(updateTopic(t.db, { id: topic.id, expectedVersion: 1, changes: { title: 'Stale' }, actor: actor(), now: NOW })).rejects.toBeInstanceOf(PreconditionFailedError);
      const entry = await t.db.auditEntry.findFirstOrThrow({ where: { targetId: topic.id, action: 'topic.update' } });
      expect(entry.details).toEqual({ changes: { open: { from: true, to: false }, introduction: { from: '', to: 'Statements on the strikes.' } } });
    });

    it('orders its statements from the complete list only', async () => {
      const topic = await createTopic(t.db, { topic: { title: 'Ordering' }, actor: actor(), now: NOW });
      const a = await createTestStatement(t.db, { topicId: topic.id, topicPosition: 1 });
      const b = await createTestStatement(t.db, { topicId: topic.id, topicPosition: 2 });
      const outsider = await createTestStatement(t.db);
      await expect(setTopicOrder(t.db, { topicId: topic.id, statementIds: [b.id], actor: actor(), now: NOW })).rejects.toThrow(/Missing/);
      await expect(setTopicOrder(t.db, { topicId: topic.id, statementIds: [b.id, a.id, outsider.id], actor: actor(), now: NOW })).rejects.toThrow(/Not in this topic/);
      await setTopicOrder(t.db, { topicId: topic.id, statementIds: [b.id, a.id], actor: actor(), now: NOW });
      const after = await findTopicWithStatements(t.db, topic.id);
      expect(after?.statements.map((s) => s.id)).toEqual([b.id, a.id]);
    });

    it('refuses to delete a topic with published statements, deletes one without', async () => {
      const topic = await createTopic(t.db, { topic: { title: 'Has published' }, actor: actor(), now: NOW });
      await createTestStatement(t.db, { topicId: topic.id, status: 'published' });
      await expect(deleteTopic(t.db, { id: topic.id, actor: actor(), now: NOW })).rejects.toThrow(/Close the topic instead/);
      const empty = await createTopic(t.db, { topic: { title: 'Empty' }, actor: actor(), now: NOW });
      const draft = await createTestStatement(t.db, { topicId: empty.id, topicPosition: 1 });
      await deleteTopic(t.db, { id: empty.id, actor: actor(), now: NOW });
      expect(await t.db.statement.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({ topicId: null, topicPosition: null });
    });
  });

  describe('organisations', () => {
    it('sets a new organisation on drafts from its addresses and domains, as an audited edit', async () => {
      const message = await t.db.message.create({ data: { dedupKey: 'org-1', source: 'import', sha256: 'x', size: 1, raw: Buffer.from('x'), fromAddress: 'press@mail.kctu.example.org' } });
      const other = await t.db.message.create({ data: { dedupKey: 'org-2', source: 'import', sha256: 'y', size: 1, raw: Buffer.from('y'), fromAddress: 'someone@elsewhere.example' } });
      const draft = await createTestStatement(t.db, { messageId: message.id, organisationName: 'Press office' });
      const unrelated = await createTestStatement(t.db, { messageId: other.id });
      const published = await createTestStatement(t.db, { messageId: message.id, status: 'published' });
      const { organisation, draftsUpdated } = await createOrganisation(t.db, {
        organisation: { name: 'Korean Confederation of Trade Unions', shortName: 'KCTU', senderDomains: ['@KCTU.example.org'] },
        actor: actor(),
        now: NOW,
      });
      expect(organisation.senderDomains).toEqual(['kctu.example.org']);
      expect(draftsUpdated).toEqual([draft.id]);
      expect(await t.db.statement.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({ organisationId: organisation.id, organisationName: 'Korean Confederation of Trade Unions', organisationShort: 'KCTU', version: 2 });
      expect((await t.db.statement.findUniqueOrThrow({ where: { id: unrelated.id } })).organisationId).toBeNull();
      expect((await t.db.statement.findUniqueOrThrow({ where: { id: published.id } })).organisationId).toBeNull();
      const revision = await t.db.statementRevision.findFirstOrThrow({ where: { statementId: draft.id } });
      expect(revision.changes).toMatchObject({ organisationName: { from: 'Press office', to: 'Korean Confederation of Trade Unions' } });
    });

    it('refuses a duplicate name and a stale version, and applies addresses added later', async () => {
      const { organisation } = await createOrganisation(t.db, { organisation: { name: 'Socialist Alliance' }, actor: actor(), now: NOW });
      await expect(createOrganisation(t.db, { organisation: { name: 'socialist alliance' }, actor: actor(), now: NOW })).rejects.toBeInstanceOf(ConflictError);
      const message = await t.db.message.create({ data: { dedupKey: 'org-3', source: 'import', sha256: 'z', size: 1, raw: Buffer.from('z'), fromAddress: 'info@socialist-alliance.example' } });
      const draft = await createTestStatement(t.db, { messageId: message.id });
      await expect(updateOrganisation(t.db, { id: organisation.id, expectedVersion: 7, changes: { shortName: 'SA' }, actor: actor(), now: NOW })).rejects.toBeInstanceOf(PreconditionFailedError);
      const result = await updateOrganisation(t.db, { id: organisation.id, expectedVersion: 1, changes: { senderAddresses: ['Info@Socialist-Alliance.example'] }, actor: actor(), now: NOW });
      expect(result.draftsUpdated).toEqual([draft.id]);
      await expect(createOrganisation(t.db, { organisation: { name: 'X', website: 'javascript:alert(1)' }, actor: actor(), now: NOW })).rejects.toThrow(/https/);
    });

    it("matches a forwarded statement on its own sender, not on the member who forwarded it", async () => {
      const forwarder = await t.db.message.create({ data: { dedupKey: 'org-4', source: 'import', sha256: 'f', size: 1, raw: Buffer.from('f'), fromAddress: 'member@gmail.example' } });
      const forwarded = await createTestStatement(t.db, { messageId: forwarder.id, senderAddress: 'press@peoples-front.example', forwardedBy: 'A Member <member@gmail.example>' });
      const byMember = await createTestStatement(t.db, { messageId: forwarder.id, senderAddress: 'member@gmail.example' });
      const { draftsUpdated } = await createOrganisation(t.db, {
        organisation: { name: "People's Front", senderDomains: ['peoples-front.example'] },
        actor: actor(),
        now: NOW,
      });
      expect(draftsUpdated).toEqual([forwarded.id]);
      expect((await t.db.statement.findUniqueOrThrow({ where: { id: byMember.id } })).organisationId).toBeNull();
      // And the member's own address names nobody.
      const { draftsUpdated: none } = await createOrganisation(t.db, { organisation: { name: 'Gmail users', senderAddresses: ['someone-else@gmail.example'] }, actor: actor(), now: NOW });
      expect(none).toEqual([]);
    });
  });

  describe('rejection reasons', () => {
    it('keeps a unique list', async () => {
      const reason = await createRejectionReason(t.db, { text: '  Not a statement  ', actor: actor(), now: NOW });
      expect(reason.text).toBe('Not a statement');
      await expect(createRejectionReason(t.db, { text: 'Not a statement', actor: actor(), now: NOW })).rejects.toBeInstanceOf(ConflictError);
      await deleteRejectionReason(t.db, { id: reason.id, actor: actor(), now: NOW });
      expect(await listRejectionReasons(t.db)).toEqual([]);
    });
  });

  describe('editor accounts', () => {
    it('adds an editor, and deactivating one ends their sessions', async () => {
      const added = await addEditor(t.db, { editor: { email: 'New.Editor@example.org', password: 'a-long-password' }, actor: actor(), now: NOW });
      expect(added).toMatchObject({ email: 'new.editor@example.org', role: 'editor', active: true });
      expect(added).not.toHaveProperty('passwordHash');
      const session = await signIn(t.db, { email: added.email, password: 'a-long-password', ip: '127.0.0.1', now: NOW, ttlMs: 3_600_000, limiter: new SignInLimiter() });
      await updateEditorAccount(t.db, { id: added.id, changes: { active: false }, actor: actor(), now: NOW });
      expect(await findActiveSession(t.db, session.token, NOW)).toBeNull();
      expect(await t.db.auditEntry.count({ where: { targetId: added.id, action: 'editor.deactivate' } })).toBe(1);
    });

    it('never leaves the team without an active admin', async () => {
      await expect(updateEditorAccount(t.db, { id: admin.id, changes: { role: 'editor' }, actor: actor(), now: NOW })).rejects.toThrow(/last active administrator/);
      await expect(updateEditorAccount(t.db, { id: admin.id, changes: { active: false }, actor: actor(), now: NOW })).rejects.toThrow(/last active administrator/);
      const second = await addEditor(t.db, { editor: { email: 'second-admin@example.org', password: 'a-long-password', role: 'admin' }, actor: actor(), now: NOW });
      await expect(updateEditorAccount(t.db, { id: admin.id, changes: { role: 'editor' }, actor: actor(), now: NOW })).resolves.toMatchObject({ role: 'editor' });
      await updateEditorAccount(t.db, { id: admin.id, changes: { role: 'admin' }, actor: { id: second.id, email: second.email }, now: NOW });
    });
  });
});
