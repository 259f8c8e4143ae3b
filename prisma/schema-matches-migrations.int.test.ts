// Proves that migrating an empty database with our hand-written SQL yields exactly the schema
// that schema.prisma describes: tables, columns (type, nullability, default), enums, primary
// keys, unique keys, indexes and foreign keys. Prisma's own `migrate diff` needs a schema engine
// that cannot be downloaded here (docs/ARCHITECTURE.md, section 4), so we compare against Prisma's DMMF.
import fs from "node:fs";
import path from "node:path";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/db";

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object";
  type: string;
  isRequired: boolean;
  isList: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
    indexes: DmmfIndex[];
  };
}

function loadDmmf(): Dmmf {
  const schema = fs.readFileSync(path.resolve("prisma/schema.prisma"), "utf8");
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schema]] }))) as Dmmf;
}

const column = (f: DmmfField) => f.dbName ?? f.name;
const table = (m: DmmfModel) => m.dbName ?? m.name;

/** The Postgres type a field should have, as `format_type()` spells it. */
function expectedType(field: DmmfField, enumDbName: Map<string, string>): string {
  if (field.kind === "enum") return `"${enumDbName.get(field.type)}"`.replace(/^"([a-z_][a-z0-9_]*)"$/, "$1");
  const native = field.nativeType?.[0];
  const args = field.nativeType?.[1] ?? [];
  switch (field.type) {
    case "String":
      return native === "Uuid" ? "uuid" : "text";
    case "Int":
      return "integer";
    case "BigInt":
      return "bigint";
    case "Boolean":
      return "boolean";
    case "Json":
      return "jsonb";
    case "Float":
      return "double precision";
    case "DateTime":
      if (native === "Date") return "date";
      if (native === "Timestamptz") return `timestamp(${args[0] ?? 3}) with time zone`;
      return `timestamp(${args[0] ?? 3}) without time zone`;
    default:
      throw new Error(`No mapping for Prisma type ${field.type} (${field.name}); extend the test`);
  }
}

/** Whether the database should hold a default: Prisma's client-side defaults (uuid(), cuid()) and @updatedAt do not. */
function expectsDbDefault(field: DmmfField): boolean {
  if (!field.hasDefaultValue || field.isUpdatedAt) return false;
  const def = field.default as { name?: string } | undefined;
  return !(def && typeof def === "object" && ["uuid", "cuid", "nanoid", "ulid"].includes(def.name ?? ""));
}

const ON_DELETE: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe("the migrated database matches schema.prisma", () => {
  const dmmf = loadDmmf();
  const models = dmmf.datamodel.models;
  const enumDbName = new Map(dmmf.datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));

  it("has exactly the schema's tables", async () => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_resetboard_migrations'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(models.map(table).sort());
  });

  it("has exactly the schema's enums and labels, in order", async () => {
    const { rows } = await client.query<{ name: string; labels: string[] }>(
      `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
        GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.name, r.labels]));
    const expected = Object.fromEntries(
      dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]),
    );
    expect(actual).toEqual(expected);
  });

  for (const model of models) {
    it(`${model.name}: every column with its type, nullability and default`, async () => {
      const { rows } = await client.query<{ name: string; type: string; not_null: boolean; has_default: boolean }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
                (a.atthasdef) AS has_default
           FROM pg_attribute a
          WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY a.attnum`,
        [`public."${table(model)}"`],
      );
      const actual = Object.fromEntries(
        rows.map((r) => [r.name, { type: r.type, nullable: !r.not_null, dbDefault: r.has_default }]),
      );
      const expected = Object.fromEntries(
        model.fields
          .filter((f) => f.kind !== "object")
          .map((f) => [
            column(f),
            {
              type: `${expectedType(f, enumDbName)}${f.isList ? "[]" : ""}`,
              nullable: !f.isRequired,
              dbDefault: expectsDbDefault(f),
            },
          ]),
      );
      expect(actual).toEqual(expected);
    });
  }

  it("has the schema's primary keys, unique keys and indexes, and no other non-partial ones", async () => {
    const { rows } = await client.query<{
      table: string;
      columns: string[];
      unique: boolean;
      primary: boolean;
      partial: boolean;
    }>(
      `SELECT t.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
              (i.indpred IS NOT NULL) AS partial,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE t.relname <> '_resetboard_migrations'
        GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary, i.indpred`,
    );
    const describeIndex = (kind: string, tableName: string, columns: string[]) =>
      `${tableName} ${kind} (${columns.join(", ")})`;
    // Partial unique indexes carry rules Prisma cannot express (one active program, one waiver
    // in force); they are checked by name instead, below.
    const actual = rows
      .filter((r) => !r.partial)
      .map((r) => describeIndex(r.primary ? "id" : r.unique ? "unique" : "normal", r.table, r.columns))
      .sort();
    const byName = new Map(models.map((m) => [m.name, m]));
    const expected = dmmf.datamodel.indexes
      .map((index) => {
        const model = byName.get(index.model)!;
        const cols = index.fields.map((f) => column(model.fields.find((field) => field.name === f.name)!));
        return describeIndex(index.type, table(model), cols);
      })
      .sort();
    expect(actual).toEqual(expected);
    expect(
      rows
        .filter((r) => r.partial)
        .map((r) => `${r.table} (${r.columns.join(", ")})`)
        .sort(),
    ).toEqual(["checkpoint (submitted_at)", "program (active)", "review_pool (system_id)", "waiver (checkpoint_id)"]);
  });

  it("has the schema's foreign keys with their delete rules", async () => {
    const { rows } = await client.query<{
      table: string;
      columns: string[];
      ref_table: string;
      ref_columns: string[];
      on_delete: string;
    }>(
      `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS ref_table,
              c.confdeltype AS on_delete,
              ARRAY(SELECT attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n ORDER BY k.o) AS columns,
              ARRAY(SELECT attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n ORDER BY k.o) AS ref_columns
         FROM pg_constraint c
         JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = 'public'
        WHERE c.contype = 'f'`,
    );
    const unquote = (name: string) => name.replace(/^"|"$/g, "");
    const actual = rows
      .map(
        (r) =>
          `${unquote(r.table)}(${r.columns.join(",")}) -> ${unquote(r.ref_table)}(${r.ref_columns.join(",")}) on delete ${ON_DELETE[r.on_delete]}`,
      )
      .sort();
    const byName = new Map(models.map((m) => [m.name, m]));
    const expected = models
      .flatMap((model) =>
        model.fields
          .filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)
          .map((f) => {
            const target = byName.get(f.type)!;
            const from = f.relationFromFields!.map((name) => column(model.fields.find((x) => x.name === name)!));
            const to = f.relationToFields!.map((name) => column(target.fields.find((x) => x.name === name)!));
            return `${table(model)}(${from.join(",")}) -> ${table(target)}(${to.join(",")}) on delete ${f.relationOnDelete ?? "Restrict"}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it("refuses UPDATE, DELETE and TRUNCATE on the append-only tables", async () => {
    const zero = "0".repeat(64);
    await client.query(
      `INSERT INTO audit_event (seq, at, action, subject_type, subject_id, prev_hash, hash)
       VALUES (1, now(), 'test.event', 'test', 'x', $1, $2)`,
      [zero, "1".repeat(64)],
    );
    await expect(client.query(`UPDATE audit_event SET action = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(client.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    for (const name of ["audit_event", "review", "evidence", "evidence_withdrawal"]) {
      await expect(client.query(`TRUNCATE "${name}" CASCADE`)).rejects.toThrow(/append-only/);
    }
    const { rows } = await client.query<{ action: string }>("SELECT action FROM audit_event");
    expect(rows).toEqual([{ action: "test.event" }]);
  });
});
