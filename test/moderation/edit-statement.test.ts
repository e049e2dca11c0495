// Editing statements: revisions with who/when/what, sanitising, versions, topics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreconditionFailedError, ValidationError } from '../../src/errors.ts';
import { editStatement, findStatementRevisions } from '../../src/moderation/edit-statement.ts';
import { createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createTestStatement } from './fixtures.ts';

const NOW = new Date('2026-05-01T08:00:00Z');

describe('editStatement', () => {
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

  it('stores a revision naming who changed which field from what to what, and bumps the version', async () => {
    const statement = await createTestStatement(t.db, { title: 'Solidarty with Ukraine', language: 'en' });
    const result = await editStatement(t.db, {
      id: statement.id,
      expectedVersion: 1,
      changes: { title: 'Solidarity with Ukraine', statementDate: '2022-03-01', language: 'en', signatories: [{ name: 'Ana Silva', role: 'Secretary' }] },
      actor: actor(),
      now: NOW,
    });
    expect(result).toEqual({ id: statement.id, version: 2, changed: ['title', 'statementDate', 'signatories'] });
    const after = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
    expect(after).toMatchObject({ title: 'Solidarity with Ukraine', version: 2, contentUpdatedAt: NOW });
    expect(after.slug).toMatch(/^solidarity-with-ukraine-/);
    expect(after.statementDate?.toISOString()).toBe('2022-03-01T00:00:00.000Z');
    const [revision] = await findStatementRevisions(t.db, statement.id);
    expect(revision).toMatchObject({ version: 2, editorId: editor.id, createdAt: NOW });
    expect(revision!.editor?.email).toBe(editor.email);
    expect(revision!.changes).toEqual({
      title: { from: 'Solidarty with Ukraine', to: 'Solidarity with Ukraine' },
      statementDate: { from: null, to: '2022-03-01' },
      signatories: { from: [], to: [{ name: 'Ana Silva', role: 'Secretary' }] },
    });
    const audit = await t.db.auditEntry.findFirstOrThrow({ where: { targetId: statement.id, action: 'statement.edit' } });
    expect(audit.details).toEqual({ version: 2, fields: ['title', 'statementDate', 'signatories'] });
  });

  it('sanitises an HTML body before storing it and derives the text', async () => {
    const statement = await createTestStatement(t.db);
    await editStatement(t.db, {
      id: statement.id,
      expectedVersion: 1,
      changes: { bodyHtml: '<p onclick="steal()">We stand <b>together</b>.</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>' },
      actor: actor(),
      now: NOW,
    });
    const after = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
    expect(after.bodyHtml).not.toMatch(/script|onclick|javascript:/i);
    expect(after.bodyHtml).toContain('<b>together</b>');
    expect(after.bodyText).toContain('We stand together.');
  });

  it('turns a plain-text body into escaped paragraphs', async () => {
    const statement = await createTestStatement(t.db);
    await editStatement(t.db, { id: statement.id, expectedVersion: 1, changes: { bodyText: 'First <para>.\n\nSecond.' }, actor: actor(), now: NOW });
    const after = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
    expect(after.bodyHtml).toBe('<p>First &lt;para&gt;.</p>\n<p>Second.</p>');
  });

  it('refuses a stale version with 412 and writes nothing', async () => {
    const statement = await createTestStatement(t.db, { title: 'Before', version: 4 });
    const error = await editStatement(t.db, { id: statement.id, expectedVersion: 3, changes: { title: 'After' }, actor: actor(), now: NOW }).catch((e) => e);
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).toMatchObject({ title: 'Before', version: 4 });
    expect(await t.db.statementRevision.count({ where: { statementId: statement.id } })).toBe(0);
  });

  it('makes no new version when nothing changed', async () => {
    const statement = await createTestStatement(t.db, { title: 'Same' });
    const result = await editStatement(t.db, { id: statement.id, expectedVersion: 1, changes: { title: 'Same' }, actor: actor(), now: NOW });
    expect(result).toEqual({ id: statement.id, version: 1, changed: [] });
  });

  it('keeps the slug of a statement that was published once', async () => {
    const statement = await createTestStatement(t.db, { title: 'Old title', status: 'published', firstPublishedAt: NOW, publishedAt: NOW });
    await editStatement(t.db, { id: statement.id, expectedVersion: 1, changes: { title: 'New title' }, actor: actor(), now: NOW });
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).slug).toBe(statement.slug);
  });

  it('adds a statement at the end of a topic and copies an organisation from the registry', async () => {
    const topic = await t.db.topic.create({ data: { slug: 'edit-topic', title: 'Edit topic' } });
    const organisation = await t.db.organisation.create({ data: { name: 'Workers Front', shortName: 'WF' } });
    await createTestStatement(t.db, { topicId: topic.id, topicPosition: 7 });
    const statement = await createTestStatement(t.db);
    await editStatement(t.db, { id: statement.id, expectedVersion: 1, changes: { topicId: topic.id, organisationId: organisation.id }, actor: actor(), now: NOW });
    const after = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
    expect(after).toMatchObject({ topicId: topic.id, topicPosition: 8, organisationId: organisation.id, organisationName: 'Workers Front', organisationShort: 'WF' });
  });

  it('explains invalid input field by field', async () => {
    const statement = await createTestStatement(t.db);
    const error = await editStatement(t.db, { id: statement.id, expectedVersion: 1, changes: { title: ' ', statementDate: '1 March' }, actor: actor(), now: NOW }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/title: the title cannot be empty/);
    expect(error.message).toMatch(/statementDate: use the form YYYY-MM-DD/);
    await expect(editStatement(t.db, { id: statement.id, expectedVersion: 1, changes: { topicId: '00000000-0000-4000-8000-000000000000' }, actor: actor(), now: NOW })).rejects.toThrow(/no topic/);
    await expect(editStatement(t.db, { id: statement.id, expectedVersion: 1, changes: { bodyHtml: '<p>a</p>', bodyText: 'a' }, actor: actor(), now: NOW })).rejects.toThrow(/not both/);
  });
});
