// `db backup FILE` / `db restore FILE [--force]`: a consistent logical copy of every table, made
// with SQL alone. pg_dump would be the usual tool, but the embedded Postgres packages ship only
// initdb, pg_ctl and postgres, and a pg_dump older than the server (Debian's 15 against our 18)
// refuses to run; this works against any Postgres the app supports. The file is gzipped JSON
// lines: a header (format, migrations, row counts), then per table a marker and one line per row
// as Postgres' own row_to_json wrote it, so values (bigint, jsonb, timestamps) round-trip exactly.
import fs from "node:fs";
import readline from "node:readline";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";

export class BackupError extends Error {}

const MIGRATIONS_TABLE = "_resetboard_migrations";
const FORMAT = "resetboard-backup";

interface Header {
  format: typeof FORMAT;
  version: 1;
  createdAt: string;
  migrations: string[];
  tables: Record<string, number>;
}

/** The app's tables, parents before children, so rows can be inserted with foreign keys on. */
async function tablesInDependencyOrder(client: pg.ClientBase): Promise<string[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1 ORDER BY c.relname`,
    [MIGRATIONS_TABLE],
  );
  const { rows: edges } = await client.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public' AND c.oid <> p.oid`,
  );
  const names = tables.map((t) => t.name);
  const parents = new Map(names.map((name) => [name, new Set<string>()]));
  for (const { child, parent } of edges) parents.get(child)?.add(parent);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (ordered.includes(name)) return;
    if (visiting.has(name))
      throw new BackupError(`Foreign keys form a cycle through ${name}; cannot order the restore.`);
    visiting.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent);
    visiting.delete(name);
    ordered.push(name);
  };
  names.forEach(visit);
  return ordered;
}

export async function backupDatabase(connectionString: string, file: string): Promise<Header> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const tmp = `${file}.partial`;
  try {
    // One snapshot for every table: the copy is consistent even while the app keeps writing.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows: migrations } = await client
      .query<{ name: string }>(`SELECT "name" FROM "${MIGRATIONS_TABLE}" ORDER BY "name"`)
      .catch(() => {
        throw new BackupError("This database has no Resetboard migrations table: it is not a Resetboard database.");
      });
    const tables = await tablesInDependencyOrder(client);
    const counts: Record<string, number> = {};
    const chunks: string[] = [];
    for (const table of tables) {
      const { rows } = await client.query<{ j: string }>(
        `SELECT row_to_json(t)::text AS j FROM ${client.escapeIdentifier(table)} t`,
      );
      counts[table] = rows.length;
      chunks.push(JSON.stringify({ table, rows: rows.length }), ...rows.map((r) => r.j));
    }
    await client.query("COMMIT");
    const header: Header = {
      format: FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      migrations: migrations.map((m) => m.name),
      tables: counts,
    };
    const lines = [JSON.stringify(header), ...chunks];
    await pipeline(
      Readable.from(lines.map((line) => `${line}\n`)),
      zlib.createGzip(),
      fs.createWriteStream(tmp, { mode: 0o600 }),
    );
    // Written whole or not at all: a crash mid-write never leaves a truncated FILE.
    fs.renameSync(tmp, file);
    return header;
  } finally {
    fs.rmSync(tmp, { force: true });
    await client.end();
  }
}

async function isEmpty(client: pg.ClientBase): Promise<boolean> {
  const tables = await tablesInDependencyOrder(client);
  for (const table of tables) {
    const { rowCount } = await client.query(`SELECT 1 FROM ${client.escapeIdentifier(table)} LIMIT 1`);
    if (rowCount) return false;
  }
  return true;
}

export async function restoreDatabase(
  connectionString: string,
  file: string,
  options: { force?: boolean } = {},
): Promise<Header> {
  if (!fs.existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  const input = readline.createInterface({
    input: fs.createReadStream(file).pipe(zlib.createGunzip()),
    crlfDelay: Infinity,
  });
  const lines = input[Symbol.asyncIterator]();
  const first = await lines.next();
  let header: Header;
  try {
    header = JSON.parse(String(first.value)) as Header;
  } catch {
    throw new BackupError(`${file} is not a Resetboard backup (made by \`npm run cli -- db backup\`).`);
  }
  if (header.format !== FORMAT || header.version !== 1)
    throw new BackupError(`${file} is not a Resetboard backup (made by \`npm run cli -- db backup\`).`);

  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    if (!(await isEmpty(client))) {
      if (!options.force) {
        throw new BackupError(
          "The target database is not empty; restoring would replace its data. Restore into a new database, or pass --force to replace everything in it.",
        );
      }
      // --force: the audit triggers refuse DELETE and TRUNCATE by design, so the schema goes whole.
      await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    }
    await migrate(connectionString);
    const { rows: applied } = await client.query<{ name: string }>(
      `SELECT "name" FROM "${MIGRATIONS_TABLE}" ORDER BY "name"`,
    );
    const here = applied.map((m) => m.name);
    if (here.join("\n") !== header.migrations.join("\n")) {
      const missing = header.migrations.filter((m) => !here.includes(m));
      const extra = here.filter((m) => !header.migrations.includes(m));
      throw new BackupError(
        `The backup was made at a different schema version (${missing.length ? `it has ${missing.join(", ")} that this release lacks` : `this release adds ${extra.join(", ")}`}). Restore it with the release that made it, then upgrade.`,
      );
    }
    await client.query("BEGIN");
    // Loading checkpoints (and evidence, reviews, assignments) fires the triggers that mark
    // roll-ups and review pools as behind; the backup's own marks (what it holds was current or
    // not as it says) are put back once everything is in.
    const DERIVED_MARKS = ["system_rollup_dirty", "review_pool_dirty"];
    const deferred = new Map<string, string[]>(DERIVED_MARKS.map((t) => [t, []]));
    for (;;) {
      const marker = await lines.next();
      if (marker.done) break;
      const { table, rows } = JSON.parse(String(marker.value)) as { table: string; rows: number };
      if (!(table in header.tables))
        throw new BackupError(`The backup names a table ${table} that its header does not list.`);
      const id = client.escapeIdentifier(table);
      let batch: string[] = [];
      const flush = async () => {
        if (!batch.length) return;
        await client.query(
          `INSERT INTO ${id} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::${id}, $1::json)`,
          [`[${batch.join(",")}]`],
        );
        batch = [];
      };
      for (let i = 0; i < rows; i += 1) {
        const row = await lines.next();
        if (row.done) throw new BackupError(`The backup ends inside table ${table}: the file is truncated.`);
        const marks = deferred.get(table);
        if (marks) marks.push(String(row.value));
        else batch.push(String(row.value));
        if (batch.length >= 500) await flush();
      }
      await flush();
    }
    for (const [table, marks] of deferred) {
      if (!(table in header.tables)) continue;
      const id = client.escapeIdentifier(table);
      await client.query(`DELETE FROM ${id}`);
      for (let i = 0; i < marks.length; i += 500) {
        await client.query(
          `INSERT INTO ${id} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::${id}, $1::json)`,
          [`[${marks.slice(i, i + 500).join(",")}]`],
        );
      }
    }
    // Serial columns continue after the restored rows, not from 1.
    const { rows: sequences } = await client.query<{ table_name: string; column_name: string; seq: string }>(
      `SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
         FROM information_schema.columns WHERE table_schema = 'public' AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL`,
    );
    for (const s of sequences) {
      const col = client.escapeIdentifier(s.column_name);
      await client.query(
        `SELECT setval($1, coalesce((SELECT max(${col}) FROM ${client.escapeIdentifier(s.table_name)}), 1), (SELECT max(${col}) IS NOT NULL FROM ${client.escapeIdentifier(s.table_name)}))`,
        [s.seq],
      );
    }
    for (const [table, expected] of Object.entries(header.tables)) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM ${client.escapeIdentifier(table)}`,
      );
      if (Number(rows[0]!.n) !== expected)
        throw new BackupError(
          `Table ${table} has ${rows[0]!.n} rows after the restore, the backup ${expected}; nothing was restored.`,
        );
    }
    await client.query("COMMIT");
    return header;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    input.close();
    await client.end();
  }
}
