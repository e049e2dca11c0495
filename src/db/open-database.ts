// Opens the database the configuration names, bringing it up to date first. With DATABASE_URL
// unset, that is the embedded PostgreSQL under DATA_DIR: started here, or, when another
// statement-desk process (say `serve`) already runs it, reached through the port recorded in
// its postmaster.pid, so that `statement-desk editor add` works beside a running service.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { closeDb, createDb, type Db } from './client.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { migrateDatabase } from './migrate.ts';

export interface OpenDatabase {
  db: Db;
  url: string;
  close(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The URL of an embedded PostgreSQL already running on this DATA_DIR, if there is one. */
async function findRunningEmbedded(dataDir: string): Promise<string | undefined> {
  const root = path.join(dataDir, 'postgres');
  const pidFile = path.join(root, 'data', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  const password = (await readFile(path.join(root, 'password'), 'utf8')).trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/statement_desk`;
}

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  logger: Logger,
  options: { migrate?: boolean } = {},
): Promise<OpenDatabase> {
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    url = await findRunningEmbedded(config.dataDir);
    if (url) {
      logger.debug('using the embedded PostgreSQL of the running service');
    } else {
      const embedded = await startEmbeddedPostgres(config.dataDir, logger);
      url = embedded.url;
      stopEmbedded = embedded.stop;
    }
  }
  try {
    if (options.migrate !== false) {
      const applied = await migrateDatabase(url);
      if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    }
  } catch (error) {
    await stopEmbedded?.();
    throw error;
  }
  const db = createDb(url);
  return {
    db,
    url,
    async close() {
      await closeDb(db);
      await stopEmbedded?.();
    },
  };
}
