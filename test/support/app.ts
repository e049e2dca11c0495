// Builds the real app against a test database, and creates editors with API tokens.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.ts';
import type { Db } from '../../src/db/client.ts';
import { createEditor, type EditorRole } from '../../src/editors/editors.ts';
import { createApiToken } from '../../src/editors/tokens.ts';
import { testLogger } from './logger.ts';

export const TEST_PUBLIC_BASE_URL = 'https://statements.example.org';

export async function buildTestApp(db: Db, overrides: Partial<AppDeps> = {}): Promise<FastifyInstance> {
  const app = await buildApp({
    db,
    logger: testLogger,
    config: { publicBaseUrl: TEST_PUBLIC_BASE_URL, sessionTtlMs: 3_600_000 },
    // Tests check the feeds right after a change; production lets a feed lag a change by 1 s.
    publicFeedVersionMaxAgeMs: 0,
    ...overrides,
  });
  await app.ready();
  return app;
}

export interface TestEditor {
  id: string;
  email: string;
  password: string;
  token: string;
  /** Authorization header for app.inject. */
  headers: { authorization: string };
}

export async function createTestEditor(db: Db, role: EditorRole = 'editor'): Promise<TestEditor> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.org`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const editor = await createEditor(db, { email, password, role });
  const token = await createApiToken(db, editor.id);
  return { id: editor.id, email, password, token, headers: { authorization: `Bearer ${token}` } };
}
