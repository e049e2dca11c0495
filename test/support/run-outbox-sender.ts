// Runs the outbox sender loop from the environment (DATABASE_URL, SMTP_*, MAIL_FROM, as in
// .env.example) the way main.ts does, so a test can SIGKILL it mid-send and start another.
// OUTBOX_LEASE_MS (tests only) shortens the lease so a dead process's mail is taken over quickly.
// Usage: DATABASE_URL=... SMTP_HOST=... node --import tsx test/support/run-outbox-sender.ts
import { OutboxSender } from '../../src/answers/outbox-sender.ts';
import { loadConfig } from '../../src/config.ts';
import { closeDb, createDb } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';

const config = loadConfig(process.env);
if (!config.smtp || !config.databaseUrl) {
  console.error('run-outbox-sender: set DATABASE_URL, SMTP_HOST and MAIL_FROM');
  process.exit(2);
}
const db = createDb(config.databaseUrl, { maxConnections: 2 });
const sender = new OutboxSender({
  db,
  logger: createLogger(config.logLevel),
  smtp: config.smtp,
  publicBaseUrl: config.publicBaseUrl,
  notifyOnPublish: config.notifyOnPublish,
  pollMs: 100,
  leaseMs: Number(process.env.OUTBOX_LEASE_MS ?? 60_000),
  backoff: { baseMs: 100, maxMs: 500 },
});
sender.start();
process.once('SIGTERM', () => {
  void sender.stop().then(async () => {
    await closeDb(db);
    process.exit(0);
  });
});
