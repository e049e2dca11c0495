// Runs one IMAP poller from the environment (DATABASE_URL and IMAP_*, as in .env.example), the
// way main.ts does, so a test can kill it with SIGKILL mid-backlog and start it again.
// Usage: DATABASE_URL=... IMAP_HOST=... node --import tsx test/support/run-imap-source.ts
import { loadConfig } from '../../src/config.ts';
import { closeDb, createDb } from '../../src/db/client.ts';
import { ImapSource } from '../../src/ingest/sources/imap-source.ts';
import { createLogger } from '../../src/logger.ts';

const config = loadConfig(process.env);
if (!config.imap || !config.databaseUrl) {
  console.error('run-imap-source: set DATABASE_URL and IMAP_HOST, IMAP_USER and IMAP_PASSWORD or IMAP_ACCESS_TOKEN');
  process.exit(2);
}
const db = createDb(config.databaseUrl, { maxConnections: 3 });
const source = new ImapSource({
  db,
  logger: createLogger(config.logLevel),
  config: config.imap,
  maxMessageBytes: config.maxMessageBytes,
  reconnect: { baseMs: 200, maxMs: 1000 },
});
await source.start();
process.once('SIGTERM', () => {
  void source.stop().then(async () => {
    await closeDb(db);
    process.exit(0);
  });
});
