// The hand-written INSERT and UPDATE statements (node-postgres on the ingest hot path, the
// outbox, erasure, the audit writer, a few raw Prisma writes) name columns in strings no compiler
// reads. This reads every one in src/ and checks it against prisma/schema.prisma (through
// Prisma's own schema parser, @map and @@map included): a column the table does not have, or an
// INSERT that leaves out a column the database requires and cannot fill itself, fails here
// instead of on the first email after a migration.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanSource, sourceFiles } from './support/source-scan.ts';

const require = createRequire(import.meta.url);
const schemaWasm = require('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string };

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  isRequired: boolean;
  hasDefaultValue: boolean;
  default?: { name?: string } | unknown;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface Table {
  columns: Set<string>;
  /** Columns an INSERT must name: NOT NULL with no default PostgreSQL applies. */
  required: Set<string>;
}

/** Defaults Prisma computes in the client: the database column has none, so raw SQL must give a value. */
const CLIENT_SIDE_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);
/** Tables written by raw SQL that are not models (the migrations runner's own). */
const NOT_MODELLED = new Set(['_prisma_migrations']);

function tablesOf(models: DmmfModel[]): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const model of models) {
    const fields = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
    const databaseDefault = (f: DmmfField) => {
      if (!f.hasDefaultValue) return false;
      const name = (f.default as { name?: string } | undefined)?.name;
      return !(name && CLIENT_SIDE_DEFAULTS.has(name));
    };
    tables.set(model.dbName ?? model.name, {
      columns: new Set(fields.map((f) => f.dbName ?? f.name)),
      required: new Set(fields.filter((f) => f.isRequired && !databaseDefault(f)).map((f) => f.dbName ?? f.name)),
    });
  }
  return tables;
}

interface Write {
  file: string;
  kind: 'insert' | 'update';
  table: string;
  columns: string[];
}

/** Splits at commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const unquote = (name: string) => name.trim().replace(/^"|"$/g, '');

/** The columns a SET list assigns: `a = $1, b = coalesce($2, b), "c" = now()`. */
function assignedColumns(setList: string): string[] {
  return splitTopLevel(setList).map((part) => {
    const match = /^\s*("?[a-z_][a-z0-9_]*"?)\s*=/i.exec(part);
    if (!match) throw new Error(`cannot read the assignment "${part.trim()}"`);
    return unquote(match[1]!);
  });
}

/**
 * The SET list starting at `from`: up to WHERE, RETURNING, FROM or ON CONFLICT at its own depth,
 * the parenthesis that closes a CTE around it, or the end of the text.
 */
function setListAt(sql: string, from: number): string {
  let depth = 0;
  for (let i = from; i < sql.length; i++) {
    const c = sql[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return sql.slice(from, i);
    else if (depth === 0 && /\s/.test(c!) && /^\s+(WHERE|RETURNING|FROM|ON\s+CONFLICT)\b/i.test(sql.slice(i))) return sql.slice(from, i);
  }
  return sql.slice(from);
}

/** The INSERTs and UPDATEs in one SQL text (a string or template literal of the source). */
function writesIn(sql: string, file: string): Write[] {
  const writes: Write[] = [];
  for (const m of sql.matchAll(/\bINSERT\s+INTO\s+("?\w+"?)\s*(\(([^)]*)\))?/gi)) {
    const table = unquote(m[1]!);
    if (m[3] === undefined) throw new Error(`${file}: INSERT INTO ${table} names no columns; name them, so they can be checked`);
    writes.push({ file, kind: 'insert', table, columns: m[3].split(',').map(unquote) });
    // ON CONFLICT ... DO UPDATE SET of this INSERT (before any next statement in the text).
    const rest = sql.slice(m.index + m[0].length);
    const upsert = /\bDO\s+UPDATE\s+SET\s+/i.exec(rest);
    const next = rest.search(/\b(INSERT\s+INTO|UPDATE\s+"?\w+"?(\s+\w+)?\s+SET)\b/i);
    if (upsert && (next < 0 || upsert.index < next)) {
      writes.push({ file, kind: 'update', table, columns: assignedColumns(setListAt(rest, upsert.index + upsert[0].length)) });
    }
  }
  for (const m of sql.matchAll(/(?<!\bDO\s+)\bUPDATE\s+("?\w+"?)(?:\s+(?!SET\b)\w+)?\s+SET\s+/gi)) {
    writes.push({ file, kind: 'update', table: unquote(m[1]!), columns: assignedColumns(setListAt(sql, m.index + m[0].length)) });
  }
  return writes;
}

/** The literals of a source that contain SQL writes. */
function sqlLiterals(source: string): string[] {
  return scanSource(source).literals.filter((l) => /\b(INSERT\s+INTO|UPDATE\s+"?\w+"?(\s+\w+)?\s+SET)\b/i.test(l));
}

/** What is wrong with one write, in words. */
function problemsOf(write: Write, tables: Map<string, Table>): string[] {
  if (NOT_MODELLED.has(write.table)) return [];
  const table = tables.get(write.table);
  const where = `${write.file}: ${write.kind.toUpperCase()} ${write.table}`;
  if (!table) return [`${where}: no model maps to the table "${write.table}" in prisma/schema.prisma`];
  const problems = write.columns.filter((c) => !table.columns.has(c)).map((c) => `${where}: the table has no column "${c}"`);
  if (write.kind === 'insert') {
    for (const column of table.required) {
      if (!write.columns.includes(column)) problems.push(`${where}: leaves out "${column}", which is NOT NULL with no database default`);
    }
  }
  return problems;
}

describe('raw INSERT and UPDATE column lists', () => {
  const root = new URL('..', import.meta.url).pathname;
  let tables: Map<string, Table>;
  let writes: Write[];

  beforeAll(async () => {
    const schema = await readFile(path.join(root, 'prisma/schema.prisma'), 'utf8');
    tables = tablesOf((JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: schema }))) as { datamodel: { models: DmmfModel[] } }).datamodel.models);
    writes = [];
    for (const file of await sourceFiles(path.join(root, 'src'))) {
      const relative = path.relative(root, file);
      for (const literal of sqlLiterals(await readFile(file, 'utf8'))) writes.push(...writesIn(literal, relative));
    }
  });

  it('finds the writes of the ingest hot path, the outbox, erasure and the audit log (the scan reads them)', () => {
    const seen = new Set(writes.map((w) => `${w.file} ${w.kind} ${w.table}`));
    for (const expected of [
      'src/ingest/store-raw.ts insert messages',
      'src/ingest/store-raw.ts insert message_locations',
      'src/ingest/store-raw.ts insert mailbox_checkpoints',
      'src/ingest/store-raw.ts update mailbox_checkpoints',
      'src/ingest/write-outcome.ts insert statements',
      'src/ingest/write-outcome.ts insert attachments',
      'src/ingest/write-outcome.ts update messages',
      'src/ingest/write-outcome.ts insert statement_corrections',
      'src/answers/acknowledge.ts insert outbox',
      'src/answers/outbox-store.ts update outbox',
      'src/retention/erase.ts update messages',
      'src/retention/erase.ts update statements',
      'src/audit/audit.ts insert audit_entries',
    ]) {
      expect(seen, expected).toContain(expected);
    }
  });

  it('names only columns the tables have, and every column an INSERT must give', () => {
    expect(writes.flatMap((w) => problemsOf(w, tables))).toEqual([]);
  });

  it('catches a misspelt column, a column the schema maps to another name, and a required column left out', () => {
    const bad = [
      ...writesIn(`INSERT INTO messages (id, dedup_key, source, sha256, size, raw, recieved_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, 'example.ts'),
      ...writesIn(`UPDATE statements SET bodyText = $2 WHERE id = $1`, 'example.ts'),
      ...writesIn(`INSERT INTO audit_entries (actor_label, details) VALUES ($1, $2)`, 'example.ts'),
      ...writesIn(`INSERT INTO mailbox_checkpoints (mailbox, uid_validity, last_uid, updated_at) VALUES ($1, $2, $3, now())
                   ON CONFLICT (mailbox) DO UPDATE SET uid_validity = EXCLUDED.uid_validity, lastUid = EXCLUDED.last_uid`, 'example.ts'),
    ];
    expect(bad.flatMap((w) => problemsOf(w, tables))).toEqual([
      'example.ts: INSERT messages: the table has no column "recieved_at"',
      'example.ts: UPDATE statements: the table has no column "bodyText"',
      'example.ts: INSERT audit_entries: leaves out "action", which is NOT NULL with no database default',
      'example.ts: UPDATE mailbox_checkpoints: the table has no column "lastUid"',
    ]);
  });
});
