// Applies prisma/migrations/*/migration.sql in order (docs/ARCHITECTURE.md, section 4): each migration in its
// own transaction, under a session advisory lock so that several instances starting at once do
// not race, with a checksum per applied migration so an edited one is refused, not re-run.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export class MigrationError extends Error {}

const LOCK_KEY = 72_731_001; // arbitrary, fixed: every instance must agree on it

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(): string {
  return path.resolve(process.cwd(), "prisma", "migrations");
}

export function readMigrations(dir = migrationsDir()): Migration[] {
  if (!fs.existsSync(dir)) throw new MigrationError(`No migrations folder at ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      // Line endings are normalised so a checkout with CRLF does not look like an edit.
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8").replace(/\r\n/g, "\n");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** The SQL without its whole-line comments: what a migration does, whatever it says about itself. */
export function statementsChecksum(sql: string): string {
  const statements = sql
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n");
  return createHash("sha256").update(statements).digest("hex");
}

/**
 * Migrations whose comments were reworded after they shipped (they cited documents that are not
 * in the repository). A database that applied the original is accepted, and its record updated,
 * only when the file's statements are still exactly those of the original.
 */
export interface RewordedMigration {
  /** The checksum of the file as it was first applied. */
  appliedChecksum: string;
  /** `statementsChecksum` of that file, which the reworded one must still have. */
  statements: string;
}

export const REWORDED_MIGRATIONS: Record<string, RewordedMigration> = {
  "20261127090000_init": {
    appliedChecksum: "6f9d8b05011fa47177d8535780027a8ae1555c4e87642edad5ed82e530ac4214",
    statements: "18bd2feea8d6604d032b192ed96b1d6b8fdeaa9ee0ce45f76f81f94bcdb2a425",
  },
  "20261127110000_weekly_snapshot": {
    appliedChecksum: "9cf147507c40fdb2c66211e1941c02d0227000aac49ab69d330a34703929b420",
    statements: "8c4334d005e8ff3446e38e30bf95305c29e553663032e97d0429f69364ca6be9",
  },
};

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(
  connectionString: string,
  options: { dir?: string; log?: (line: string) => void; reworded?: Record<string, RewordedMigration> } = {},
): Promise<MigrateResult> {
  const migrations = readMigrations(options.dir);
  const log = options.log ?? (() => undefined);
  const reworded = options.reworded ?? REWORDED_MIGRATIONS;
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_resetboard_migrations" (
      "name" TEXT PRIMARY KEY,
      "checksum" TEXT NOT NULL,
      "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'SELECT "name", "checksum" FROM "_resetboard_migrations" ORDER BY "name"',
    );
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    const known = new Set(migrations.map((m) => m.name));
    const unknown = rows.filter((row) => !known.has(row.name)).map((row) => row.name);
    if (unknown.length > 0) {
      throw new MigrationError(
        `The database has migrations this code does not know (${unknown.join(", ")}): it was migrated by a newer version. Deploy that version or restore the database.`,
      );
    }
    for (const migration of migrations) {
      const checksum = applied.get(migration.name);
      const rewording = reworded[migration.name];
      if (
        checksum &&
        checksum !== migration.checksum &&
        rewording?.appliedChecksum === checksum &&
        rewording.statements === statementsChecksum(migration.sql)
      ) {
        await client.query('UPDATE "_resetboard_migrations" SET "checksum" = $2 WHERE "name" = $1', [
          migration.name,
          migration.checksum,
        ]);
        log(`Migration ${migration.name}: only its comments changed; its record now carries the new checksum`);
        continue;
      }
      if (checksum && checksum !== migration.checksum) {
        throw new MigrationError(
          `Migration ${migration.name} was edited after it was applied (checksum ${checksum.slice(0, 12)}… in the database, ${migration.checksum.slice(0, 12)}… on disk). Applied migrations are never edited: restore the file and put the change in a new migration.`,
        );
      }
    }
    const pending = migrations.filter((m) => !applied.has(m.name));
    for (const migration of pending) {
      log(`Applying migration ${migration.name}`);
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO "_resetboard_migrations" ("name", "checksum") VALUES ($1, $2)', [
          migration.name,
          migration.checksum,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: migrations.length - pending.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
