// `serve --demo`: a first look without a mailbox. Runs once the HTTP server listens (so a second
// demo, which cannot listen, changes nothing): copies the example submissions shipped in
// examples/inbox/ into the drop folder (only while the database holds no message yet), creates
// a topic for them, and a demo editor whose new password and API token are printed (the demo
// editor's older tokens are revoked, so one token is valid at a time). Not for production.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { activateWithPassword, createEditor, findEditorByEmail } from './editors/editors.ts';
import { replaceApiTokens } from './editors/tokens.ts';
import { hasMessages } from './ingest/message-queries.ts';
import { createTopic, findTopicIdBySlug } from './moderation/topics.ts';

export const EXAMPLES_DIR = fileURLToPath(new URL('../examples/inbox/', import.meta.url));
export const DEMO_EDITOR_EMAIL = 'demo@example.org';
export const DEMO_TOPIC = {
  slug: 'against-the-war',
  title: 'Against the war',
  introduction: 'Statements from unions, parties and movements that oppose the war and the rising war budgets.',
  open: true,
};

export interface DemoAccess {
  password: string;
  token: string;
}

export async function prepareDemo(config: Pick<Config, 'inboxDir'>, db: Db, now = new Date()): Promise<DemoAccess> {
  if (!(await hasMessages(db))) {
    await mkdir(config.inboxDir, { recursive: true });
    const examples = (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.eml'));
    for (const file of examples) await copyFile(path.join(EXAMPLES_DIR, file), path.join(config.inboxDir, file));
  }
  if (!(await findTopicIdBySlug(db, DEMO_TOPIC.slug))) {
    await createTopic(db, { topic: DEMO_TOPIC, actor: 'cli', now });
  }
  const password = randomBytes(9).toString('base64url');
  const existing = await findEditorByEmail(db, DEMO_EDITOR_EMAIL);
  const editorId = existing
    ? (await activateWithPassword(db, existing.id, password)).id
    : (await createEditor(db, { email: DEMO_EDITOR_EMAIL, password, role: 'admin', name: 'Demo editor' })).id;
  const token = await replaceApiTokens(db, editorId, now);
  return { password, token };
}

export function demoBanner(config: Pick<Config, 'publicBaseUrl' | 'inboxDir'>, access: DemoAccess): string {
  const base = config.publicBaseUrl;
  return [
    '',
    'statement-desk demo',
    `  editors' pages: ${base}/editor   sign in as ${DEMO_EDITOR_EMAIL} / ${access.password}`,
    `  API:            curl -H "Authorization: Bearer ${access.token}" ${base}/api/statements`,
    `  public pages:   ${base}/   feeds: ${base}/feed.json ${base}/feed.atom`,
    `  drop more .eml files into ${config.inboxDir}`,
    '',
    '',
  ].join('\n');
}
