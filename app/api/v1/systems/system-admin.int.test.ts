// The registry's write API against a real Postgres: POST /api/v1/systems and
// PUT /api/v1/systems/{key}/assignments, and the due-date override commands. Identity is
// injected at the session getter; validation, authorization, writes and audit are real.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { routeHandler, session } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const ROOT = path.resolve("app", "api", "v1", "systems");

let db: AppTestDatabase;
const people = {} as Record<"lead" | "exec" | "owner" | "reviewer" | "junior", SessionUser>;

async function call(
  who: keyof typeof people,
  method: "POST" | "PUT",
  file: string,
  params: Record<string, string>,
  body: unknown,
) {
  const handler = await routeHandler(path.join(ROOT, file), method);
  session.user = people[who];
  const request = new Request("http://test/api/v1/systems", {
    method,
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const create = (who: keyof typeof people, body: unknown) => call(who, "POST", "route.ts", {}, body);
const assignmentsVersion = async (key: string) =>
  (await db.client.query<{ v: number }>("SELECT assignments_version AS v FROM system WHERE key = $1", [key])).rows[0]
    ?.v ?? 1;
// The assignments version is required (428 without it); these tests send the current one.
const assign = async (who: keyof typeof people, key: string, body: unknown) =>
  call(
    who,
    "PUT",
    "[key]/assignments/route.ts",
    { key },
    typeof body === "object" && body !== null ? { version: await assignmentsVersion(key), ...body } : body,
  );

async function state() {
  const { rows } = await db.client.query<{
    systems: string;
    checkpoints: string;
    assignments: string;
    events: string;
    denied: string;
  }>(
    `SELECT (SELECT count(*) FROM system) AS systems, (SELECT count(*) FROM checkpoint) AS checkpoints,
            (SELECT count(*) FROM assignment) AS assignments, (SELECT count(*) FROM audit_event WHERE action <> 'authz.denied') AS events,
            (SELECT count(*) FROM audit_event WHERE action = 'authz.denied') AS denied`,
  );
  return rows[0]!;
}

beforeAll(async () => {
  db = await createAppTestDatabase();
  const pick = async (email: string) =>
    (
      await db.client.query<SessionUser>("SELECT id, email, name, role, seniority FROM app_user WHERE email = $1", [
        email,
      ])
    ).rows[0]!;
  people.lead = await pick("lead@resetboard.dev");
  people.exec = await pick("exec@resetboard.dev");
  people.owner = await pick("owner@resetboard.dev");
  people.reviewer = await pick("reviewer@resetboard.dev");
  people.junior = await pick("junior@resetboard.dev");
}, 120_000);

afterAll(async () => {
  await db?.close();
});

const NEW = {
  key: "ledger-replay",
  name: "Ledger Replay",
  team: "Payments",
  tier: "TIER_0",
  aiAssisted: true,
  description: "Replays the ledger",
  repoUrl: "https://git.example.com/ledger-replay",
};

describe("POST /api/v1/systems", () => {
  it("creates the system with a checkpoint per milestone due by the schedule (rule 13 once the program is under way), and one audit event", async () => {
    const before = await state();
    const response = await create("lead", NEW);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({
      key: "ledger-replay",
      name: "Ledger Replay",
      team: "Payments",
      tier: "TIER_0",
      aiAssisted: true,
      owners: [],
      reviewers: [],
    });
    expect(response.body.progress).toEqual({ approved: 0, waived: 0, total: 8 });
    const { rows } = await db.client.query<{
      key: string;
      due: string;
      due_day: number;
      starts_on: Date;
      duration_days: number;
      joined_on: string | null;
    }>(
      `SELECT m.key, c.due_on::text AS due, m.due_day, p.starts_on, p.duration_days, s.joined_on::text AS joined_on FROM checkpoint c
         JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id
        WHERE s.key = 'ledger-replay' ORDER BY m.sequence`,
    );
    expect(rows).toHaveLength(8);
    // Start + due day before the program starts; from the join day once it is under way.
    const { dueOnFor, isoDay, joinedOnFor } = await import("@/lib/domain/schedule");
    const program = { startsOn: rows[0]!.starts_on, durationDays: rows[0]!.duration_days };
    const joinedOn = joinedOnFor(program, new Date());
    expect(rows[0]!.joined_on).toBe(joinedOn ? isoDay(joinedOn) : null);
    for (const row of rows) expect(row.due).toBe(isoDay(dueOnFor(program, row.due_day, joinedOn)));
    const after = await state();
    expect(Number(after.systems) - Number(before.systems)).toBe(1);
    expect(Number(after.events) - Number(before.events)).toBe(1);
    const event = await db.client.query("SELECT action, system_key, data FROM audit_event ORDER BY seq DESC LIMIT 1");
    expect(event.rows[0]).toMatchObject({
      action: "system.create",
      system_key: "ledger-replay",
      data: { tier: "TIER_0", checkpoints: 8 },
    });
  });

  it("answers a duplicate key with 409 naming the key field, and writes nothing", async () => {
    const before = await state();
    const response = await create("lead", { ...NEW, name: "Another" });
    expect(response.status).toBe(409);
    expect(response.body.errors.key[0]).toMatch(/already exists/);
    expect(await state()).toEqual(before);
  });

  it("answers invalid fields with 400 and an error per field, and writes nothing", async () => {
    const before = await state();
    const response = await create("lead", {
      key: "Bad Key",
      name: " ",
      team: "=cmd()",
      tier: "TIER_9",
      repoUrl: "javascript:alert(1)",
      runbookUrl: "ftp://x",
    });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors).sort()).toEqual(["key", "name", "repoUrl", "runbookUrl", "team", "tier"]);
    expect(response.body.errors.repoUrl[0]).toMatch(/http/);
    expect((await create("lead", "{not json")).status).toBe(400);
    expect((await create("lead", { ...NEW, key: "new" })).body.errors.key[0]).toMatch(/reserved/);
    expect(await state()).toEqual(before);
  });

  it("refuses engineers and executives with 403, writing only the refusal", async () => {
    const before = await state();
    for (const who of ["owner", "exec"] as const)
      expect((await create(who, { ...NEW, key: `by-${who}` })).status).toBe(403);
    const after = await state();
    expect({ ...after, denied: undefined }).toEqual({ ...before, denied: undefined });
    expect(Number(after.denied) - Number(before.denied)).toBe(2);
  });
});

describe("PUT /api/v1/systems/{key}/assignments", () => {
  it("replaces owners and reviewers and audits who was added and removed", async () => {
    let response = await assign("lead", "ledger-replay", {
      owners: ["owner@resetboard.dev"],
      reviewers: ["reviewer@resetboard.dev"],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.owners.map((u: { email: string }) => u.email)).toEqual(["owner@resetboard.dev"]);
    expect(response.body.reviewers[0]).toMatchObject({ email: "reviewer@resetboard.dev", seniority: "SENIOR" });
    // The owner becomes a reviewer and the junior an owner: one person, one row per system.
    response = await assign("lead", "ledger-replay", {
      owners: ["JUNIOR@resetboard.dev"],
      reviewers: ["reviewer@resetboard.dev", "owner@resetboard.dev"],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.owners.map((u: { email: string }) => u.email)).toEqual(["junior@resetboard.dev"]);
    const event = await db.client.query("SELECT action, data FROM audit_event ORDER BY seq DESC LIMIT 1");
    expect(event.rows[0].action).toBe("assignment.set");
    expect(event.rows[0].data.added).toEqual(
      expect.arrayContaining([
        { email: "junior@resetboard.dev", kind: "OWNER" },
        { email: "owner@resetboard.dev", kind: "REVIEWER" },
      ]),
    );
    expect(event.rows[0].data.removed).toEqual([{ email: "owner@resetboard.dev", kind: "OWNER" }]);
  });

  it("writes nothing, not even an event, when nothing changes", async () => {
    const before = await state();
    const response = await assign("lead", "ledger-replay", {
      owners: ["junior@resetboard.dev"],
      reviewers: ["reviewer@resetboard.dev", "owner@resetboard.dev"],
    });
    expect(response.status).toBe(200);
    expect(await state()).toEqual(before);
  });

  it("answers unknown or unassignable emails, and a person on both lists, with 400 per field, and writes nothing", async () => {
    const before = await state();
    let response = await assign("lead", "ledger-replay", {
      owners: ["nobody@example.com"],
      reviewers: ["exec@resetboard.dev"],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.owners[0]).toMatch(/No user has the email nobody@example.com/);
    expect(response.body.errors.reviewers[0]).toMatch(/executive/);
    response = await assign("lead", "ledger-replay", {
      owners: ["owner@resetboard.dev"],
      reviewers: ["owner@resetboard.dev"],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.reviewers[0]).toMatch(/cannot both own and review/);
    response = await assign("lead", "ledger-replay", { owners: "owner@resetboard.dev" });
    expect(response.status).toBe(400);
    expect((await assign("lead", "no-such-system", { owners: [], reviewers: [] })).status).toBe(404);
    expect(await state()).toEqual(before);
  });

  it("refuses non-leads with 403, writing only the refusal", async () => {
    const before = await state();
    expect((await assign("owner", "ledger-replay", { owners: ["owner@resetboard.dev"], reviewers: [] })).status).toBe(
      403,
    );
    const after = await state();
    expect(after.assignments).toBe(before.assignments);
    expect(Number(after.denied) - Number(before.denied)).toBe(1);
  });

  it("records the reason the edit page's confirmation asks for in the audit event of a removal", async () => {
    const { setAssignmentsAction } = await import("@/app/(app)/systems/[key]/edit/actions");
    session.user = people.lead;
    const form = new FormData();
    form.set("systemKey", "ledger-replay");
    form.set("version", String(await assignmentsVersion("ledger-replay")));
    form.append("owners", "junior@resetboard.dev");
    form.append("reviewers", "reviewer@resetboard.dev");
    form.set("reason", "Moved to the identity team");
    const result = await setAssignmentsAction(null, form);
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    const event = await db.client.query("SELECT action, data FROM audit_event ORDER BY seq DESC LIMIT 1");
    expect(event.rows[0].action).toBe("assignment.set");
    expect(event.rows[0].data.removed).toEqual([{ email: "owner@resetboard.dev", kind: "REVIEWER" }]);
    expect(event.rows[0].data.reason).toBe("Moved to the identity team");
    // Through the API too, where a reason is optional; a control character in it is refused.
    const bad = await assign("lead", "ledger-replay", { owners: [], reviewers: [], reason: "bell\u0007" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.reason).toBeDefined();
  });

  it("tells the edit page how many submitted checkpoints a removed reviewer leaves", async () => {
    const { getSystemForEdit } = await import("@/lib/data/system-admin");
    const { rows } = await db.client.query<{ key: string; n: number }>(
      `SELECT s.key, count(*)::int AS n FROM checkpoint c JOIN system s ON s.id = c.system_id
         JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active
        WHERE c.status = 'SUBMITTED' GROUP BY s.key ORDER BY n DESC LIMIT 1`,
    );
    expect(rows[0]?.n, "the seeded demo has a system waiting on a review").toBeGreaterThan(0);
    const lead = { kind: "user" as const, ...people.lead };
    expect((await getSystemForEdit(lead, rows[0]!.key)).submittedCheckpoints).toBe(rows[0]!.n);
    expect((await getSystemForEdit(lead, "ledger-replay")).submittedCheckpoints).toBe(0);
  });
});

describe("due-date overrides", () => {
  it("moves a due date with a reason, bumps the version, audits, and clears back to start + dueDay", async () => {
    const { overrideDueDate, clearDueDateOverride } = await import("@/lib/data/checkpoints/due-date");
    const { getSystemDetail } = await import("@/lib/data/checkpoints/system-detail");
    const lead = {
      kind: "user" as const,
      id: people.lead.id,
      email: people.lead.email,
      role: people.lead.role,
      seniority: people.lead.seniority,
    };
    const before = (await getSystemDetail(lead, "ledger-replay")).checkpoints.find((c) => c.milestone === "rollback")!;
    await expect(
      overrideDueDate(lead, "ledger-replay", "rollback", { dueOn: "2027-01-15", reason: " " }),
    ).rejects.toMatchObject({ status: 400 });
    await overrideDueDate(lead, "ledger-replay", "rollback", {
      dueOn: "2027-01-15",
      reason: "Vendor freeze until January",
      version: before.version,
    });
    const moved = (await getSystemDetail(lead, "ledger-replay")).checkpoints.find((c) => c.milestone === "rollback")!;
    expect(moved).toMatchObject({
      dueOn: "2027-01-15",
      version: before.version + 1,
      dueOnOverride: { reason: "Vendor freeze until January", by: { email: "lead@resetboard.dev" } },
    });
    await expect(
      overrideDueDate(lead, "ledger-replay", "rollback", {
        dueOn: "2027-01-20",
        reason: "again",
        version: before.version,
      }),
    ).rejects.toMatchObject({ status: 409 });
    const owner = {
      kind: "user" as const,
      id: people.owner.id,
      email: people.owner.email,
      role: people.owner.role,
      seniority: people.owner.seniority,
    };
    await expect(
      overrideDueDate(owner, "ledger-replay", "rollback", { dueOn: "2027-01-20", reason: "mine" }),
    ).rejects.toMatchObject({ status: 403 });
    await clearDueDateOverride(lead, "ledger-replay", "rollback", { version: moved.version });
    const back = (await getSystemDetail(lead, "ledger-replay")).checkpoints.find((c) => c.milestone === "rollback")!;
    expect(back).toMatchObject({ dueOn: before.dueOn, dueOnOverride: null, version: moved.version + 1 });
    const events = await db.client.query(
      "SELECT action, data FROM audit_event WHERE system_key = 'ledger-replay' AND action LIKE 'checkpoint.due%' ORDER BY seq",
    );
    expect(events.rows.map((e) => e.action)).toEqual(["checkpoint.due_override", "checkpoint.due_override_clear"]);
    expect(events.rows[0].data).toMatchObject({
      from: before.dueOn,
      to: "2027-01-15",
      reason: "Vendor freeze until January",
    });
  });
});

describe("editing a system", () => {
  it("saves changed fields with an audit event of what changed, and refuses a stale edit", async () => {
    const { getSystemForEdit, updateSystem } = await import("@/lib/data/system-admin");
    const lead = {
      kind: "user" as const,
      id: people.lead.id,
      email: people.lead.email,
      role: people.lead.role,
      seniority: people.lead.seniority,
    };
    const loaded = await getSystemForEdit(lead, "ledger-replay");
    const saved = await updateSystem(lead, "ledger-replay", {
      ...loaded,
      tier: "TIER_1",
      runbookUrl: "",
      expectedUpdatedAt: loaded.updatedAt,
    });
    expect(saved).toMatchObject({ tier: "TIER_1", runbookUrl: "" });
    const event = await db.client.query("SELECT action, data FROM audit_event ORDER BY seq DESC LIMIT 1");
    expect(event.rows[0]).toMatchObject({
      action: "system.update",
      data: { changes: { tier: { from: "TIER_0", to: "TIER_1" } } },
    });
    const before = await state();
    await expect(
      updateSystem(lead, "ledger-replay", { ...loaded, name: "Stale", expectedUpdatedAt: loaded.updatedAt }),
    ).rejects.toMatchObject({ status: 409 });
    expect(await state()).toEqual(before);
  });
});

describe("the import page's route handler", () => {
  const run = async (
    who: keyof typeof people | null,
    mode: "preview" | "apply",
    csv: string,
    headers: Record<string, string> = {},
  ) => {
    const { POST } = (await import(path.resolve("app", "(app)", "systems", "import", "run", "route.ts"))) as {
      POST: (request: Request) => Promise<Response>;
    };
    session.user = who ? people[who] : null;
    const body = new FormData();
    body.set("mode", mode);
    body.set("file", new File([csv], "systems.csv", { type: "text/csv" }));
    return POST(
      new Request("http://test/systems/import/run", { method: "POST", body, headers: { host: "test", ...headers } }),
    );
  };
  const CSV =
    "key,name,team,tier,ai_assisted,description,repo_url,runbook_url,owners,reviewers\nroute-import,Route Import,Payments,TIER_2,false,,,,owner@resetboard.dev,reviewer@resetboard.dev\n";

  it("refuses anonymous callers, non-leads and other sites' pages before reading the file", async () => {
    const before = await state();
    expect((await run(null, "apply", CSV)).status).toBe(401);
    expect((await run("owner", "apply", CSV)).status).toBe(403);
    expect((await run("lead", "apply", CSV, { origin: "https://evil.example" })).status).toBe(403);
    const after = await state();
    expect({ ...after, denied: undefined }).toEqual({ ...before, denied: undefined });
  });

  it("previews as JSON, then streams progress and the result of apply as NDJSON", async () => {
    const preview = await run("lead", "preview", CSV);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({ rows: 1, create: 1, errors: [], applied: false });
    const applied = await run("lead", "apply", CSV);
    expect(applied.headers.get("content-type")).toBe("application/x-ndjson");
    const events = (await applied.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events[0]).toEqual({ type: "progress", done: 1, total: 1 });
    expect(events.at(-1)).toMatchObject({ type: "result", report: { applied: true, create: 1 } });
    const { rows } = await db.client.query(
      "SELECT count(*) AS n FROM checkpoint c JOIN system s ON s.id = c.system_id WHERE s.key = 'route-import'",
    );
    expect(rows[0].n).toBe("8");
  });
});
