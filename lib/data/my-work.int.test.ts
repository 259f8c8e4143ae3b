// Queues hold only what a person can do (rule 14), late joiners are never born overdue (rule 13),
// and archived systems leave the figures and listings (rule 15) — against the seeded demo, through
// the same commands and route handlers the app uses.
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/data/actor";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { session } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

let database: AppTestDatabase;
let client: pg.Client;

async function userByEmail(email: string): Promise<SessionUser> {
  const { rows } = await client.query<SessionUser>(
    "SELECT id, email, name, role, seniority FROM app_user WHERE email = $1",
    [email],
  );
  return rows[0]!;
}
const actorOf = (u: SessionUser): Actor => ({
  kind: "user",
  id: u.id,
  email: u.email,
  role: u.role,
  seniority: u.seniority,
});

async function call(
  user: SessionUser,
  method: "GET" | "POST",
  url: string,
  route: string,
  params: Record<string, string> = {},
  body?: unknown,
) {
  session.user = user;
  const mod = (await import(path.resolve(route.replace(/^@\//, "")))) as Record<
    string,
    (request: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>
  >;
  const init: RequestInit =
    body === undefined
      ? { method }
      : { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
  const response = await mod[method]!(new Request(`http://test${url}`, init), { params: Promise.resolve(params) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  database = await createAppTestDatabase();
  client = database.client;
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("My work holds only what the person can do", () => {
  it("for every demo account: each item that needs them is accepted when they do it, each reviewer item waiting on others is refused, and the count is the list", async () => {
    const { DEMO_ACCOUNTS } = await import("@/prisma/seed");
    const { getMyWork } = await import("@/lib/data/my-work");
    const { addEvidence } = await import("@/lib/data/checkpoints/evidence");
    const { reviewCheckpoint } = await import("@/lib/data/checkpoints/review");
    const { submitCheckpoint } = await import("@/lib/data/checkpoints/submit");
    const { reviewChange } = await import("@/lib/data/change-commands");
    const acted: Record<string, number> = {};
    const changesActed: Record<string, number> = {};
    for (const account of DEMO_ACCOUNTS) {
      const user = await userByEmail(account.email);
      const actor = actorOf(user);
      const work = await getMyWork(actor);
      // "Needs you now" holds checkpoints and production changes awaiting the person's approval.
      expect(work.count).toBe(work.now.length + work.changes.length);
      // The API answers the same groups.
      const api = await call(user, "GET", "/api/v1/my-work", "@/app/api/v1/my-work/route");
      expect(api.status).toBe(200);
      expect((api.body.now as unknown[]).length + (api.body.changes as unknown[]).length).toBe(work.count);
      expect(api.body.count).toBe(work.count);
      for (const item of work.now) {
        expect(item.canAct, `${account.email} ${item.systemKey}/${item.milestone}`).toBe(true);
        const where = [actor, item.systemKey, item.milestone] as const;
        if (item.action === "review")
          await reviewCheckpoint(...where, { decision: "APPROVE", comment: "Checked.", version: item.version });
        else if (item.action === "submit") await submitCheckpoint(...where, { version: item.version });
        else await addEvidence(...where, { url: "https://example.com/evidence", title: "Evidence", kind: "DOC" });
      }
      for (const item of work.waiting.filter((i) => i.as === "reviewer")) {
        expect(item.canAct).toBe(false);
        expect(item.reason).toBeTruthy();
        await expect(
          reviewCheckpoint(actor, item.systemKey, item.milestone, {
            decision: "APPROVE",
            comment: "Trying.",
            version: item.version,
          }),
        ).rejects.toThrow();
      }
      // Every change counted is one the change gate lets them approve, and their approval counts.
      for (const change of work.changes) {
        expect(change.canAct).toBe(true);
        const { change: after } = await reviewChange(actor, change.id, { decision: "APPROVE", comment: "Checked." });
        expect(after.decision.approvals.some((a) => a.reviewer.email === account.email)).toBe(true);
      }
      acted[account.email] = work.now.length;
      changesActed[account.email] = work.changes.length;
    }
    // The demo promises work for the owner and the reviewer, and none the junior may not do.
    expect(acted["owner@resetboard.dev"]).toBeGreaterThan(0);
    expect(acted["reviewer@resetboard.dev"]).toBeGreaterThan(0);
    expect(acted["exec@resetboard.dev"]).toBe(0);
    // The demo has AI-assisted changes waiting on a senior: the senior reviewer is asked.
    expect(changesActed["reviewer@resetboard.dev"]).toBeGreaterThan(0);
    expect(changesActed["exec@resetboard.dev"]).toBe(0);
  });

  it("shows the owner the reviewer's comment on a checkpoint sent back", async () => {
    const { getMyWork } = await import("@/lib/data/my-work");
    const { rows } = await client.query<{ email: string; key: string; milestone: string; comment: string }>(
      `SELECT u.email, s.key, m.key AS milestone, r.comment
         FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id
         JOIN review r ON r.checkpoint_id = c.id AND r.round = c.round AND r.decision = 'REQUEST_CHANGES'
         JOIN assignment a ON a.system_id = s.id AND a.kind = 'OWNER' JOIN app_user u ON u.id = a.user_id
        WHERE c.status = 'CHANGES_REQUESTED' LIMIT 1`,
    );
    const sentBack = rows[0]!;
    const work = await getMyWork(actorOf(await userByEmail(sentBack.email)));
    const item = work.now.find((i) => i.systemKey === sentBack.key && i.milestone === sentBack.milestone);
    expect(item?.changesRequested?.comment).toBe(sentBack.comment);
  });
});

describe("the lead's queue in the API", () => {
  it("GET /api/v1/my-work answers a lead with the lead's queue the dashboard shows, and others with none", async () => {
    const { getLeadQueue } = await import("@/lib/data/lead-queue");
    const lead = await userByEmail("lead@resetboard.dev");
    const api = await call(lead, "GET", "/api/v1/my-work", "@/app/api/v1/my-work/route");
    expect(api.status).toBe(200);
    const queue = api.body.leadQueue as Awaited<ReturnType<typeof getLeadQueue>>;
    expect(queue).toEqual(JSON.parse(JSON.stringify(await getLeadQueue(actorOf(lead)))));
    // The demo holds systems deliberately without an eligible reviewer, each with its reason.
    expect(queue.noEligibleReviewer.total).toBeGreaterThan(0);
    for (const item of queue.noEligibleReviewer.items) expect(item.reason).toMatch(/^Needs \d approvals?/);
    expect(queue.longestReviews.total).toBeGreaterThan(0);
    for (const team of queue.overdueByTeam) {
      expect(team.checkpoints).toBeGreaterThan(0);
      for (const person of team.waitingOn) expect(["owner", "reviewer"]).toContain(person.as);
    }
    for (const email of ["owner@resetboard.dev", "junior@resetboard.dev", "exec@resetboard.dev"]) {
      const other = await call(await userByEmail(email), "GET", "/api/v1/my-work", "@/app/api/v1/my-work/route");
      expect(other.body.leadQueue, email).toBeNull();
    }
  });
});

describe("assignment warnings", () => {
  it("PUT assignments warns, per milestone, when the reviewers left cannot reach the quorum", async () => {
    const lead = await userByEmail("lead@resetboard.dev");
    const { rows } = await client.query<{ key: string; owner: string; senior: string }>(
      `SELECT s.key,
              (SELECT u.email FROM assignment a JOIN app_user u ON u.id = a.user_id WHERE a.system_id = s.id AND a.kind = 'OWNER' LIMIT 1) AS owner,
              (SELECT u.email FROM app_user u WHERE u.role = 'ENGINEER' AND u.seniority = 'PRINCIPAL' AND u.active
                  AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.system_id = s.id AND a.user_id = u.id AND a.kind = 'OWNER') LIMIT 1) AS senior
         FROM system s WHERE s.tier = 'TIER_0' AND s.archived_at IS NULL ORDER BY s.key LIMIT 1`,
    );
    const { key, owner, senior } = rows[0]!;
    const route = "@/app/api/v1/systems/[key]/assignments/route";
    session.user = lead;
    const put = async (reviewers: string[]) => {
      const mod = (await import(path.resolve(route.replace(/^@\//, "")))) as {
        PUT: (r: Request, s: { params: Promise<{ key: string }> }) => Promise<Response>;
      };
      // A replacing write carries the assignments version it saw.
      const { rows: seen } = await client.query<{ version: number }>(
        "SELECT assignments_version AS version FROM system WHERE key = $1",
        [key],
      );
      const body = JSON.stringify({ owners: [owner], reviewers, version: seen[0]!.version });
      const response = await mod.PUT(
        new Request(`http://test/api/v1/systems/${key}/assignments`, {
          method: "PUT",
          body,
          headers: { "Content-Type": "application/json" },
        }),
        { params: Promise.resolve({ key }) },
      );
      return {
        status: response.status,
        body: (await response.json()) as {
          warnings: string[];
          checkpoints: { noEligibleReviewer: string | null; status: string }[];
        },
      };
    };
    // One principal on a Tier 0 system: two approvals are needed, so every open milestone warns.
    const one = await put([senior]);
    expect(one.status).toBe(200);
    // (A submitted one with an approval already standing may still make it, so not every one.)
    const open = one.body.checkpoints.filter(
      (c) => c.status !== "APPROVED" && c.status !== "WAIVED" && c.status !== "SUBMITTED",
    );
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((c) => c.noEligibleReviewer !== null)).toBe(true);
    expect(one.body.warnings.length).toBeGreaterThanOrEqual(open.length);
    expect(one.body.warnings[0]).toMatch(/Needs 2 approvals .* only 1 can/);
  });
});

describe("late joiners", () => {
  it("POST /api/v1/systems on a day of the program returns no overdue checkpoint, and the overdue figures do not move", async () => {
    const { computeProgress } = await import("@/lib/data/progress");
    const lead = await userByEmail("lead@resetboard.dev");
    // Today is well inside the program whatever the calendar says: move the start 40 days back.
    await client.query("UPDATE program SET starts_on = current_date - 40 WHERE active");
    await client.query(
      "UPDATE checkpoint c SET due_on = p.starts_on + m.due_day FROM milestone m JOIN program p ON p.id = m.program_id WHERE c.milestone_id = m.id AND p.active",
    );
    const before = await computeProgress(new Date(Date.now() + 1));
    const created = await call(
      lead,
      "POST",
      "/api/v1/systems",
      "@/app/api/v1/systems/route",
      {},
      { key: "late-joiner", name: "Late joiner", team: "Payments", tier: "TIER_1" },
    );
    expect(created.status).toBe(201);
    const checkpoints = created.body.checkpoints as { health: string; dueOn: string }[];
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.filter((c) => c.health === "OVERDUE")).toEqual([]);
    expect(created.body.joinedOn).toBe(new Date().toISOString().slice(0, 10));
    const after = await computeProgress(new Date(Date.now() + 2));
    expect(after!.totals.overdue).toBe(before!.totals.overdue);
    expect(after!.systems.overdue).toBe(before!.systems.overdue);
    expect(after!.systems.total).toBe(before!.systems.total + 1);
  });
});

describe("archive", () => {
  it("archiving lowers systems.total and hides the system from the listing unless asked; unarchiving restores both; both are audited", async () => {
    const lead = await userByEmail("lead@resetboard.dev");
    const { rows } = await client.query<{ key: string }>(
      "SELECT key FROM system WHERE archived_at IS NULL ORDER BY key LIMIT 1",
    );
    const key = rows[0]!.key;
    const progress = async () =>
      ((await call(lead, "GET", "/api/v1/progress", "@/app/api/v1/progress/route")).body.systems as { total: number })
        .total;
    const listed = async (query = "") => {
      const page = await call(
        lead,
        "GET",
        `/api/v1/systems?q=${key}&pageSize=200${query}`,
        "@/app/api/v1/systems/route",
      );
      return (page.body.items as { key: string }[]).some((s) => s.key === key);
    };
    const total = await progress();
    expect(await listed()).toBe(true);

    const refused = await call(
      await userByEmail("owner@resetboard.dev"),
      "POST",
      `/api/v1/systems/${key}/archive`,
      "@/app/api/v1/systems/[key]/archive/route",
      { key },
      { reason: "Retired" },
    );
    expect(refused.status).toBe(403);
    const noReason = await call(
      lead,
      "POST",
      `/api/v1/systems/${key}/archive`,
      "@/app/api/v1/systems/[key]/archive/route",
      { key },
      { reason: " " },
    );
    expect(noReason.status).toBe(400);

    const archived = await call(
      lead,
      "POST",
      `/api/v1/systems/${key}/archive`,
      "@/app/api/v1/systems/[key]/archive/route",
      { key },
      { reason: "Retired test system" },
    );
    expect(archived.status).toBe(200);
    expect(await progress()).toBe(total - 1);
    expect(await listed()).toBe(false);
    expect(await listed("&archived=include")).toBe(true);
    expect(await listed("&archived=only")).toBe(true);
    const again = await call(
      lead,
      "POST",
      `/api/v1/systems/${key}/archive`,
      "@/app/api/v1/systems/[key]/archive/route",
      { key },
      { reason: "Twice" },
    );
    expect(again.status).toBe(422);
    // Its page still answers, says archived, and keeps its checkpoints.
    const detail = await call(lead, "GET", `/api/v1/systems/${key}`, "@/app/api/v1/systems/[key]/route", { key });
    expect(detail.body.archived).toMatchObject({ reason: "Retired test system" });
    expect((detail.body.checkpoints as unknown[]).length).toBeGreaterThan(0);

    const restored = await call(
      lead,
      "POST",
      `/api/v1/systems/${key}/unarchive`,
      "@/app/api/v1/systems/[key]/unarchive/route",
      { key },
      { reason: "Back in service" },
    );
    expect(restored.status).toBe(200);
    expect(await progress()).toBe(total);
    expect(await listed()).toBe(true);
    const events = await client.query<{ action: string; reason: string }>(
      "SELECT action, data->>'reason' AS reason FROM audit_event WHERE system_key = $1 AND action LIKE 'system.%archive' ORDER BY seq",
      [key],
    );
    expect(events.rows).toEqual([
      { action: "system.archive", reason: "Retired test system" },
      { action: "system.unarchive", reason: "Back in service" },
    ]);
  });

  it("takes an archived system out of My work", async () => {
    const { getMyWork } = await import("@/lib/data/my-work");
    const owner = await userByEmail("owner@resetboard.dev");
    const work = await getMyWork(actorOf(owner), new Date(Date.now() + 3));
    const item = [...work.now, ...work.waiting, ...work.later][0]!;
    const lead = await userByEmail("lead@resetboard.dev");
    await call(
      lead,
      "POST",
      `/api/v1/systems/${item.systemKey}/archive`,
      "@/app/api/v1/systems/[key]/archive/route",
      { key: item.systemKey },
      { reason: "Retired" },
    );
    const after = await getMyWork(actorOf(owner), new Date(Date.now() + 4));
    expect([...after.now, ...after.waiting, ...after.later].some((i) => i.systemKey === item.systemKey)).toBe(false);
  });
});
