// The command-line entry point: `statement-desk <command>` (also `npm run cli -- <command>`).
// Exit codes: 0 success, 1 failure, 2 usage error. Errors are one sentence on stderr that says
// what to do; details go to the log at debug level.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { EditorRole } from './editors/editors.ts';
import type { Logger } from './logger.ts';

// Each command imports what it needs when it runs, so `editor token` does not load the HTTP
// server, the parser and the PDF reader before printing one line, and `--help` loads nothing.

const USAGE = `Usage: statement-desk <command>

Commands:
  serve [--demo]                          run the service (default). --demo copies the example
                                          emails into the drop folder and prints a demo editor's
                                          sign-in and API token
  migrate                                 bring the database up to date and exit
  editor add <email> [--role editor|admin] [--name NAME]
                                          create an editor; the password is read from standard
                                          input when that is not a terminal, else asked for
  editor password <email>                 set a new password (read like editor add); the
                                          editor's sessions end
  editor token <email>                    print a new API token (alone on the last line)
  import <path> [--format auto|mboxrd|mboxo]
                                          ingest an .eml file, an mbox file (a Gmail Takeout
                                          export is one) or a folder of them, with progress on
                                          standard error; run it again after a stop to go on
                                          (what was stored is skipped). --format: the mbox
                                          dialect, told apart per file unless given
  erase --sender <address> [--include-published]
                                          a sender's erasure request: erases their emails and
                                          deletes their unpublished statements; published ones
                                          stay unless --include-published (then withdrawn and
                                          emptied). Prints what it did

Configuration comes from the environment and .env: see .env.example.`;

class UsageError extends Error {}

async function readPassword(prompt: string): Promise<string> {
  const { isInteractive } = await import('./config.ts');
  if (!isInteractive()) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    // The first line is the password; a trailing newline from `echo` is not part of it.
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
  // Echo nothing while the password is typed.
  output._writeToOutput = (s: string) => {
    if (s.startsWith(prompt)) output.output.write(prompt);
  };
  try {
    return await new Promise<string>((resolve) => rl.question(prompt, resolve));
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

async function withDatabase<T>(config: Config, logger: Logger, fn: (db: Db) => Promise<T>): Promise<T> {
  const { openDatabase } = await import('./db/open-database.ts');
  const database = await openDatabase(config, logger);
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

async function findActiveEditor(db: Db, email: string) {
  const { findEditorByEmail } = await import('./editors/editors.ts');
  const editor = await findEditorByEmail(db, email);
  if (!editor || !editor.active) {
    const { DomainError } = await import('./errors.ts');
    throw new DomainError('not_found', 404, `No active editor with the address ${email}. Create one with: statement-desk editor add ${email}`);
  }
  return editor;
}

async function editorCommand(args: string[], config: Config, logger: Logger): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { role: { type: 'string', default: 'editor' }, name: { type: 'string' } },
  });
  const [action, email] = positionals;
  if (!email || (action !== 'add' && action !== 'token' && action !== 'password')) {
    throw new UsageError('editor needs "add <email>", "password <email>" or "token <email>".');
  }
  if (action === 'add') {
    if (values.role !== 'editor' && values.role !== 'admin') throw new UsageError('--role must be editor or admin.');
    const password = await readPassword(`Password for ${email}: `);
    const { addEditor } = await import('./moderation/editor-accounts.ts');
    const editor = await withDatabase(config, logger, (db) =>
      addEditor(db, { editor: { email, password, role: values.role as EditorRole, name: values.name ?? null }, actor: 'cli', now: new Date() }),
    );
    process.stdout.write(`Created ${editor.role} ${editor.email}.\n`);
    return;
  }
  if (action === 'password') {
    const password = await readPassword(`New password for ${email}: `);
    const { setEditorPassword } = await import('./moderation/editor-accounts.ts');
    await withDatabase(config, logger, async (db) => {
      const editor = await findActiveEditor(db, email);
      await setEditorPassword(db, { id: editor.id, password, actor: 'cli', now: new Date() });
    });
    process.stdout.write(`Set a new password for ${email}; their sessions have ended and their API tokens are revoked.\n`);
    return;
  }
  const { issueApiToken } = await import('./editors/tokens.ts');
  const token = await withDatabase(config, logger, async (db) => issueApiToken(db, { editor: await findActiveEditor(db, email), actor: 'cli' }));
  process.stdout.write(`API token for ${email} (shown once; send it as "Authorization: Bearer <token>"):\n${token}\n`);
}

async function importCommand(args: string[], config: Config, logger: Logger): Promise<void> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'auto' } } });
  if (positionals.length !== 1) throw new UsageError('import needs one path: a file or a folder.');
  const format = values.format;
  if (format !== 'auto' && format !== 'mboxrd' && format !== 'mboxo') throw new UsageError('--format must be auto, mboxrd or mboxo.');
  const { importPath } = await import('./ingest/import-files.ts');
  const { formatDuration, progressPrinter } = await import('./ingest/import-progress.ts');
  const progress = progressPrinter(process.stderr);
  const started = Date.now();
  const summary = await withDatabase(config, logger, (db) =>
    importPath({ db, logger }, positionals[0]!, {
      format,
      onProgress: (p) => progress.update(p),
      onMboxFormat: (file, chosen, reason) => {
        progress.done();
        process.stderr.write(`Reading ${file} as ${chosen}: ${reason}.\n`);
      },
    }),
  ).finally(() => progress.done());
  const tookMs = Date.now() - started;
  process.stdout.write(
    `Imported ${summary.messages} message(s) from ${summary.files} file(s) in ${formatDuration(tookMs)} ` +
      `(${Math.round((summary.messages * 1000) / Math.max(1, tookMs))}/s): ${summary.drafted} drafted, ` +
      `${summary.ignored} ignored, ${summary.failed} failed, ${summary.alreadyStored} already stored.\n`,
  );
}

export async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { ConfigError, loadConfig } = await import('./config.ts');
  const { createLogger } = await import('./logger.ts');
  const { DomainError } = await import('./errors.ts');
  const { MigrationError } = await import('./db/migrate.ts');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // LOG_LEVEL, when set, holds for every command; unset, commands other than serve log little,
  // so their own output stays readable.
  const logger = createLogger(command === 'serve' || config.logLevelGiven ? config.logLevel : 'warn');
  try {
    switch (command) {
      case 'serve': {
        const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean', default: false } } });
        const { runService } = await import('./main.ts');
        if (values.demo) {
          // The demo changes the database only once the server listens: a second demo started
          // beside a running one fails on the port before resetting anything.
          const { prepareDemo, demoBanner } = await import('./demo.ts');
          await runService(config, logger, {
            onListening: async (db) => {
              process.stdout.write(demoBanner(config, await prepareDemo(config, db)));
            },
          });
        } else {
          await runService(config, logger);
        }
        return -1; // keeps running until a signal
      }
      case 'migrate': {
        if (rest.length) throw new UsageError('migrate takes no arguments.');
        await withDatabase(config, logger, async () => undefined);
        process.stdout.write('The database is up to date.\n');
        return 0;
      }
      case 'editor':
        await editorCommand(rest, config, logger);
        return 0;
      case 'import':
        await importCommand(rest, config, logger);
        return 0;
      case 'erase': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { sender: { type: 'string' }, 'include-published': { type: 'boolean', default: false } },
        });
        if (!values.sender || positionals.length) throw new UsageError('erase needs --sender <address>.');
        const { eraseSender } = await import('./retention/erase.ts');
        const sender = values.sender;
        const done = await withDatabase(config, logger, (db) =>
          eraseSender(db, { address: sender, includePublished: values['include-published'] ?? false, actor: 'cli', now: new Date() }),
        );
        process.stdout.write(
          `Erased ${done.messages} email(s) from ${sender.trim().toLowerCase()} and ${done.attachments} attachment(s); ` +
            `deleted ${done.statementsDeleted} unpublished statement(s); withdrew and emptied ${done.statementsWithdrawn} published statement(s).\n`,
        );
        if (done.publishedKept) {
          process.stdout.write(
            `Kept ${done.publishedKept} published statement(s) and their emails; run again with --include-published to withdraw and erase them too.\n`,
          );
        }
        return 0;
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof DomainError || error instanceof MigrationError || (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`${(error as Error).message}\n`);
      return 1;
    }
    logger.error({ err: error }, 'command failed');
    process.stderr.write(`${command} failed: ${(error as Error).message}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exit(code);
