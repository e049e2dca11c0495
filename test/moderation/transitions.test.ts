// The statement state machine against the real database: every state x action pair, stale
// versions, concurrent moves, reasons and audit entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../src/errors.ts';
import { STATEMENT_STATUSES, type StatementStatus } from '../../src/moderation/statement-queries.ts';
import { nextStatus, STATEMENT_ACTIONS, transitionStatement, type StatementAction } from '../../src/moderation/transitions.ts';
import { createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createTestStatement } from './fixtures.ts';

const NOW = new Date('2026-04-01T09:00:00Z');

/** What DESIGN.md allows, written out by hand so the table in transitions.ts is checked. */
const LEGAL: Record<string, StatementStatus> = {
  'draft approve': 'approved',
  'draft publish': 'published',
  'approved publish': 'published',
  'unpublished publish': 'published',
  'published unpublish': 'unpublished',
  'draft reject': 'rejected',
  'approved reject': 'rejected',
  'draft mark_duplicate': 'rejected',
  'approved mark_duplicate': 'rejected',
  'rejected reopen': 'draft',
};

describe('transitionStatement', () => {
  let t: TestDatabase;
  let editor: TestEditor;
  let original: { id: string };
  const actor = () => ({ id: editor.id, email: editor.email });
  beforeAll(async () => {
    t = await createTestDatabase();
    editor = await createTestEditor(t.db);
    original = await createTestStatement(t.db, { title: 'The original statement', status: 'published' });
  });
  afterAll(async () => {
    await t?.drop();
  });

  const pairs = STATEMENT_STATUSES.flatMap((status) => STATEMENT_ACTIONS.map((action) => [status, action] as [StatementStatus, StatementAction]));

  it.each(pairs)('from %s, %s does what the design says', async (status, action) => {
    const statement = await createTestStatement(t.db, { status });
    const expected = LEGAL[`${status} ${action}`];
    expect(nextStatus(status, action)).toBe(expected ?? null);
    const attempt = transitionStatement(t.db, {
      id: statement.id,
      action,
      expectedVersion: 1,
      actor: actor(),
      reason: 'A reason that is good enough',
      duplicateOfId: original.id,
      now: NOW,
    });
    if (expected) {
      await expect(attempt).resolves.toMatchObject({ status: expected, version: 2 });
      const after = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
      expect(after.status).toBe(expected);
      const entries = await t.db.auditEntry.findMany({ where: { targetId: statement.id }, orderBy: { id: 'asc' } });
      expect(entries.map((e) => e.action)).toEqual(
        status === 'draft' && action === 'publish' ? ['statement.approve', 'statement.publish'] : [`statement.${action}`],
      );
      expect(entries[0]!.actorId).toBe(editor.id);
    } else {
      const error = await attempt.catch((e) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.statusCode).toBe(409);
      expect(error.message).toContain(`This statement is ${status}`);
      expect(error.details.currentStatus).toBe(status);
      const after = await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } });
      expect(after).toMatchObject({ status, version: 1 });
      expect(await t.db.auditEntry.count({ where: { targetId: statement.id } })).toBe(0);
    }
  });

  it('refuses a stale version with 412 and changes nothing', async () => {
    const statement = await createTestStatement(t.db, { status: 'draft', version: 3 });
    const error = await transitionStatement(t.db, { id: statement.id, action: 'approve', expectedVersion: 2, actor: actor(), now: NOW }).catch((e) => e);
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(error.message).toMatch(/version 2, it is now version 3/);
    expect(await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).toMatchObject({ status: 'draft', version: 3, approvedAt: null });
  });

  it('lets exactly one of two concurrent approvals win', async () => {
    const statement = await createTestStatement(t.db, { status: 'draft' });
    const results = await Promise.allSettled([
      transitionStatement(t.db, { id: statement.id, action: 'approve', expectedVersion: 1, actor: actor(), now: NOW }),
      transitionStatement(t.db, { id: statement.id, action: 'approve', expectedVersion: 1, actor: actor(), now: NOW }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect([409, 412]).toContain(failure.reason.statusCode);
    expect(await t.db.auditEntry.count({ where: { targetId: statement.id, action: 'statement.approve' } })).toBe(1);
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: statement.id } })).version).toBe(2);
  });

  it('needs a reason to reject or unpublish, and keeps it', async () => {
    const draft = await createTestStatement(t.db, { status: 'draft' });
    await expect(transitionStatement(t.db, { id: draft.id, action: 'reject', actor: actor(), reason: '   ', now: NOW })).rejects.toBeInstanceOf(ValidationError);
    await transitionStatement(t.db, { id: draft.id, action: 'reject', actor: actor(), reason: 'Not a statement: a newsletter', now: NOW });
    expect((await t.db.statement.findUniqueOrThrow({ where: { id: draft.id } })).rejectionReason).toBe('Not a statement: a newsletter');
    const published = await createTestStatement(t.db, { status: 'published', publishedAt: NOW, firstPublishedAt: NOW });
    await expect(transitionStatement(t.db, { id: published.id, action: 'unpublish', actor: actor(), now: NOW })).rejects.toThrow(/needs a reason/);
    await transitionStatement(t.db, { id: published.id, action: 'unpublish', actor: actor(), reason: 'The organisation withdrew it', now: NOW });
    const after = await t.db.statement.findUniqueOrThrow({ where: { id: published.id } });
    expect(after).toMatchObject({ status: 'unpublished', unpublishReason: 'The organisation withdrew it', unpublishedAt: NOW });
    const entry = await t.db.auditEntry.findFirstOrThrow({ where: { targetId: published.id } });
    expect(entry.details).toMatchObject({ from: 'published', to: 'unpublished', reason: 'The organisation withdrew it' });
  });

  it('publishing sets the publication dates; republishing keeps the first one', async () => {
    const draft = await createTestStatement(t.db, { status: 'draft' });
    await transitionStatement(t.db, { id: draft.id, action: 'publish', actor: actor(), now: NOW });
    expect(await t.db.statement.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({ approvedAt: NOW, publishedAt: NOW, firstPublishedAt: NOW });
    const later = new Date(NOW.getTime() + 86_400_000);
    await transitionStatement(t.db, { id: draft.id, action: 'unpublish', actor: actor(), reason: 'Wrong date', now: later });
    await transitionStatement(t.db, { id: draft.id, action: 'publish', actor: actor(), now: later });
    expect(await t.db.statement.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({ status: 'published', publishedAt: later, firstPublishedAt: NOW, unpublishReason: null });
  });

  it('marks a duplicate as rejected with a link and a reason naming the original; reopen clears both', async () => {
    const copy = await createTestStatement(t.db, { status: 'draft' });
    await expect(transitionStatement(t.db, { id: copy.id, action: 'mark_duplicate', actor: actor(), now: NOW })).rejects.toThrow(/duplicates/);
    await expect(transitionStatement(t.db, { id: copy.id, action: 'mark_duplicate', duplicateOfId: copy.id, actor: actor(), now: NOW })).rejects.toThrow(/itself/);
    await transitionStatement(t.db, { id: copy.id, action: 'mark_duplicate', duplicateOfId: original.id, actor: actor(), now: NOW });
    expect(await t.db.statement.findUniqueOrThrow({ where: { id: copy.id } })).toMatchObject({
      status: 'rejected',
      duplicateOfId: original.id,
      rejectionReason: 'Duplicate of “The original statement”',
    });
    await transitionStatement(t.db, { id: copy.id, action: 'reopen', actor: actor(), now: NOW });
    expect(await t.db.statement.findUniqueOrThrow({ where: { id: copy.id } })).toMatchObject({ status: 'draft', duplicateOfId: null, rejectionReason: null });
  });

  it('says 404 for an unknown statement', async () => {
    await expect(transitionStatement(t.db, { id: '00000000-0000-4000-8000-000000000000', action: 'approve', actor: actor(), now: NOW })).rejects.toBeInstanceOf(NotFoundError);
  });
});
