// The per-system roll-up against a real Postgres: after the seed, after every command that moves
// a checkpoint, and after random histories written behind the commands' backs, the stored rows
// equal a fresh recomputation from the checkpoints, and every figure of GET /api/v1/progress and
// every listed system's health and progress equal the old full-aggregate computation (kept as
// test-only code in tests/legacy-figures.ts).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/data/actor";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { legacyProgress, legacySystemFigures } from "@/tests/legacy-figures";
import { countSql } from "@/tests/sql-counter";
import { session } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));

let db: AppTestDatabase;
const actors = {} as Record<"lead" | "owner" | "reviewer" | "exec", Actor & { kind: "user" }>;
const users = {} as Record<keyof typeof actors, SessionUser>;

beforeAll(async () => {
  db = await createAppTestDatabase();
  const emails = {
    lead: "lead@resetboard.dev",
    owner: "owner@resetboard.dev",
    reviewer: "reviewer@resetboard.dev",
    exec: "exec@resetboard.dev",
  } as const;
  for (const [who, email] of Object.entries(emails) as [keyof typeof actors, string][]) {
    const { rows } = await db.client.query<SessionUser>(
      "SELECT id, email, name, role, seniority FROM app_user WHERE email = $1",
      [email],
    );
    users[who] = rows[0]!;
    actors[who] = { kind: "user", id: rows[0]!.id, email, role: rows[0]!.role, seniority: rows[0]!.seniority };
  }
});

afterAll(async () => {
  await db?.close();
});

/** The stored rows, in the shape lib/data/rollup.ts writes them. */
async function storedRows() {
  const { rows } = await db.client.query(`
    SELECT system_id, total, not_started, in_progress, submitted, approved, changes_requested, waived,
           current_sequence, current_milestone_id, next_due_on::text AS next_due_on, next_due_milestone_id, next_due_checkpoint_id,
           unsubmitted_due_on::text AS unsubmitted_due_on, unsubmitted_checkpoint_id,
           to_char(oldest_submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS oldest_submitted_at, progress_rank
      FROM system_rollup ORDER BY system_id`);
  return rows;
}

/** What the domain code computes from the checkpoints as they are now, for every system. */
async function freshRows() {
  const { computeRollups, rollupRow } = await import("@/lib/data/rollup");
  const rollups = await computeRollups((text, values) => db.client.query(text, values).then((r) => r.rows), null);
  return [...rollups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, r]) => rollupRow(id, r));
}

async function marked(): Promise<number> {
  return (await db.client.query<{ n: number }>("SELECT count(*)::int AS n FROM system_rollup_dirty")).rows[0]!.n;
}

const byCell = (a: { cell: string }, b: { cell: string }) => (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0);

async function expectRollupsCurrent() {
  expect(await storedRows()).toEqual(await freshRows());
  const { computeTally } = await import("@/lib/data/rollup");
  const { rows } = await db.client.query(
    "SELECT cell, milestone_id, team, tier::text AS tier, status::text AS status, due_on::text AS due_on, completed_on::text AS completed_on, n FROM checkpoint_tally WHERE n > 0",
  );
  const fresh = await computeTally((text, values) => db.client.query(text, values).then((r) => r.rows));
  expect(rows.sort(byCell)).toEqual(fresh.sort(byCell));
}

async function progressBody(now: Date) {
  const { GET } = await import("@/app/api/v1/progress/route");
  vi.useFakeTimers({ now, toFake: ["Date"] });
  try {
    const response = await GET(new Request("http://test/api/v1/progress"), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    return await response.json();
  } finally {
    vi.useRealTimers();
  }
}

/** Every figure of GET /api/v1/progress and every listed system's figures, against the old computation. */
async function expectFiguresAsBefore(now: Date, order: "dashboard first" | "registry first" = "dashboard first") {
  session.user = users.exec;
  const { computeProgress } = await import("@/lib/data/progress");
  const { listAllSystems } = await import("@/lib/data/systems");
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const registry = async () => {
    const listed = await listAllSystems(actors.exec, {}, today);
    const before = await legacySystemFigures(today);
    expect(listed.length).toBe(before.size);
    for (const item of listed) {
      expect({
        key: item.key,
        health: item.health,
        progress: item.progress,
        nextDue: item.nextDue,
        currentMilestone: item.currentMilestone?.key ?? null,
      }).toEqual(before.get(item.key));
    }
  };
  // Whichever read comes first finds the marked systems and brings their roll-ups up to date.
  if (order === "registry first") await registry();
  const current = await computeProgress(now);
  // The old computation counts the same rows (the new read lapsed any expired waiver first).
  expect(current).toEqual(await legacyProgress(now));
  if (order === "dashboard first") await registry();
}

describe("the per-system roll-up", () => {
  it("is complete and current after the seed", async () => {
    expect((await storedRows()).length).toBe(30);
    await expectRollupsCurrent();
    expect(await marked()).toBe(0);
  });

  it("gives the same figures as the full aggregate on the seeded demo, today and on other days", async () => {
    for (const at of ["2026-11-27T12:00:00Z", "2026-10-20T08:00:00Z", "2026-12-20T23:00:00Z"])
      await expectFiguresAsBefore(new Date(at));
    // And through the API's JSON, every figure.
    const now = new Date("2026-11-27T12:00:00Z");
    session.user = users.exec;
    const body = await progressBody(now);
    const legacy = JSON.parse(JSON.stringify(await legacyProgress(now)));
    for (const key of Object.keys(legacy).filter((k) => k !== "asOf")) expect(body[key]).toEqual(legacy[key]);
  });

  it("stays current after every command that moves a checkpoint, and clears its own marks", async () => {
    const { createSystem, setAssignments } = await import("@/lib/data/system-admin");
    const { overrideDueDate, clearDueDateOverride } = await import("@/lib/data/checkpoints/due-date");
    const { addEvidence, withdrawEvidence } = await import("@/lib/data/checkpoints/evidence");
    const { submitCheckpoint } = await import("@/lib/data/checkpoints/submit");
    const { reviewCheckpoint } = await import("@/lib/data/checkpoints/review");
    const { grantWaiver, revokeWaiver } = await import("@/lib/data/checkpoints/waivers");
    const { getSystemDetail } = await import("@/lib/data/checkpoints/system-detail");
    const { lapseDueWaivers } = await import("@/lib/data/checkpoints/waiver-lapse");
    const { applyImport } = await import("@/lib/data/import");
    const { getProgramSettings, updateProgramSettings } = await import("@/lib/data/program-settings");
    const { lead, owner, reviewer } = actors;
    const after = async (what: string, step: () => Promise<unknown>) => {
      await step();
      expect(await marked(), `${what} left a system marked`).toBe(0);
      await expectRollupsCurrent();
    };
    const version = async (milestone: string) =>
      (await getSystemDetail(lead, "rollup-probe")).checkpoints.find((c) => c.milestone === milestone)!.version;
    const evidence = { url: "https://docs.example.com/probe", title: "Catalogue entry", kind: "DOC" };

    await after("create", () =>
      createSystem(lead, { key: "rollup-probe", name: "Roll-up probe", team: "Payments", tier: "TIER_1" }),
    );
    const { rows: versions } = await db.client.query<{ v: number }>(
      "SELECT assignments_version AS v FROM system WHERE key = 'rollup-probe'",
    );
    await setAssignments(lead, "rollup-probe", {
      owners: [owner.email],
      reviewers: [reviewer.email],
      version: versions[0]!.v,
    });
    await after("evidence", () => addEvidence(owner, "rollup-probe", "inventory", evidence));
    await after("submit", async () =>
      submitCheckpoint(owner, "rollup-probe", "inventory", { version: await version("inventory") }),
    );
    await after("request changes", async () =>
      reviewCheckpoint(reviewer, "rollup-probe", "inventory", {
        decision: "REQUEST_CHANGES",
        comment: "Link the owner list",
        version: await version("inventory"),
      }),
    );
    const added = await addEvidence(owner, "rollup-probe", "inventory", {
      ...evidence,
      url: "https://docs.example.com/probe-2",
    });
    await after("resubmit", async () =>
      submitCheckpoint(owner, "rollup-probe", "inventory", { version: await version("inventory") }),
    );
    await after("approve", async () =>
      reviewCheckpoint(reviewer, "rollup-probe", "inventory", {
        decision: "APPROVE",
        comment: "",
        version: await version("inventory"),
      }),
    );
    await after("withdraw", () =>
      withdrawEvidence(owner, "rollup-probe", "inventory", added.id, { reason: "Wrong link" }),
    );
    await after("waive", () =>
      grantWaiver(lead, "rollup-probe", "access-review", { reason: "Vendor system", expiresOn: "2027-01-10" }),
    );
    await after("revoke", async () =>
      revokeWaiver(lead, "rollup-probe", "access-review", {
        reason: "Back in scope",
        version: await version("access-review"),
      }),
    );
    const { bulkSetTeam, bulkSetTier } = await import("@/lib/data/systems-bulk");
    // Bulk edits carry the version (updatedAt) of each system they saw.
    const seen = async () => {
      const { rows: at } = await db.client.query<{ at: Date }>(
        "SELECT updated_at AS at FROM system WHERE key = 'rollup-probe'",
      );
      return { "rollup-probe": at[0]!.at.toISOString() };
    };
    await after("team", async () =>
      bulkSetTeam(lead, { systems: ["rollup-probe"], team: "Platform", seen: await seen() }),
    );
    await after("tier", async () =>
      bulkSetTier(lead, { systems: ["rollup-probe"], tier: "TIER_0", seen: await seen() }),
    );
    await after("override", async () =>
      overrideDueDate(lead, "rollup-probe", "risk-assessment", {
        dueOn: "2026-11-01",
        reason: "Audit date",
        version: await version("risk-assessment"),
      }),
    );
    await after("clear override", async () =>
      clearDueDateOverride(lead, "rollup-probe", "risk-assessment", { version: await version("risk-assessment") }),
    );
    await grantWaiver(lead, "rollup-probe", "rollback", { reason: "Stateless", expiresOn: "2027-01-02" });
    await after("lapse", () => lapseDueWaivers(new Date("2027-01-05T00:00:00Z")));
    expect(
      (await getSystemDetail(lead, "rollup-probe")).checkpoints.find((c) => c.milestone === "rollback")!.status,
    ).toBe("NOT_STARTED");
    await after("import", () =>
      applyImport(
        lead,
        "key,name,team,tier,ai_assisted,description,repo_url,runbook_url,owners,reviewers\nrollup-import,Imported,Payments,TIER_2,false,,,,,\n",
      ),
    );
    const settings = (await getProgramSettings(lead))!;
    await after("reschedule", () =>
      updateProgramSettings(lead, {
        version: settings.version,
        name: settings.name,
        startsOn: settings.startsOn,
        milestones: settings.milestones.map((m) => ({
          ...m,
          dueDay: m.key === "final-signoff" ? m.dueDay - 1 : m.dueDay,
        })),
      }),
    );
    await expectFiguresAsBefore(new Date("2026-11-27T12:00:00Z"));
  });

  it("marks a system whose done checkpoint only moved its completion day (the burn-up counts that day)", async () => {
    const { rows } = await db.client.query<{ id: string }>(
      "SELECT id FROM checkpoint WHERE status = 'APPROVED' AND completed_at IS NOT NULL ORDER BY id LIMIT 1",
    );
    expect(rows).toHaveLength(1);
    await db.client.query("UPDATE checkpoint SET completed_at = completed_at - interval '3 days' WHERE id = $1", [
      rows[0]!.id,
    ]);
    expect(await marked()).toBe(1);
    await expectFiguresAsBefore(new Date("2026-11-27T12:00:00Z"));
    expect(await marked()).toBe(0);
    await expectRollupsCurrent();
  });

  it("refreshes a system changed behind the commands' back on the next read (property: random histories)", async () => {
    const { rows: checkpoints } = await db.client.query<{ id: string }>("SELECT id FROM checkpoint ORDER BY id");
    const statuses = ["NOT_STARTED", "IN_PROGRESS", "SUBMITTED", "APPROVED", "CHANGES_REQUESTED", "WAIVED"] as const;
    const change = fc.record({
      checkpoint: fc.integer({ min: 0, max: checkpoints.length - 1 }),
      status: fc.constantFrom(...statuses),
      dueShift: fc.integer({ min: -20, max: 20 }),
      hour: fc.integer({ min: 0, max: 1500 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(change, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: -30, max: 80 }),
        fc.boolean(),
        async (history, day, registryFirst) => {
          for (const c of history) {
            const at = new Date(Date.UTC(2026, 9, 18) + c.hour * 3_600_000).toISOString();
            if (c.hour % 7 === 0)
              await db.client.query(
                "UPDATE system SET team = team || '.' WHERE id = (SELECT system_id FROM checkpoint WHERE id = $1)",
                [checkpoints[c.checkpoint]!.id],
              );
            await db.client.query(
              `UPDATE checkpoint SET status = $2::checkpoint_status, due_on = due_on + $3::int,
                    submitted_at = CASE WHEN $2::checkpoint_status = 'SUBMITTED' THEN $4::timestamptz ELSE submitted_at END,
                    completed_at = CASE WHEN $2::checkpoint_status IN ('APPROVED', 'WAIVED') THEN $4::timestamptz END
              WHERE id = $1`,
              [checkpoints[c.checkpoint]!.id, c.status, c.dueShift, at],
            );
          }
          expect(await marked()).toBeGreaterThan(0);
          await expectFiguresAsBefore(
            new Date(Date.UTC(2026, 9, 18) + day * 86_400_000 + 43_200_000),
            registryFirst ? "registry first" : "dashboard first",
          );
          expect(await marked()).toBe(0);
          await expectRollupsCurrent();
        },
      ),
      { numRuns: 15 },
    );
  });

  it("rebuilds every roll-up from scratch (npm run cli -- rollup rebuild)", async () => {
    await db.client.query("UPDATE system_rollup SET progress_rank = -1, approved = approved, next_due_on = NULL");
    const { rebuildAllRollups } = await import("@/lib/data/rollup");
    expect(await rebuildAllRollups()).toBe((await db.client.query("SELECT count(*)::int AS n FROM system")).rows[0].n);
    await expectRollupsCurrent();
  });

  it("refreshes inside the command's transaction: the rows locked, then written", async () => {
    const { rows } = await db.client.query<{ key: string }>("SELECT key FROM system WHERE key = 'rollup-probe'");
    expect(rows).toHaveLength(1);
    // The random histories above may have left this checkpoint approved or waived: put it back to
    // not started (evidence then moves it), and let the command's own refresh clear this mark.
    await db.client.query(
      `UPDATE checkpoint c SET status = 'NOT_STARTED', completed_at = NULL, submitted_at = NULL FROM milestone m, system s
        WHERE m.id = c.milestone_id AND s.id = c.system_id AND s.key = 'rollup-probe' AND m.key = 'documentation'`,
    );
    const { addEvidence } = await import("@/lib/data/checkpoints/evidence");
    const { statements } = await countSql(() =>
      addEvidence(actors.owner, "rollup-probe", "documentation", {
        url: "https://docs.example.com/x",
        title: "Runbook",
        kind: "RUNBOOK",
      }),
    );
    expect(statements.filter((s) => s.includes("system_rollup")).length).toBe(2);
    expect(await marked()).toBe(0);
  });
});
