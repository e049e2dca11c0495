// Statements made directly in the database for moderation tests (ingest has its own tests).
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import type { Prisma } from '../../src/generated/prisma/client.ts';
import { statementSlug } from '../../src/publishing/slug.ts';

export async function createTestStatement(db: Db, overrides: Partial<Prisma.StatementUncheckedCreateInput> = {}) {
  const id = randomUUID();
  const title = overrides.title ?? `Statement ${id.slice(0, 8)}`;
  return db.statement.create({
    data: {
      id,
      slug: statementSlug(title, id),
      title,
      bodyText: 'We condemn the war and stand with the workers.',
      bodyHtml: '<p>We condemn the war and stand with the workers.</p>',
      ...overrides,
    },
  });
}
