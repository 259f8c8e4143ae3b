// The migration runner against a real Postgres: concurrent starts, edited migrations, failures.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, migrationsDir, readMigrations, REWORDED_MIGRATIONS, statementsChecksum } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "@/tests/db";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrated: false });
  cleanups.push(() => database.drop());
  return database;
}

function migrationFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  await client.end();
  return rows.map((r) => r.name);
}

describe("migrate", () => {
  it("applies the project's migrations once, however many instances start at the same time", async () => {
    const database = await emptyDatabase();
    const results = await Promise.all([migrate(database.url), migrate(database.url), migrate(database.url)]);
    const count = fs.readdirSync(migrationsDir()).length;
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, count]);
    expect(await tables(database.url)).toContain("checkpoint");
    expect((await migrate(database.url)).applied).toEqual([]);
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const database = await emptyDatabase();
    const dir = migrationFolder({ "20260101000000_one": "CREATE TABLE one (id int);" });
    await migrate(database.url, { dir });
    fs.writeFileSync(path.join(dir, "20260101000000_one", "migration.sql"), "CREATE TABLE one (id bigint);");
    await expect(migrate(database.url, { dir })).rejects.toThrow(/20260101000000_one was edited after it was applied/);
  });

  it("accepts a shipped migration whose comments alone were reworded, and nothing more", async () => {
    const database = await emptyDatabase();
    const original = "-- cites a document that is gone\nCREATE TABLE one (id int);";
    const dir = migrationFolder({ "20260101000000_one": original });
    await migrate(database.url, { dir });
    const reworded = {
      "20260101000000_one": {
        appliedChecksum: createHash("sha256").update(original).digest("hex"),
        statements: statementsChecksum(original),
      },
    };
    const file = path.join(dir, "20260101000000_one", "migration.sql");
    fs.writeFileSync(file, "-- says it in its own words\nCREATE TABLE one (id int);");
    await expect(migrate(database.url, { dir, reworded })).resolves.toEqual({ applied: [], alreadyApplied: 1 });
    // The record now holds the reworded file's checksum: the next start needs no exception.
    await expect(migrate(database.url, { dir, reworded: {} })).resolves.toEqual({ applied: [], alreadyApplied: 1 });
    // A statement changed under a reworded comment is still an edit.
    fs.writeFileSync(file, "-- says it in its own words\nCREATE TABLE one (id bigint);");
    await expect(migrate(database.url, { dir, reworded })).rejects.toThrow(/was edited after it was applied/);
  });

  it("rolls a failing migration back whole and keeps the ones before it", async () => {
    const database = await emptyDatabase();
    const dir = migrationFolder({
      "20260101000000_one": "CREATE TABLE one (id int);",
      "20260102000000_two": "CREATE TABLE two (id int); SELECT no_such_function();",
    });
    await expect(migrate(database.url, { dir })).rejects.toThrow(/20260102000000_two failed and was rolled back/);
    expect(await tables(database.url)).toEqual(["_resetboard_migrations", "one"]);
  });

  it("refuses a database migrated by newer code", async () => {
    const database = await emptyDatabase();
    const newer = migrationFolder({ "20260101000000_one": "SELECT 1;", "20260102000000_two": "SELECT 1;" });
    await migrate(database.url, { dir: newer });
    const older = migrationFolder({ "20260101000000_one": "SELECT 1;" });
    await expect(migrate(database.url, { dir: older })).rejects.toThrow(
      /migrations this code does not know \(20260102000000_two\)/,
    );
  });

  it("lists reworded migrations whose statements are those that shipped", () => {
    const shipped = new Map(readMigrations().map((m) => [m.name, m]));
    for (const [name, rewording] of Object.entries(REWORDED_MIGRATIONS)) {
      expect(statementsChecksum(shipped.get(name)!.sql), name).toBe(rewording.statements);
    }
  });
});
