// Program settings against a real database: due dates re-derived in one statement around the
// overrides, validation and staleness that write nothing, and refusals that record only themselves.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/data/actor";
import { Conflict, Forbidden, ValidationError } from "@/lib/errors";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { session } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

let database: AppTestDatabase;
let client: pg.Client;
let settings: typeof import("@/lib/data/program-settings");
let lead: Actor & { kind: "user" };
let owner: Actor & { kind: "user" };

const START = "2026-10-18";

async function rows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await client.query<T>(sql, params)).rows;
}

/** The due date of one checkpoint, as an ISO day. */
async function due(system: string, milestone: string): Promise<string> {
  const [row] = await rows<{ due: string }>(
    `SELECT to_char(c.due_on, 'YYYY-MM-DD') AS due FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id
      WHERE s.key = $1 AND m.key = $2`,
    [system, milestone],
  );
  return row!.due;
}

/** Everything the settings could touch, to prove that a refused save wrote nothing. */
async function state() {
  return {
    program: await rows("SELECT name, starts_on, version, updated_at FROM program ORDER BY id"),
    milestones: await rows("SELECT * FROM milestone ORDER BY id"),
    checkpoints: await rows("SELECT id, due_on, version, updated_at FROM checkpoint ORDER BY id"),
    events: await rows<{ seq: string; action: string }>("SELECT seq, action FROM audit_event ORDER BY seq"),
  };
}

/** The whole form as the page posts it, from what is stored, with the given edits applied. */
async function form(
  edits: {
    name?: string;
    startsOn?: string;
    version?: number;
    milestones?: Record<string, Record<string, unknown>>;
  } = {},
) {
  const [program] = await rows<{ version: number; name: string; starts_on: string }>(
    "SELECT version, name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on FROM program WHERE active",
  );
  const milestones = await rows<{
    key: string;
    name: string;
    description: string;
    due_day: number;
    required_approvals: number;
    min_reviewer_seniority: string;
    evidence_hint: string;
  }>("SELECT m.* FROM milestone m JOIN program p ON p.id = m.program_id WHERE p.active ORDER BY m.sequence");
  return {
    version: edits.version ?? program!.version,
    name: edits.name ?? program!.name,
    startsOn: edits.startsOn ?? program!.starts_on,
    milestones: milestones.map((m) => ({
      key: m.key,
      name: m.name,
      description: m.description,
      dueDay: m.due_day,
      requiredApprovals: m.required_approvals,
      minReviewerSeniority: m.min_reviewer_seniority,
      evidenceHint: m.evidence_hint,
      ...edits.milestones?.[m.key],
    })),
  };
}

beforeAll(async () => {
  database = await createAppTestDatabase();
  client = database.client;
  settings = await import("@/lib/data/program-settings");
  const person = async (email: string) =>
    (
      await rows<{ id: string; email: string; role: "LEAD"; seniority: "PRINCIPAL" }>(
        "SELECT id, email, role, seniority FROM app_user WHERE email = $1",
        [email],
      )
    )[0]!;
  lead = { kind: "user", ...(await person("lead@resetboard.dev")) };
  owner = { kind: "user", ...(await person("owner@resetboard.dev")) };
}, 120_000);

afterAll(async () => {
  await database?.close();
});

// Hand-built schedule: the program starts on Oct 18, every checkpoint sits on its derived date,
// and one checkpoint of two hand-made systems has a lead's override.
const DUE_DAYS = {
  inventory: 7,
  "risk-assessment": 14,
  "access-review": 30,
  "peer-review": 30,
  "ai-change-controls": 45,
  rollback: 60,
  documentation: 75,
  "final-signoff": 90,
};

beforeEach(async () => {
  await client.query("UPDATE program SET starts_on = $1 WHERE active", [START]);
  // Every system here follows the program's own schedule: none joined late (rule 13 has its tests).
  await client.query("UPDATE system SET joined_on = NULL");
  for (const [key, day] of Object.entries(DUE_DAYS))
    await client.query("UPDATE milestone SET due_day = $2 WHERE key = $1", [key, day]);
  await client.query(
    `UPDATE checkpoint c SET due_on = p.starts_on + m.due_day, due_on_override_reason = NULL, due_on_overridden_by_id = NULL
       FROM milestone m JOIN program p ON p.id = m.program_id WHERE m.id = c.milestone_id`,
  );
  for (const key of ["ps-plain", "ps-override"]) {
    await client.query("DELETE FROM checkpoint WHERE system_id = (SELECT id FROM system WHERE key = $1)", [key]);
    await client.query("DELETE FROM system WHERE key = $1", [key]);
    const [system] = await rows<{ id: string }>(
      "INSERT INTO system (key, name, team, tier, updated_at) VALUES ($1, $1, 'Test', 'TIER_1', now()) RETURNING id",
      [key],
    );
    await client.query(
      `INSERT INTO checkpoint (system_id, milestone_id, due_on, updated_at)
       SELECT $1, m.id, p.starts_on + m.due_day, now() FROM milestone m JOIN program p ON p.id = m.program_id WHERE p.active`,
      [system!.id],
    );
  }
  await client.query(
    `UPDATE checkpoint c SET due_on = '2026-12-24', due_on_override_reason = 'Vendor change freeze', due_on_overridden_by_id = $1
       FROM system s, milestone m WHERE s.id = c.system_id AND m.id = c.milestone_id AND s.key = 'ps-override' AND m.key = 'rollback'`,
    [lead.id],
  );
});

describe("re-deriving due dates", () => {
  it("moves every derived due date of a milestone whose due day changed, and leaves the overridden one", async () => {
    expect(await due("ps-plain", "rollback")).toBe("2026-12-17"); // Oct 18 + 60
    const rollbacks = await rows<{ n: number }>(
      "SELECT count(*)::int AS n FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id WHERE m.key = 'rollback'",
    );
    const versionOf = async (key: string, milestone: string) =>
      (
        await rows<{ version: number }>(
          "SELECT c.version FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id WHERE s.key = $1 AND m.key = $2",
          [key, milestone],
        )
      )[0]!.version;
    const versions = {
      moved: await versionOf("ps-plain", "rollback"),
      kept: await versionOf("ps-override", "rollback"),
      other: await versionOf("ps-plain", "documentation"),
    };
    const result = await settings.updateProgramSettings(lead, await form({ milestones: { rollback: { dueDay: 64 } } }));
    // A moved due date is a change to the checkpoint: a form still holding the old version is stale.
    expect(await versionOf("ps-plain", "rollback")).toBe(versions.moved + 1);
    expect(await versionOf("ps-override", "rollback")).toBe(versions.kept);
    expect(await versionOf("ps-plain", "documentation")).toBe(versions.other);
    expect(result).toMatchObject({
      changed: true,
      checkpointsMoved: rollbacks[0]!.n - 1,
      overridesKept: 1,
      changes: { program: [], milestones: { rollback: ["dueDay"] } },
    });
    expect(await due("ps-plain", "rollback")).toBe("2026-12-21"); // Oct 18 + 64
    expect(await due("ps-override", "rollback")).toBe("2026-12-24");
    // Other milestones did not move.
    expect(await due("ps-plain", "documentation")).toBe("2027-01-01"); // Oct 18 + 75
    expect(await due("ps-override", "inventory")).toBe("2026-10-25"); // Oct 18 + 7

    const events = await rows<{ action: string; data: Record<string, unknown> }>(
      "SELECT action, data FROM audit_event WHERE action IN ('milestone.update', 'checkpoint.reschedule', 'program.update') ORDER BY seq",
    );
    expect(events).toEqual([
      {
        action: "milestone.update",
        data: { milestone: "rollback", version: result.version, changes: { dueDay: { from: 60, to: 64 } } },
      },
      {
        action: "checkpoint.reschedule",
        data: {
          version: result.version,
          checkpointsMoved: rollbacks[0]!.n - 1,
          overridesKept: 1,
          milestones: ["rollback"],
        },
      },
    ]);
  });

  it("moves every derived due date when the start date moves, and keeps overrides", async () => {
    const all = await rows<{ n: number }>("SELECT count(*)::int AS n FROM checkpoint");
    const result = await settings.updateProgramSettings(
      lead,
      await form({ startsOn: "2026-10-20", name: "Code Safety Reset 2026 (moved)" }),
    );
    expect(result.checkpointsMoved).toBe(all[0]!.n - 1);
    expect(result.overridesKept).toBe(1);
    expect(await due("ps-plain", "inventory")).toBe("2026-10-27"); // Oct 20 + 7
    expect(await due("ps-plain", "rollback")).toBe("2026-12-19"); // Oct 20 + 60
    expect(await due("ps-plain", "final-signoff")).toBe("2027-01-18"); // Oct 20 + 90
    expect(await due("ps-override", "rollback")).toBe("2026-12-24");
    const [event] = await rows<{ data: unknown }>(
      "SELECT data FROM audit_event WHERE action = 'program.update' ORDER BY seq DESC LIMIT 1",
    );
    expect(event!.data).toEqual({
      version: result.version,
      changes: {
        name: { from: "Code Safety Reset 2026", to: "Code Safety Reset 2026 (moved)" },
        startsOn: { from: START, to: "2026-10-20" },
      },
    });
  });

  it("writes nothing, not even a version, when nothing changed", async () => {
    const before = await state();
    const result = await settings.updateProgramSettings(lead, await form());
    expect(result).toMatchObject({ changed: false, checkpointsMoved: 0 });
    expect(await state()).toEqual(before);
  });

  it("saves wording and policy without moving any date", async () => {
    const before = await state();
    const result = await settings.updateProgramSettings(
      lead,
      await form({
        milestones: {
          "peer-review": {
            requiredApprovals: 2,
            minReviewerSeniority: "SENIOR",
            evidenceHint: "Branch protection screenshot",
          },
        },
      }),
    );
    expect(result).toMatchObject({
      changed: true,
      checkpointsMoved: 0,
      changes: { milestones: { "peer-review": ["requiredApprovals", "minReviewerSeniority", "evidenceHint"] } },
    });
    expect((await state()).checkpoints).toEqual(before.checkpoints);
    const [row] = await rows(
      "SELECT required_approvals, min_reviewer_seniority, evidence_hint FROM milestone WHERE key = 'peer-review'",
    );
    expect(row).toEqual({
      required_approvals: 2,
      min_reviewer_seniority: "SENIOR",
      evidence_hint: "Branch protection screenshot",
    });
  });
});

describe("refusals write nothing", () => {
  it("names every invalid field and writes nothing", async () => {
    const before = await state();
    const input = await form({
      name: " ",
      startsOn: "2026-13-45",
      milestones: {
        inventory: { dueDay: 0 },
        rollback: { dueDay: 91, requiredApprovals: 6 },
        documentation: { minReviewerSeniority: "BOSS", dueDay: 7.5 },
      },
    });
    const error = await settings.updateProgramSettings(lead, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const errors = (error as ValidationError).errors;
    expect(Object.keys(errors).sort()).toEqual(
      [
        "milestones.0.dueDay",
        "milestones.5.dueDay",
        "milestones.5.requiredApprovals",
        "milestones.6.dueDay",
        "milestones.6.minReviewerSeniority",
        "name",
        "startsOn",
      ].sort(),
    );
    expect(errors["milestones.5.dueDay"]).toEqual(["The due day must be between 1 and 90 (the program lasts 90 days)"]);
    expect(errors["milestones.5.requiredApprovals"]).toEqual(["At most 5 approvals"]);
    expect(errors.name).toEqual(["The program name is required"]);
    expect(await state()).toEqual(before);
  });

  it("refuses a start date that would end the program before a waiver in force expires (rule 8)", async () => {
    // A checkpoint of a seeded system (the hand-made ones are rebuilt before every test).
    const [cp] = await rows<{ id: string }>(
      "SELECT c.id FROM checkpoint c JOIN system s ON s.id = c.system_id WHERE s.key NOT LIKE 'ps-%' AND c.status = 'NOT_STARTED' ORDER BY c.id LIMIT 1",
    );
    // The program ends on Jan 16, 2027 (Oct 18 + 90); a waiver runs to that very day.
    const [waiver] = await rows<{ id: string }>(
      "INSERT INTO waiver (checkpoint_id, reason, granted_by_id, expires_on, prior_status) VALUES ($1, 'Freeze', $2, '2027-01-16', 'NOT_STARTED') RETURNING id",
      [cp!.id, lead.id],
    );
    try {
      const before = await state();
      await expect(settings.updateProgramSettings(lead, await form({ startsOn: "2026-10-17" }))).rejects.toMatchObject({
        errors: { startsOn: [expect.stringMatching(/^\d+ waivers? in force expires? after 2027-01-15/)] },
      });
      expect(await state()).toEqual(before);
      // A later start keeps the waiver inside the program.
      await expect(settings.updateProgramSettings(lead, await form({ startsOn: "2026-10-19" }))).resolves.toMatchObject(
        { changed: true },
      );
    } finally {
      await client.query("UPDATE waiver SET revoked_at = now(), revoked_by_id = $2 WHERE id = $1", [
        waiver!.id,
        lead.id,
      ]);
    }
  });

  it("refuses a milestone that is not in the program", async () => {
    const before = await state();
    const input = await form();
    input.milestones[0]!.key = "no-such-milestone";
    await expect(settings.updateProgramSettings(lead, input)).rejects.toMatchObject({
      errors: { "milestones.0.key": ["There is no milestone “no-such-milestone” in this program"] },
    });
    expect(await state()).toEqual(before);
  });

  it("refuses a stale version with a clear message, and of two saves of one version exactly one wins", async () => {
    const stale = await form({ milestones: { rollback: { dueDay: 61 } } });
    await settings.updateProgramSettings(
      lead,
      await form({ milestones: { inventory: { name: "Inventory confirmed" } } }),
    );
    const before = await state();
    const error = await settings.updateProgramSettings(lead, stale).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).message).toMatch(
      /Someone else saved the program settings since you opened them .* Nothing was saved/,
    );
    expect(await state()).toEqual(before);

    const a = await form({ milestones: { rollback: { dueDay: 62 } } });
    const b = await form({ milestones: { rollback: { dueDay: 63 } } });
    const results = await Promise.allSettled([
      settings.updateProgramSettings(lead, a),
      settings.updateProgramSettings(lead, b),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.any(Conflict),
    ]);
    const [row] = await rows<{ version: number }>("SELECT version FROM program WHERE active");
    expect(row!.version).toBe(before.program[0]!.version + 1);
  });

  it("refuses a non-lead and records only the refusal", async () => {
    const before = await state();
    const error = await settings
      .updateProgramSettings(owner, await form({ milestones: { rollback: { dueDay: 30 } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Forbidden).message).toBe("Only a program lead can change the program.");
    const after = await state();
    expect({ ...after, events: after.events.slice(0, -1) }).toEqual(before);
    expect(after.events.at(-1)).toMatchObject({ action: "authz.denied" });
    const [denied] = await rows("SELECT actor_email, data FROM audit_event ORDER BY seq DESC LIMIT 1");
    expect(denied).toEqual({
      actor_email: "owner@resetboard.dev",
      data: { attempted: "program.manage", role: "ENGINEER" },
    });
  });
});

describe("the page's save action", () => {
  it("says how many checkpoints moved and how many overridden dates were kept", async () => {
    const { saveProgramSettingsAction } = await import("@/app/(app)/admin/program/actions");
    session.user = {
      id: lead.id,
      email: lead.email,
      name: "Lead",
      role: "LEAD",
      seniority: "PRINCIPAL",
    } as SessionUser;
    const input = await form({ milestones: { rollback: { dueDay: 65 } } });
    const data = new FormData();
    data.set("version", String(input.version));
    data.set("name", input.name);
    data.set("startsOn", input.startsOn);
    input.milestones.forEach((m, i) =>
      Object.entries(m).forEach(([field, value]) => data.set(`milestones.${i}.${field}`, String(value))),
    );
    const [{ n }] = (await rows<{ n: number }>(
      "SELECT count(*)::int AS n FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id WHERE m.key = 'rollback' AND c.due_on_override_reason IS NULL",
    )) as [{ n: number }];
    const result = await saveProgramSettingsAction(null, data);
    expect(result).toMatchObject({
      ok: true,
      message: `Program settings saved. ${n} checkpoints moved to the new due dates; 1 overridden due date kept as set.`,
    });

    data.set("milestones.5.dueDay", "");
    const refused = await saveProgramSettingsAction(null, data);
    expect(refused).toMatchObject({
      ok: false,
      message: "Nothing was saved: 1 field needs attention (marked below).",
      errors: { "milestones.5.dueDay": ["The due day must be a whole number from 1 to 90"] },
    });
  });
});

describe("the program's time zone", () => {
  it("saves an IANA zone in its canonical spelling, audited, moving no date, and the API shows it", async () => {
    const before = await state();
    const result = await settings.updateProgramSettings(lead, { ...(await form()), timeZone: "europe/berlin" });
    expect(result).toMatchObject({ changed: true, checkpointsMoved: 0, changes: { program: ["timeZone"] } });
    expect(await rows("SELECT time_zone FROM program WHERE active")).toEqual([{ time_zone: "Europe/Berlin" }]);
    expect((await state()).checkpoints).toEqual(before.checkpoints);
    const [event] = await rows<{ action: string; data: unknown }>(
      "SELECT action, data FROM audit_event ORDER BY seq DESC LIMIT 1",
    );
    expect(event).toMatchObject({
      action: "program.update",
      data: { changes: { timeZone: { from: "UTC", to: "Europe/Berlin" } } },
    });
    const { getProgramDetail } = await import("@/lib/data/program");
    expect((await getProgramDetail(lead))!.timeZone).toBe("Europe/Berlin");
    expect((await settings.getProgramSettings(lead))!.timeZone).toBe("Europe/Berlin");
    // A save without the field (an older form) keeps the zone.
    await settings.updateProgramSettings(lead, await form({ name: "Renamed with the zone kept" }));
    expect(await rows("SELECT time_zone FROM program WHERE active")).toEqual([{ time_zone: "Europe/Berlin" }]);
  });

  it("refuses a zone that is not one with a message at the field, and writes nothing", async () => {
    for (const timeZone of ["Mars/Olympus_Mons", "+01:00", "UTC\u0000", "Europe/Berlin; DROP TABLE program"]) {
      const before = await state();
      const error = await settings
        .updateProgramSettings(lead, { ...(await form()), timeZone })
        .catch((e: unknown) => e);
      expect(error, timeZone).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).errors)).toEqual(["timeZone"]);
      expect(await state()).toEqual(before);
    }
    expect(await rows("SELECT time_zone FROM program WHERE active")).toEqual([{ time_zone: "Europe/Berlin" }]);
  });
});
