// Fails when prisma/schema.prisma and the database our migrations build disagree: a model, a
// column, its type or nullability, an enum or an index added on one side only. We write the
// migration SQL by hand (the Prisma CLI cannot run `migrate` on our machines), so this is the
// check that `prisma migrate diff` would otherwise be. Prisma's own schema engine (wasm) reads
// schema.prisma; the database is read from the catalogue of a freshly migrated test database.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/db.ts';

const require = createRequire(import.meta.url);
const schemaWasm = require('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string };

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
    indexes: { model: string; type: 'id' | 'unique' | 'normal' | 'fulltext'; fields: { name: string }[] }[];
  };
}

/** The PostgreSQL type (pg_type.typname) Prisma creates for a field. */
function expectedType(field: DmmfField): string {
  const native = field.nativeType?.[0];
  if (field.kind === 'enum') return field.type;
  const byNative: Record<string, string> = { Uuid: 'uuid', Timestamptz: 'timestamptz', Timestamp: 'timestamp', Date: 'date', Text: 'text', VarChar: 'varchar' };
  if (native && byNative[native]) return byNative[native];
  const byType: Record<string, string> = {
    String: 'text', Int: 'int4', BigInt: 'int8', Boolean: 'bool', DateTime: 'timestamp', Json: 'jsonb', Bytes: 'bytea', Float: 'float8', Decimal: 'numeric',
  };
  return byType[field.type] ?? `unknown ${field.type}`;
}

describe('schema.prisma and the migrations agree', () => {
  let t: TestDatabase;
  let client: pg.Client;
  let dmmf: Dmmf;
  beforeAll(async () => {
    t = await createTestDatabase();
    client = new pg.Client({ connectionString: t.url });
    await client.connect();
    const schema = await readFile(new URL('../prisma/schema.prisma', import.meta.url), 'utf8');
    dmmf = JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: schema }))) as Dmmf;
  });
  afterAll(async () => {
    await client?.end();
    await t?.drop();
  });

  const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
  const columnOf = (field: DmmfField) => field.dbName ?? field.name;

  /**
   * Fields typed Unsupported("tsvector") and the like, which the DMMF leaves out, read from the
   * schema text: model name -> fields (name, PostgreSQL type, column, nullability).
   */
  const unsupportedFields = async () => {
    const schema = await readFile(new URL('../prisma/schema.prisma', import.meta.url), 'utf8');
    const byModel = new Map<string, DmmfField[]>();
    for (const [, model, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
      for (const [, name, type, optional, column] of body!.matchAll(/^\s+(\w+)\s+Unsupported\("(\w+)"\)(\?)?[^\n]*?@map\("(\w+)"\)/gm)) {
        const fields = byModel.get(model!) ?? [];
        fields.push({ name: name!, dbName: column!, kind: 'unsupported', type: type!, isList: false, isRequired: !optional });
        byModel.set(model!, fields);
      }
    }
    return byModel;
  };

  it('has exactly the tables and columns the schema declares, with their types and nullability', async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string; typname: string; not_null: boolean }>(`
      SELECT c.relname AS table_name, a.attname AS column_name, t.typname, a.attnotnull AS not_null
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'r'
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_type t ON t.oid = a.atttypid
       WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`);
    const actual = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, `${r.typname}${r.not_null ? ' not null' : ''}`]));
    const expected = new Map<string, string>();
    const unsupported = await unsupportedFields();
    for (const model of dmmf.datamodel.models) {
      for (const field of [...model.fields, ...(unsupported.get(model.name) ?? [])]) {
        if (field.kind === 'object') continue;
        const type = field.kind === 'unsupported' ? field.type : field.isList ? `_${expectedType(field)}` : expectedType(field);
        expected.set(`${tableOf(model)}.${columnOf(field)}`, `${type}${field.isRequired && !field.isList ? ' not null' : ''}`);
      }
    }
    expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));
  });

  it('has the enums the schema declares, with the same values in the same order', async () => {
    const { rows } = await client.query<{ typname: string; labels: string[] }>(`
      SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`);
    const actual = Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]));
    expect(actual).toEqual(expected);
  });

  it('has every primary key, unique and plain index the schema declares (on the same columns)', async () => {
    const { rows } = await client.query<{ table_name: string; is_unique: boolean; is_primary: boolean; columns: string[] | null }>(`
      SELECT c.relname AS table_name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
             (SELECT array_agg(a.attname ORDER BY k.ord)::text[]
                FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum) AS columns
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       WHERE c.relname <> '_prisma_migrations'`);
    const key = (table: string, kind: string, columns: string[]) => `${table} ${kind} (${columns.join(', ')})`;
    // Expression indexes (full-text search) have no plain columns; schema.prisma cannot name them.
    const actual = rows
      .filter((r) => r.columns && !r.columns.includes(null as unknown as string))
      .map((r) => key(r.table_name, r.is_primary ? 'id' : r.is_unique ? 'unique' : 'normal', r.columns!))
      .sort();
    const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
    const unsupported = await unsupportedFields();
    const expected = dmmf.datamodel.indexes
      .map((index) => {
        const model = models.get(index.model)!;
        const fields = [...model.fields, ...(unsupported.get(model.name) ?? [])];
        const columns = index.fields.map((f) => columnOf(fields.find((field) => field.name === f.name)!));
        return key(tableOf(model), index.type, columns);
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it('compresses the raw archive and the texts parsed from it with lz4 where PostgreSQL has it (migration 20261127020000)', async () => {
    // A server built without lz4 refuses the setting; the migration then keeps pglz.
    const hasLz4 = await client.query(`SET default_toast_compression = 'lz4'`).then(
      () => true,
      () => false,
    );
    const { rows } = await client.query<{ column: string; compression: string }>(
      `SELECT c.relname || '.' || a.attname AS column, a.attcompression AS compression
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relname IN ('messages', 'attachments', 'statements') AND a.attcompression <> ''
        ORDER BY 1`,
    );
    const compressed = ['attachments.content', 'attachments.extracted_text', 'messages.headers', 'messages.html_body', 'messages.raw', 'messages.text_body', 'statements.body_html', 'statements.body_text'];
    expect(rows).toEqual(hasLz4 ? compressed.map((column) => ({ column, compression: 'l' })) : []);
  });
});
