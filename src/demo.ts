// `serve --demo`: a first look without a mailbox. Copies the example submissions shipped in
// examples/inbox/ into the drop folder (once: only while the database holds no message yet),
// and creates a demo editor whose password and API token are printed. Not for production.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import { openDatabase } from './db/open-database.ts';
import { createEditor, findEditorByEmail } from './editors/editors.ts';
import { hashPassword } from './editors/passwords.ts';
import { createApiToken } from './editors/tokens.ts';
import type { Logger } from './logger.ts';

export const EXAMPLES_DIR = fileURLToPath(new URL('../examples/inbox/', import.meta.url));
export const DEMO_EDITOR_EMAIL = 'demo@example.org';

export async function prepareDemo(config: Config, logger: Logger): Promise<void> {
  const database = await openDatabase(config, logger);
  try {
    const { db } = database;
    if ((await db.message.count()) === 0) {
      await mkdir(config.inboxDir, { recursive: true });
      const examples = (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.eml'));
      for (const file of examples) await copyFile(path.join(EXAMPLES_DIR, file), path.join(config.inboxDir, file));
    }
    const password = randomBytes(9).toString('base64url');
    const existing = await findEditorByEmail(db, DEMO_EDITOR_EMAIL);
    const editorId = existing
      ? (await db.editor.update({ where: { id: existing.id }, data: { passwordHash: await hashPassword(password) } })).id
      : (await createEditor(db, { email: DEMO_EDITOR_EMAIL, password, role: 'admin', name: 'Demo editor' })).id;
    const token = await createApiToken(db, editorId);
    const base = config.publicBaseUrl;
    process.stdout.write(
      [
        '',
        'statement-desk demo',
        `  editors' pages: ${base}/editor   sign in as ${DEMO_EDITOR_EMAIL} / ${password}`,
        `  API:            curl -H "Authorization: Bearer ${token}" ${base}/api/statements`,
        `  drop more .eml files into ${config.inboxDir}`,
        '',
      ].join('\n'),
    );
  } finally {
    await database.close();
  }
}
