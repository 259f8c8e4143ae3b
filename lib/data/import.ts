// CSV import of systems and their assignments. A dry run validates every row —
// format, tier, links, team, known and assignable people, duplicate keys — and compares it with
// the registry before anything is written. Apply re-plans inside ONE transaction and writes all
// rows or none: creates (with their checkpoints), updates, assignment changes, one audit event
// per changed system. Rows equal to what is stored write nothing, so re-importing a file is a
// no-op (idempotent upsert by key).
import "server-only";
import { appendAuditEvents, type AuditInput } from "@/lib/audit/append";
import type { JsonValue } from "@/lib/audit/chain";
import { CsvParseError, parseCsv } from "@/lib/csv/parse";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { refreshRollups } from "@/lib/data/rollup";
import { systemInputSchema, type SystemFields } from "@/lib/data/system-admin.schema";
import { assignableProblem } from "@/lib/data/system-admin";
import {
  activeMilestones,
  auditedAssignments,
  createSystems,
  fieldChanges,
  storedFields,
  storedFieldsSelect,
  systemCreatedEvent,
  writeAssignmentDiffs,
  type JoiningProgram,
  type StoredSystemFields,
} from "@/lib/data/system-writes";
import { emailSchema } from "@/lib/data/users.schema";
import { db } from "@/lib/db";
import {
  desiredAssignments,
  diffAssignments,
  isEmptyDiff,
  type Assignment,
  type AssignmentDiff,
} from "@/lib/domain/assignment-diff";
import { Conflict, isUniqueViolation } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

export const IMPORT_COLUMNS = [
  "key",
  "name",
  "team",
  "tier",
  "ai_assisted",
  "description",
  "repo_url",
  "runbook_url",
  "owners",
  "reviewers",
] as const;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

/** CSV column of each validated field, so that messages name what the file calls it. */
const COLUMN_OF: Record<string, string> = { aiAssisted: "ai_assisted", repoUrl: "repo_url", runbookUrl: "runbook_url" };

export interface ImportRowError {
  /** The row in the file, the header being row 1 (as a spreadsheet numbers it). */
  row: number;
  key: string | null;
  column: string | null;
  message: string;
}

export interface ImportRowPlan {
  row: number;
  key: string;
  action: "create" | "update" | "unchanged";
  /** For updates: the fields and assignment kinds that change. */
  changes: string[];
}

export interface ImportReport {
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  errors: ImportRowError[];
  plan: ImportRowPlan[];
  /** True once an apply wrote (or found nothing to write); false for dry runs and refused files. */
  applied: boolean;
}

export interface ImportProgress {
  done: number;
  total: number;
}

interface ParsedRow {
  row: number;
  fields: SystemFields;
  owners: string[];
  reviewers: string[];
}

const TRUE = new Set(["true", "yes", "y", "1"]);
const FALSE = new Set(["false", "no", "n", "0", ""]);

function splitEmails(cell: string): string[] {
  return cell
    .split(";")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
}

type ReadFile = { rows: ParsedRow[]; errors: ImportRowError[]; total: number; people: RowPeople[] };

/** A problem with the file as a whole: no row is read, the report names the one error. */
function fileError(row: number, message: string, total = 0): ReadFile {
  return { rows: [], people: [], errors: [{ row, key: null, column: null, message }], total };
}

/** Parses and validates the file on its own (no database): CSV shape, header, each row's fields. */
function readFile(text: string): ReadFile {
  const errors: ImportRowError[] = [];
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvParseError) return fileError(error.row, error.message.replace(/^Row \d+: /, ""));
    throw error;
  }
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = IMPORT_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  if (!records.length || missing.length || unknown.length) {
    const parts = [
      missing.length ? `missing column(s) ${missing.join(", ")}` : "",
      unknown.length ? `unknown column(s) ${unknown.join(", ")}` : "",
    ].filter(Boolean);
    return fileError(
      1,
      `The header must name the columns ${IMPORT_COLUMNS.join(",")}${parts.length ? `: ${parts.join("; ")}` : ""}.`,
    );
  }
  const index = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof IMPORT_COLUMNS)[number],
    number
  >;
  const body = records
    .slice(1)
    .map((cells, i) => ({ cells, row: i + 2 }))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ""));
  if (body.length > MAX_IMPORT_ROWS) {
    return fileError(1, `A file holds at most ${MAX_IMPORT_ROWS} systems; this one has ${body.length}.`, body.length);
  }
  const rows: ParsedRow[] = [];
  // Every row's people, valid row or not, so that unknown emails are reported with the rest.
  const people: RowPeople[] = [];
  const firstRowOfKey = new Map<string, number>();
  for (const { cells, row } of body) {
    const cell = (column: (typeof IMPORT_COLUMNS)[number]) => cells[index[column]] ?? "";
    const key = cell("key").trim() || null;
    const fail = (column: string | null, message: string) => errors.push({ row, key, column, message });
    if (cells.length !== header.length) {
      fail(null, `This row has ${cells.length} fields; the header has ${header.length}.`);
      continue;
    }
    const before = errors.length;
    const ai = cell("ai_assisted").trim().toLowerCase();
    if (!TRUE.has(ai) && !FALSE.has(ai)) fail("ai_assisted", "Use true or false (or yes/no, 1/0; empty means false)");
    const parsed = systemInputSchema.safeParse({
      key: cell("key"),
      name: cell("name"),
      team: cell("team"),
      tier: cell("tier").trim().toUpperCase(),
      aiAssisted: TRUE.has(ai),
      description: cell("description"),
      repoUrl: cell("repo_url").trim(),
      runbookUrl: cell("runbook_url").trim(),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "");
        fail(COLUMN_OF[field] ?? (field || null), issue.message);
      }
    }
    const owners = splitEmails(cell("owners"));
    const reviewers = splitEmails(cell("reviewers"));
    for (const [column, emails] of [
      ["owners", owners],
      ["reviewers", reviewers],
    ] as const) {
      for (const email of emails)
        if (!emailSchema.safeParse(email).success) fail(column, `“${email}” is not an email address`);
    }
    people.push({
      row,
      key,
      owners: owners.filter((e) => emailSchema.safeParse(e).success),
      reviewers: reviewers.filter((e) => emailSchema.safeParse(e).success),
    });
    const both = [...new Set(reviewers.filter((e) => owners.includes(e)))];
    if (both.length) fail("reviewers", `A person cannot both own and review a system: ${both.join(", ")}`);
    if (key) {
      const first = firstRowOfKey.get(key);
      if (first !== undefined) fail("key", `The key “${key}” is already used on row ${first} of this file`);
      else firstRowOfKey.set(key, row);
    }
    if (errors.length === before && parsed.success)
      rows.push({ row, fields: parsed.data, owners: [...new Set(owners)], reviewers: [...new Set(reviewers)] });
  }
  return { rows, errors, total: body.length, people };
}

interface RowPeople {
  row: number;
  key: string | null;
  owners: string[];
  reviewers: string[];
}

interface Existing {
  id: string;
  key: string;
  stored: StoredSystemFields;
  assignments: Assignment[];
}

interface Planned {
  row: ParsedRow;
  existing: Existing | undefined;
  /** From the stored assignments (none for a new system) to the row's owners and reviewers. */
  diff: AssignmentDiff;
  changes: Record<string, { from: JsonValue; to: JsonValue }>;
  assignmentsChange: boolean;
}

/** Compares the valid rows with the registry (users and systems read in two queries). */
async function plan(client: Tx, rows: ParsedRow[], people: RowPeople[], errors: ImportRowError[]): Promise<Planned[]> {
  const emails = [...new Set(people.flatMap((r) => [...r.owners, ...r.reviewers]))];
  const users = await client.user.findMany({
    where: { email: { in: emails } },
    select: { id: true, email: true, active: true, role: true },
  });
  const byEmail = new Map(users.map((u) => [u.email, u]));
  const systems = await client.system.findMany({
    where: { key: { in: rows.map((r) => r.fields.key) } },
    select: {
      id: true,
      key: true,
      ...storedFieldsSelect,
      assignments: { select: { userId: true, kind: true, user: { select: { email: true } } } },
    },
  });
  const byKey = new Map<string, Existing>(
    systems.map(({ id, key, assignments, ...stored }) => [
      key,
      {
        id,
        key,
        stored,
        assignments: assignments.map((a) => ({ userId: a.userId, kind: a.kind, email: a.user.email })),
      },
    ]),
  );
  const refused = new Set<number>();
  for (const entry of people) {
    for (const [column, list] of [
      ["owners", entry.owners],
      ["reviewers", entry.reviewers],
    ] as const) {
      for (const email of list) {
        const problem = assignableProblem(email, byEmail.get(email));
        if (problem) {
          refused.add(entry.row);
          errors.push({ row: entry.row, key: entry.key, column, message: problem });
        }
      }
    }
  }
  const planned: Planned[] = [];
  for (const row of rows) {
    if (refused.has(row.row)) continue;
    const desired = desiredAssignments(row.owners, row.reviewers, (email) => byEmail.get(email)!.id);
    const existing = byKey.get(row.fields.key);
    const changes = existing ? fieldChanges(existing.stored, storedFields(row.fields)) : {};
    const diff = diffAssignments(existing?.assignments ?? [], desired);
    planned.push({ row, existing, diff, changes, assignmentsChange: !isEmptyDiff(diff) });
  }
  return planned;
}

function report(planned: Planned[], errors: ImportRowError[], total: number, applied: boolean): ImportReport {
  const rows = planned.map<ImportRowPlan>((p) => ({
    row: p.row.row,
    key: p.row.fields.key,
    action: !p.existing ? "create" : Object.keys(p.changes).length || p.assignmentsChange ? "update" : "unchanged",
    changes: p.existing ? [...Object.keys(p.changes), ...(p.assignmentsChange ? ["assignments"] : [])] : [],
  }));
  errors.sort((a, b) => a.row - b.row);
  return {
    rows: total,
    create: rows.filter((r) => r.action === "create").length,
    update: rows.filter((r) => r.action === "update").length,
    unchanged: rows.filter((r) => r.action === "unchanged").length,
    errors,
    plan: rows,
    applied,
  };
}

/** For callers that must refuse before they start streaming (the import page's route handler). */
export async function authorizeImport(actor: Actor): Promise<void> {
  await authorize(actor, "system.manage", { type: "import", id: "systems" });
}

/** The dry run: every row's errors, and what apply would create, update or leave alone. Writes nothing. */
export async function previewImport(actor: Actor, text: string): Promise<ImportReport> {
  await authorize(actor, "system.manage", { type: "import", id: "systems" });
  const { rows, errors, total, people } = readFile(text);
  // One snapshot of users and systems for the whole file.
  const planned = await db().$transaction((tx) => plan(tx, rows, people, errors));
  return report(planned, errors, total, false);
}

/**
 * Applies a file: all rows or none, in one transaction. A file with any error writes nothing
 * and comes back with its errors (applied: false). `onProgress` hears after every row.
 */
export async function applyImport(
  actor: Actor,
  text: string,
  options: { onProgress?: (progress: ImportProgress) => void } = {},
): Promise<ImportReport> {
  await authorize(actor, "system.manage", { type: "import", id: "systems" });
  const { rows, errors, total, people } = readFile(text);
  if (errors.length)
    return report(await db().$transaction((tx) => plan(tx, rows, people, errors)), errors, total, false);
  try {
    return await db().$transaction(
      async (tx) => {
        // One import at a time: two would race on the same keys and interleave their audit events.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(72731005)`;
        // Lock the systems the file names, in key order (as the bulk edits do, so neither can
        // deadlock the other), before reading them: an edit racing the import waits, then finds
        // its version moved (409) instead of being overwritten or overwriting the file.
        const keys = [...new Set(rows.map((r) => r.fields.key))].sort();
        await tx.$queryRaw`SELECT id FROM system WHERE key = ANY(${keys}::text[]) ORDER BY key FOR UPDATE`;
        const planned = await plan(tx, rows, people, errors);
        if (errors.length) return report(planned, errors, total, false);
        const program = planned.some((p) => !p.existing) ? await activeMilestones(tx) : null;
        // Rows go in chunks: a few statements per chunk rather than per row, and progress after each.
        const events: AuditInput[] = [];
        for (let i = 0; i < planned.length; i += CHUNK) {
          events.push(...(await applyChunk(tx, actor, planned.slice(i, i + CHUNK), program)));
          options.onProgress?.({ done: Math.min(i + CHUNK, planned.length), total: planned.length });
        }
        // The audit events last, in the file's order: the chain's lock is then held only for them,
        // never while this transaction still waits on rows (roll-ups) a command may hold.
        await appendAuditEvents(tx, events);
        return report(planned, errors, total, true);
      },
      // A large file is one long transaction by design (all or nothing).
      { timeout: 60_000 + rows.length * 100, maxWait: 30_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Conflict(
        "Another change created one of these systems while the import ran; nothing was imported. Run the import again.",
      );
    throw error;
  }
}

const CHUNK = 50;

async function applyChunk(
  tx: Tx,
  actor: Actor,
  chunk: Planned[],
  program: JoiningProgram | null,
): Promise<AuditInput[]> {
  const creates = chunk.filter((p) => !p.existing);
  const ids = creates.length
    ? await createSystems(
        tx,
        program!,
        creates.map((p) => p.row.fields),
      )
    : new Map<string, string>();
  const updates = chunk.filter((p) => p.existing && (Object.keys(p.changes).length || p.assignmentsChange));
  for (const p of updates) {
    if (Object.keys(p.changes).length)
      await tx.system.update({ where: { id: p.existing!.id }, data: storedFields(p.row.fields) });
  }
  // Team and tier slice the dashboard's tally (new systems were refreshed above).
  const moved = updates.filter((p) => "team" in p.changes || "tier" in p.changes).map((p) => p.existing!.id);
  if (moved.length) await refreshRollups(tx, moved);
  // Assignments: one delete and one insert for the whole chunk.
  await writeAssignmentDiffs(
    tx,
    [...creates, ...updates.filter((u) => u.assignmentsChange)].map((p) => ({
      systemId: p.existing?.id ?? ids.get(p.row.fields.key)!,
      diff: p.diff,
    })),
  );
  // One audit event per changed system, in the file's order.
  return chunk.flatMap((p): AuditInput[] => {
    if (!p.existing) {
      const id = ids.get(p.row.fields.key)!;
      return [systemCreatedEvent(actor, id, p.row.fields, program!, { assigned: p.diff.added, via: "import" })];
    }
    if (!updates.includes(p)) return [];
    return [
      {
        ...auditActor(actor),
        action: "system.update",
        subjectType: "system",
        subjectId: p.existing.id,
        systemKey: p.existing.key,
        data: {
          changes: p.changes,
          ...(p.assignmentsChange ? auditedAssignments(p.diff) : {}),
          via: "import",
        },
      },
    ];
  });
}
