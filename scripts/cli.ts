// The operator CLI: `npm run cli -- <command>`. Exits non-zero with usage
// text on bad arguments, and with the refusal's message when a command is refused.
import { parseArgs } from "node:util";
import { withDatabase } from "./lib/database";
import { PostgresError } from "./lib/postgres";

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  user add --email E --name N --role LEAD|ENGINEER|EXECUTIVE --seniority JUNIOR|MID|SENIOR|PRINCIPAL [--password P]
      Create a user (and an audit event). Without --password the user signs in through single sign-on.
  token create --email E [--name N] [--expires-days D | --no-expiry]   (default: expires in 90 days)
      Create an API token for that user and print it on its own line (it is shown only once).
  audit verify [--anchor FILE]
      Walk the audit trail's hash chain; exit 1 and name the first broken event if it does not hold.
      With --anchor, also prove that the chain still contains the head that FILE anchored.
  audit anchor
      Print a signed anchor (JSON) of the chain's head: sequence, hash, time, HMAC-SHA256 with
      AUDIT_ANCHOR_KEY. Keep it outside the database; \`audit verify --anchor\` detects a cut or
      recomputed tail.
  import systems FILE [--dry-run]
      Import systems and their owners/reviewers from a CSV file (format in the README). Every row is
      checked first; any error is listed with its row number, nothing is written and the exit code is 1.
      Otherwise all rows are written in one transaction. --dry-run only checks and reports.
  gate check CHANGE_ID
      Ask the change gate whether a change may ship: exit 0 when allowed, 1 when blocked (the reasons
      are printed), 2 on any error (unknown change, database unreachable).
  rollup rebuild
      Recompute every system's roll-up (the per-system figures the dashboard and registry read)
      from its checkpoints, and who can sign each open checkpoint (the review pools the queues
      read). Safe to run at any time; it changes no checkpoint and no history.
  db migrate
      Apply pending migrations (prisma/migrations) to the database.
  db backup FILE
      Write a consistent copy of every table to FILE (gzipped JSON lines; one snapshot).
  db restore FILE [--force]
      Restore a backup into an empty database (migrated first). Refused when the database holds
      any row, unless --force, which replaces everything in it.
  db seed [--systems N] [--force]
      Fill an empty database with the demo program (default 335 systems).
      Refused when NODE_ENV=production unless --force.

The database is DATABASE_URL when set, otherwise this checkout's embedded Postgres
(the running one, or started for the command and stopped afterwards).`;

class UsageError extends Error {}

function options<T extends Record<string, { type: "string" | "boolean" }>>(args: string[], spec: T) {
  try {
    return parseArgs({ args, options: spec, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  if (!group || group === "help" || group === "--help" || group === "-h") {
    console.log(USAGE);
    return group ? 0 : 2;
  }
  const name = `${group} ${command ?? ""}`.trim();
  switch (name) {
    case "user add": {
      const values = options(rest, {
        email: { type: "string" },
        name: { type: "string" },
        role: { type: "string" },
        seniority: { type: "string" },
        password: { type: "string" },
      });
      const missing = ["email", "name", "role", "seniority"].filter((key) => !values[key as keyof typeof values]);
      if (missing.length) throw new UsageError(`user add needs ${missing.map((m) => `--${m}`).join(", ")}`);
      return withDatabase(async (url) => {
        process.env.DATABASE_URL = url;
        const { createUser } = await import("@/lib/data/users");
        const { cliActor } = await import("@/lib/data/actor");
        const user = await createUser(cliActor(), {
          email: values.email!,
          name: values.name!,
          role: values.role as "LEAD",
          seniority: values.seniority as "MID",
          password: values.password,
        });
        console.log(`Created ${user.email} (${user.role}, ${user.seniority}).`);
        return 0;
      });
    }
    case "token create": {
      const values = options(rest, {
        email: { type: "string" },
        name: { type: "string" },
        "expires-days": { type: "string" },
        "no-expiry": { type: "boolean" },
      });
      if (!values.email) throw new UsageError("token create needs --email");
      const days = values["expires-days"];
      if (days !== undefined && !/^\d{1,3}$/.test(days))
        throw new UsageError("--expires-days takes a whole number of days");
      return withDatabase(async (url) => {
        process.env.DATABASE_URL = url;
        const { findUserByEmail } = await import("@/lib/data/users");
        const { createApiToken } = await import("@/lib/data/tokens");
        const { cliActor } = await import("@/lib/data/actor");
        const user = await findUserByEmail(values.email!);
        if (!user) {
          console.error(`Refused: no active user with the email ${values.email}.`);
          return 1;
        }
        const expiresInDays = values["no-expiry"] ? null : days === undefined ? undefined : Number(days);
        const { token, apiToken } = await createApiToken(cliActor(), user.id, {
          name: values.name ?? "CLI token",
          expiresInDays,
        });
        const expiry = apiToken.expiresAt ? `it expires on ${apiToken.expiresAt.toISOString()}` : "it never expires";
        console.error(`Created token “${apiToken.name}” for ${user.email}; ${expiry}. It is shown once:`);
        console.log(token);
        return 0;
      });
    }
    case "audit anchor": {
      options(rest, {});
      return withDatabase(async (url) => {
        process.env.DATABASE_URL = url;
        const { anchorAuditHead } = await import("@/lib/data/audit-anchor");
        const { cliActor } = await import("@/lib/data/actor");
        console.log(JSON.stringify(await anchorAuditHead(cliActor())));
        return 0;
      });
    }
    case "audit verify": {
      const { anchor } = options(rest, { anchor: { type: "string" } });
      return withDatabase(async (url) => {
        process.env.DATABASE_URL = url;
        if (anchor !== undefined) {
          const fs = await import("node:fs");
          if (!fs.existsSync(anchor)) throw new UsageError(`No anchor file at ${anchor}`);
          const { verifyAgainstAnchor } = await import("@/lib/data/audit-anchor");
          const { cliActor } = await import("@/lib/data/actor");
          const result = await verifyAgainstAnchor(cliActor(), fs.readFileSync(anchor, "utf8"));
          if (result.ok) {
            console.log(
              `Audit chain verified: ${result.events} events, and it still contains the anchored head #${result.seq}.`,
            );
            return 0;
          }
          console.log(`Audit anchor check FAILED: ${result.message}`);
          return 1;
        }
        const { verifyAuditChain } = await import("@/lib/data/audit");
        const { cliActor } = await import("@/lib/data/actor");
        const result = await verifyAuditChain(cliActor());
        if (result.ok) {
          console.log(`Audit chain verified: ${result.events} events.`);
          return 0;
        }
        console.log(`Audit chain broken at event #${result.brokenAt} (${result.events} events checked).`);
        return 1;
      });
    }
    case "rollup rebuild": {
      options(rest, {});
      return withDatabase(async (url) => {
        process.env.DATABASE_URL = url;
        const { rebuildAllRollups, prismaRunner } = await import("@/lib/data/rollup");
        const { rebuildReviewPools } = await import("@/lib/data/review-pool");
        const { db } = await import("@/lib/db");
        const systems = await rebuildAllRollups();
        const checkpoints = await db().$transaction((tx) => rebuildReviewPools(prismaRunner(tx)), { timeout: 120_000 });
        console.log(
          `Rebuilt the roll-ups of ${systems} systems and the review pools of ${checkpoints} open checkpoints.`,
        );
        return 0;
      });
    }
    case "import systems": {
      let parsed;
      try {
        parsed = parseArgs({
          args: rest,
          options: { "dry-run": { type: "boolean" } },
          allowPositionals: true,
          strict: true,
        });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const [file, ...extra] = parsed.positionals;
      if (!file || extra.length) throw new UsageError("import systems takes one FILE");
      const fs = await import("node:fs");
      if (!fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
      const text = fs.readFileSync(file, "utf8");
      return withDatabase(async (url) => {
        process.env.DATABASE_URL = url;
        const { applyImport, previewImport, MAX_IMPORT_BYTES } = await import("@/lib/data/import");
        const { cliActor } = await import("@/lib/data/actor");
        if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) {
          console.error(`Refused: ${file} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
          return 1;
        }
        const started = Date.now();
        const tty = process.stderr.isTTY;
        const report = parsed.values["dry-run"]
          ? await previewImport(cliActor("cli import"), text)
          : await applyImport(cliActor("cli import"), text, {
              onProgress: ({ done, total }) => {
                const line = `Importing… ${done}/${total} rows (${Math.round((done / total) * 100)}%)`;
                if (tty) process.stderr.write(`\r${line}`);
                else console.error(line);
              },
            });
        if (tty && !parsed.values["dry-run"]) process.stderr.write("\n");
        for (const e of report.errors)
          console.error(`row ${e.row}${e.key ? ` (${e.key})` : ""}${e.column ? ` ${e.column}` : ""}: ${e.message}`);
        const counts = `${report.create} to create, ${report.update} to update, ${report.unchanged} unchanged`;
        if (report.errors.length) {
          console.error(
            `${report.errors.length} problem(s) in ${file}; nothing was written (${report.rows} rows: ${counts}).`,
          );
          return 1;
        }
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(
          parsed.values["dry-run"]
            ? `Dry run of ${file}: ${report.rows} rows, ${counts}. Nothing was written.`
            : `Imported ${file} in ${seconds}s: ${report.create} created, ${report.update} updated, ${report.unchanged} unchanged.`,
        );
        return 0;
      });
    }
    case "gate check": {
      const [changeId, ...extra] = rest;
      if (!changeId || extra.length) throw new UsageError("gate check takes one CHANGE_ID");
      // Exit codes are the pipeline's contract: an error must never look like "blocked" (1).
      try {
        return await withDatabase(async (url) => {
          process.env.DATABASE_URL = url;
          const { getChangeDecision } = await import("@/lib/data/changes");
          const { cliActor } = await import("@/lib/data/actor");
          const decision = await getChangeDecision(cliActor("cli gate"), changeId);
          console.log(`${decision.allowed ? "ALLOWED" : "BLOCKED"}: change ${decision.id}`);
          for (const reason of decision.reasons) console.log(`- ${reason}`);
          return decision.allowed ? 0 : 1;
        });
      } catch (error) {
        console.error(`Error: ${(error as Error).message}`);
        return 2;
      }
    }
    case "db backup":
    case "db restore": {
      const file = rest.find((arg) => !arg.startsWith("--"));
      const values = options(
        rest.filter((arg) => arg !== file),
        { force: { type: "boolean" } },
      );
      if (!file) throw new UsageError(`${name} needs a FILE`);
      if (command === "backup" && values.force) throw new UsageError("db backup takes no --force");
      return withDatabase(async (url) => {
        const { backupDatabase, restoreDatabase } = await import("./lib/backup");
        const header =
          command === "backup"
            ? await backupDatabase(url, file)
            : await restoreDatabase(url, file, { force: values.force });
        const rows = Object.values(header.tables).reduce((a, b) => a + b, 0);
        console.log(
          `${command === "backup" ? "Backed up" : "Restored"} ${rows} rows in ${Object.keys(header.tables).length} tables (${header.migrations.length} migrations) ${command === "backup" ? "to" : "from"} ${file}.`,
        );
        return 0;
      });
    }
    case "db migrate": {
      options(rest, {});
      return withDatabase(async (url) => {
        const { migrate } = await import("@/lib/db/migrate");
        const result = await migrate(url, { log: (line) => console.log(line) });
        console.log(
          result.applied.length
            ? `Applied ${result.applied.length} migration(s); ${result.alreadyApplied} were already applied.`
            : `The database is up to date (${result.alreadyApplied} migrations applied).`,
        );
        return 0;
      });
    }
    case "db seed": {
      const values = options(rest, { systems: { type: "string" }, force: { type: "boolean" } });
      const systems = values.systems === undefined ? undefined : Number(values.systems);
      if (systems !== undefined && (!Number.isInteger(systems) || systems < 1 || systems > 100_000)) {
        throw new UsageError("--systems takes a whole number from 1 to 100000");
      }
      return withDatabase(async (url) => {
        const { migrate } = await import("@/lib/db/migrate");
        await migrate(url);
        const { seedDemo } = await import("@/prisma/seed");
        const result = await seedDemo(url, { systems, force: values.force, log: (line) => console.log(line) });
        console.log(`Seeded ${result.systems} systems, ${result.users} users, ${result.auditEvents} audit events.`);
        return 0;
      });
    }
    default:
      throw new UsageError(`Unknown command: ${name}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    const { DomainError } = await import("@/lib/errors");
    const { MigrationError } = await import("@/lib/db/migrate");
    const { BackupError } = await import("./lib/backup");
    if (
      error instanceof DomainError ||
      error instanceof MigrationError ||
      error instanceof PostgresError ||
      error instanceof BackupError
    ) {
      console.error(`Refused: ${error.message}`);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
