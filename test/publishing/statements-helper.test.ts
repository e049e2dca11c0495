// The test helper creates statements in every state with the timestamps that state implies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatement, createTopic } from '../support/statements.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

describe('createStatement test helper', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('creates statements in every state, with a message and attachments when asked', async () => {
    const topic = await createTopic(t.db, { title: 'Ukraine' });
    for (const status of ['draft', 'approved', 'published', 'unpublished', 'rejected'] as const) {
      const s = await createStatement(t.db, {
        status,
        topicId: topic.id,
        message: { fromAddress: 'x@example.org', attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4') }] },
      });
      expect(s.status).toBe(status);
      expect(s.publishedAt !== null).toBe(status === 'published' || status === 'unpublished');
      expect(s.unpublishedAt !== null).toBe(status === 'unpublished');
      expect(s.message?.attachments).toHaveLength(1);
    }
  });
});
