// Every rule of docs/RULES.md, section 3 through the public API's route handlers, against a real
// Postgres. Identity is injected at the session getter (the cookie and token paths are covered
// over HTTP by the e2e suite); everything below it — validation, rules, versions, audit — is real.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { identity, routeHandler } from "@/tests/api";

// Each call runs with its own identity, so that parallel calls by different people stay apart.
vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));

const route = (file: string, method: string) => routeHandler(path.join("app/api/v1/systems/[key]", file), method);

let db: AppTestDatabase;
const people = {} as Record<"lead" | "exec" | "owner" | "senior" | "senior2" | "mid" | "junior", SessionUser>;

async function call(
  who: keyof typeof people,
  method: "GET" | "POST",
  file: string,
  params: Record<string, string>,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const handler = await route(file, method);
  const init: RequestInit = { method, headers: { "Content-Type": "application/json", ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const request = new Request(`http://test/api/v1/systems/${params.key}`, init);
  const response = await identity.run(people[who], () => handler(request, { params: Promise.resolve(params) }));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

const api = {
  get: (who: keyof typeof people, key: string) => call(who, "GET", "route.ts", { key }),
  evidence: (
    who: keyof typeof people,
    key: string,
    milestone: string,
    body: unknown,
    headers?: Record<string, string>,
  ) => call(who, "POST", "checkpoints/[milestone]/evidence/route.ts", { key, milestone }, body, headers),
  withdraw: (who: keyof typeof people, key: string, milestone: string, id: string) =>
    call(who, "POST", "checkpoints/[milestone]/evidence/[id]/withdraw/route.ts", { key, milestone, id }, {}),
  submit: (who: keyof typeof people, key: string, milestone: string, version: number) =>
    call(who, "POST", "checkpoints/[milestone]/submit/route.ts", { key, milestone }, { version }),
  review: (who: keyof typeof people, key: string, milestone: string, body: unknown) =>
    call(who, "POST", "checkpoints/[milestone]/reviews/route.ts", { key, milestone }, body),
  waiver: (who: keyof typeof people, key: string, milestone: string, body: unknown) =>
    call(who, "POST", "checkpoints/[milestone]/waiver/route.ts", { key, milestone }, body),
  revoke: (who: keyof typeof people, key: string, milestone: string, body: unknown, headers?: Record<string, string>) =>
    call(who, "POST", "checkpoints/[milestone]/waiver/revoke/route.ts", { key, milestone }, body, headers),
};

const EVIDENCE = { url: "https://docs.example.com/inventory", title: "Service catalogue entry", kind: "DOC" };

async function checkpoint(key: string, milestone: string) {
  const { body } = await api.get("lead", key);
  return (
    body.checkpoints as {
      milestone: string;
      status: string;
      version: number;
      reviews: { stale: boolean; decision: string }[];
      evidence: { id: string }[];
      waiver: unknown;
    }[]
  ).find((c) => c.milestone === milestone)!;
}

/** A fresh system with its checkpoints, owned by `owner` and reviewed by the given people. */
async function makeSystem(
  key: string,
  options: { tier?: string; aiAssisted?: boolean; reviewers: (keyof typeof people)[] },
) {
  const { rows } = await db.client.query<{ id: string }>(
    "INSERT INTO system (key, name, team, tier, ai_assisted, updated_at) VALUES ($1, $1, 'Test', $2, $3, now()) RETURNING id",
    [key, options.tier ?? "TIER_1", options.aiAssisted ?? false],
  );
  const systemId = rows[0]!.id;
  await db.client.query(
    `INSERT INTO checkpoint (system_id, milestone_id, due_on, updated_at)
     SELECT $1, m.id, p.starts_on + m.due_day, now() FROM milestone m JOIN program p ON p.id = m.program_id WHERE p.active`,
    [systemId],
  );
  await db.client.query("INSERT INTO assignment (system_id, user_id, kind) VALUES ($1, $2, 'OWNER')", [
    systemId,
    people.owner.id,
  ]);
  for (const who of options.reviewers) {
    await db.client.query("INSERT INTO assignment (system_id, user_id, kind) VALUES ($1, $2, 'REVIEWER')", [
      systemId,
      people[who].id,
    ]);
  }
}

async function counts() {
  const { rows } = await db.client.query<{ evidence: string; reviews: string; waivers: string; events: string }>(
    "SELECT (SELECT count(*) FROM evidence) AS evidence, (SELECT count(*) FROM review) AS reviews, (SELECT count(*) FROM waiver) AS waivers, (SELECT count(*) FROM audit_event) AS events",
  );
  return rows[0]!;
}

beforeAll(async () => {
  db = await createAppTestDatabase();
  const user = async (email: string, role = "ENGINEER", seniority = "MID") => {
    const existing = await db.client.query<SessionUser>(
      "SELECT id, email, name, role, seniority FROM app_user WHERE email = $1",
      [email],
    );
    if (existing.rows[0]) return existing.rows[0];
    const { rows } = await db.client.query<SessionUser>(
      "INSERT INTO app_user (email, name, role, seniority, updated_at) VALUES ($1, $1, $2, $3, now()) RETURNING id, email, name, role, seniority",
      [email, role, seniority],
    );
    return rows[0]!;
  };
  people.lead = await user("lead@resetboard.dev");
  people.exec = await user("exec@resetboard.dev");
  people.owner = await user("wf-owner@x.dev", "ENGINEER", "SENIOR");
  people.senior = await user("wf-senior@x.dev", "ENGINEER", "SENIOR");
  people.senior2 = await user("wf-senior2@x.dev", "ENGINEER", "PRINCIPAL");
  people.mid = await user("wf-mid@x.dev", "ENGINEER", "MID");
  people.junior = await user("wf-junior@x.dev", "ENGINEER", "JUNIOR");
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe("the happy path", () => {
  it("owner adds evidence and submits; a senior reviewer approves; the system reflects it", async () => {
    await makeSystem("wf-happy", { reviewers: ["senior"] });
    const added = await api.evidence("owner", "wf-happy", "inventory", EVIDENCE);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      url: EVIDENCE.url,
      title: EVIDENCE.title,
      kind: "DOC",
      withdrawn: false,
      checkpoint: { status: "IN_PROGRESS" },
    });
    const submitted = await api.submit("owner", "wf-happy", "inventory", added.body.checkpoint.version);
    expect(submitted).toMatchObject({ status: 200, body: { status: "SUBMITTED" } });
    const approved = await api.review("senior", "wf-happy", "inventory", {
      decision: "APPROVE",
      comment: "Looks right",
      version: submitted.body.version,
    });
    expect(approved).toMatchObject({
      status: 201,
      body: { decision: "APPROVE", seniority: "SENIOR", stale: false, checkpoint: { status: "APPROVED" } },
    });
    const system = await api.get("exec", "wf-happy");
    expect(system.body.progress).toEqual({ approved: 1, waived: 0, total: 8 });
  });
});

describe("separation of duties and seniority → 422", () => {
  it("refuses self-approval by an owner", async () => {
    await makeSystem("wf-self", { reviewers: ["senior"] });
    const added = await api.evidence("owner", "wf-self", "inventory", EVIDENCE);
    const submitted = await api.submit("owner", "wf-self", "inventory", added.body.checkpoint.version);
    const refused = await api.review("owner", "wf-self", "inventory", {
      decision: "APPROVE",
      version: submitted.body.version,
    });
    expect(refused).toMatchObject({
      status: 422,
      body: { status: 422, code: "separation_of_duties", detail: "You own this system, so you cannot sign it off." },
    });
  });

  it("refuses approval by the author of current evidence", async () => {
    await makeSystem("wf-author", { reviewers: ["lead", "senior"] });
    await api.evidence("lead", "wf-author", "inventory", EVIDENCE);
    const cp = await checkpoint("wf-author", "inventory");
    const submitted = await api.submit("owner", "wf-author", "inventory", cp.version);
    const refused = await api.review("lead", "wf-author", "inventory", {
      decision: "APPROVE",
      version: submitted.body.version,
    });
    expect(refused).toMatchObject({
      status: 422,
      body: { code: "evidence_author", detail: "You added evidence to this checkpoint, so you cannot sign it off." },
    });
  });

  it("refuses a MID reviewer on a SENIOR milestone and on an AI-assisted system", async () => {
    await makeSystem("wf-mid", { reviewers: ["mid"] });
    await makeSystem("wf-ai", { reviewers: ["mid"], aiAssisted: true });
    for (const [key, milestone, detail] of [
      ["wf-mid", "access-review", "This milestone needs a senior reviewer (or more senior)."],
      ["wf-ai", "inventory", "This system ships AI-assisted changes, so it needs a senior reviewer (or more senior)."],
    ] as const) {
      const added = await api.evidence("owner", key, milestone, EVIDENCE);
      const submitted = await api.submit("owner", key, milestone, added.body.checkpoint.version);
      const before = await counts();
      const refused = await api.review("mid", key, milestone, { decision: "APPROVE", version: submitted.body.version });
      expect(refused).toMatchObject({ status: 422, body: { code: "seniority_too_low", detail } });
      expect(await counts()).toEqual(before);
    }
  });

  it("refuses a reviewer who is not assigned with 403, and executives entirely", async () => {
    await makeSystem("wf-unassigned", { reviewers: ["senior"] });
    const added = await api.evidence("owner", "wf-unassigned", "inventory", EVIDENCE);
    const submitted = await api.submit("owner", "wf-unassigned", "inventory", added.body.checkpoint.version);
    expect(
      (
        await api.review("senior2", "wf-unassigned", "inventory", {
          decision: "APPROVE",
          version: submitted.body.version,
        })
      ).status,
    ).toBe(403);
    expect(
      (await api.review("exec", "wf-unassigned", "inventory", { decision: "APPROVE", version: submitted.body.version }))
        .status,
    ).toBe(403);
    expect((await api.evidence("exec", "wf-unassigned", "inventory", EVIDENCE)).status).toBe(403);
  });
});

describe("quorum and stale approvals", () => {
  it("a Tier 0 checkpoint needs two distinct approvers", async () => {
    await makeSystem("wf-tier0", { tier: "TIER_0", reviewers: ["senior", "senior2"] });
    const added = await api.evidence("owner", "wf-tier0", "inventory", EVIDENCE);
    const submitted = await api.submit("owner", "wf-tier0", "inventory", added.body.checkpoint.version);
    const first = await api.review("senior", "wf-tier0", "inventory", {
      decision: "APPROVE",
      version: submitted.body.version,
    });
    expect(first.body.checkpoint).toMatchObject({ status: "SUBMITTED", requiredApprovals: 2 });
    const again = await api.review("senior", "wf-tier0", "inventory", {
      decision: "APPROVE",
      version: first.body.checkpoint.version,
    });
    expect(again).toMatchObject({ status: 422, body: { detail: "You have already reviewed this submission." } });
    const second = await api.review("senior2", "wf-tier0", "inventory", {
      decision: "APPROVE",
      version: first.body.checkpoint.version,
    });
    expect(second.body.checkpoint.status).toBe("APPROVED");
  });

  it("evidence added after approval reopens the checkpoint and marks the approval stale", async () => {
    await makeSystem("wf-stale", { reviewers: ["senior"] });
    const added = await api.evidence("owner", "wf-stale", "inventory", EVIDENCE);
    const submitted = await api.submit("owner", "wf-stale", "inventory", added.body.checkpoint.version);
    await api.review("senior", "wf-stale", "inventory", { decision: "APPROVE", version: submitted.body.version });
    const more = await api.evidence("owner", "wf-stale", "inventory", {
      ...EVIDENCE,
      title: "A later runbook",
      kind: "RUNBOOK",
    });
    expect(more.body.checkpoint.status).toBe("IN_PROGRESS");
    expect(more.body.checkpoint.reviews).toEqual([expect.objectContaining({ decision: "APPROVE", stale: true })]);
    expect((await api.get("lead", "wf-stale")).body.progress.approved).toBe(0);
  });

  it("withdrawing evidence keeps it in history as withdrawn and reopens a submitted checkpoint", async () => {
    await makeSystem("wf-withdraw", { reviewers: ["senior"] });
    const added = await api.evidence("owner", "wf-withdraw", "inventory", EVIDENCE);
    await api.submit("owner", "wf-withdraw", "inventory", added.body.checkpoint.version);
    const withdrawn = await api.withdraw("owner", "wf-withdraw", "inventory", added.body.id);
    expect(withdrawn.body).toMatchObject({ status: "IN_PROGRESS", evidence: [{ id: added.body.id, withdrawn: true }] });
    const resubmit = await api.submit("owner", "wf-withdraw", "inventory", withdrawn.body.version);
    expect(resubmit).toMatchObject({
      status: 422,
      body: { detail: "Add at least one piece of evidence before submitting." },
    });
  });
});

describe("waivers", () => {
  it("a waiver by a non-lead is refused with 403; a lead's counts as waived, never approved", async () => {
    await makeSystem("wf-waive", { reviewers: ["senior"] });
    const body = { reason: "Decommissioned in January", expiresOn: "2027-01-10" };
    expect((await api.waiver("owner", "wf-waive", "rollback", body)).status).toBe(403);
    const granted = await api.waiver("lead", "wf-waive", "rollback", body);
    expect(granted).toMatchObject({
      status: 201,
      body: { reason: body.reason, expiresOn: "2027-01-10", checkpoint: { status: "WAIVED" } },
    });
    expect((await api.get("exec", "wf-waive")).body.progress).toEqual({ approved: 0, waived: 1, total: 8 });
    const late = await api.waiver("lead", "wf-waive", "documentation", { reason: "x", expiresOn: "2027-06-01" });
    expect(late).toMatchObject({
      status: 422,
      body: { detail: expect.stringContaining("cannot outlast the program") },
    });
  });

  it("an expired waiver lapses and the checkpoint returns to its prior state", async () => {
    await makeSystem("wf-lapse", { reviewers: ["senior"] });
    const added = await api.evidence("owner", "wf-lapse", "inventory", EVIDENCE);
    await api.waiver("lead", "wf-lapse", "inventory", { reason: "Short freeze", expiresOn: "2027-01-01" });
    // Time passes: the waiver's expiry moves into the past (the triggers allow waivers to change).
    await db.client.query(
      "UPDATE waiver SET expires_on = current_date - 1 WHERE checkpoint_id = (SELECT c.id FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id WHERE s.key = 'wf-lapse' AND m.key = 'inventory')",
    );
    const cp = await checkpoint("wf-lapse", "inventory");
    expect(cp).toMatchObject({ status: "IN_PROGRESS", waiver: null });
    expect(cp.version).toBeGreaterThan(added.body.checkpoint.version + 1);
    const { rows } = await db.client.query(
      "SELECT data FROM audit_event WHERE action = 'waiver.lapse' AND system_key = 'wf-lapse'",
    );
    expect(rows).toEqual([
      { data: expect.objectContaining({ from: "WAIVED", to: "IN_PROGRESS", milestone: "inventory" }) },
    ]);
  });
});

describe("revoking a waiver (rule 8)", () => {
  /** A system whose inventory checkpoint was submitted (round 1) and then waived by the lead. */
  async function waivedSubmission(key: string) {
    await makeSystem(key, { reviewers: ["senior"] });
    const added = await api.evidence("owner", key, "inventory", EVIDENCE);
    const submitted = await api.submit("owner", key, "inventory", added.body.checkpoint.version);
    expect(submitted.body).toMatchObject({ status: "SUBMITTED", round: 1 });
    const granted = await api.waiver("lead", key, "inventory", {
      reason: "Freeze until the migration",
      expiresOn: "2027-01-10",
      version: submitted.body.version,
    });
    expect(granted.body.checkpoint).toMatchObject({ status: "WAIVED", actions: { revokeWaiver: { allowed: true } } });
    return granted.body as { id: string; checkpoint: { version: number } };
  }

  it("returns the checkpoint to its prior status, bumps the version, records who and why", async () => {
    const waiver = await waivedSubmission("wf-revoke");
    const before = await counts();
    const revoked = await api.revoke("lead", "wf-revoke", "inventory", {
      reason: "Migration was cancelled",
      version: waiver.checkpoint.version,
    });
    expect(revoked).toMatchObject({
      status: 200,
      body: {
        milestone: "inventory",
        status: "SUBMITTED",
        round: 1,
        version: waiver.checkpoint.version + 1,
        waiver: null,
      },
    });
    expect((await api.get("exec", "wf-revoke")).body.progress).toEqual({ approved: 0, waived: 0, total: 8 });
    const row = await db.client.query(
      "SELECT revoked_at IS NOT NULL AS revoked, revoked_by_id, lapsed_at FROM waiver WHERE id = $1",
      [waiver.id],
    );
    expect(row.rows).toEqual([{ revoked: true, revoked_by_id: people.lead.id, lapsed_at: null }]);
    const after = await counts();
    expect(Number(after.events) - Number(before.events)).toBe(1);
    const { rows } = await db.client.query(
      "SELECT actor_email, subject_id, data FROM audit_event WHERE action = 'waiver.revoke' AND system_key = 'wf-revoke'",
    );
    expect(rows).toEqual([
      {
        actor_email: "lead@resetboard.dev",
        subject_id: waiver.id,
        data: expect.objectContaining({
          reason: "Migration was cancelled",
          from: "WAIVED",
          to: "SUBMITTED",
          milestone: "inventory",
          expiresOn: "2027-01-10",
        }),
      },
    ]);
    // The interrupted round resumes: the reviewer signs the submission off as if never waived.
    const approved = await api.review("senior", "wf-revoke", "inventory", {
      decision: "APPROVE",
      comment: "",
      version: revoked.body.version,
    });
    expect(approved).toMatchObject({ status: 201, body: { checkpoint: { status: "APPROVED" } } });
  });

  it("is refused to a non-lead with 403 and only the refusal recorded; a stale version gets 409; a second revoke says why", async () => {
    const waiver = await waivedSubmission("wf-revoke2");
    const body = { reason: "No longer needed", version: waiver.checkpoint.version };
    const before = await counts();
    const refused = await api.revoke("owner", "wf-revoke2", "inventory", body);
    expect(refused).toMatchObject({
      status: 403,
      body: { code: "lead_only", detail: "Only a program lead can revoke a waiver." },
    });
    expect(await counts()).toEqual({ ...before, events: String(Number(before.events) + 1) });
    const denied = await db.client.query("SELECT data FROM audit_event ORDER BY seq DESC LIMIT 1");
    expect(denied.rows[0].data).toMatchObject({ attempted: "waiver.revoke" });
    expect((await checkpoint("wf-revoke2", "inventory")).status).toBe("WAIVED");

    expect(
      (await api.revoke("lead", "wf-revoke2", "inventory", { reason: "x", version: body.version - 1 })).status,
    ).toBe(409);
    expect((await api.revoke("lead", "wf-revoke2", "inventory", { reason: " ", version: body.version })).status).toBe(
      400,
    );
    expect((await checkpoint("wf-revoke2", "inventory")).status).toBe("WAIVED");

    const first = await api.revoke("lead", "wf-revoke2", "inventory", body);
    expect(first.status).toBe(200);
    // The same request again: its version is gone.
    const again = await api.revoke("lead", "wf-revoke2", "inventory", body);
    expect(again).toMatchObject({
      status: 409,
      body: { code: "stale_version", detail: expect.stringContaining("changed since you loaded it") },
    });
    // With the current version: there is nothing in force to revoke.
    const twice = await api.revoke("lead", "wf-revoke2", "inventory", { reason: "again", version: first.body.version });
    expect(twice).toMatchObject({
      status: 422,
      body: { code: "no_waiver_in_force", detail: expect.stringContaining("no waiver in force") },
    });
    const { rows } = await db.client.query(
      "SELECT count(*)::int AS n FROM audit_event WHERE action = 'waiver.revoke' AND system_key = 'wf-revoke2'",
    );
    expect(rows[0]).toEqual({ n: 1 });
  });

  it("replays an Idempotency-Key instead of revoking again", async () => {
    const waiver = await waivedSubmission("wf-revoke3");
    const body = { reason: "Back in scope", version: waiver.checkpoint.version };
    const first = await api.revoke("lead", "wf-revoke3", "inventory", body, { "Idempotency-Key": "revoke-once" });
    const repeat = await api.revoke("lead", "wf-revoke3", "inventory", body, { "Idempotency-Key": "revoke-once" });
    expect(first.status).toBe(200);
    expect(repeat).toMatchObject({ status: 200, body: first.body });
    expect(repeat.headers.get("Idempotent-Replayed")).toBe("true");
  });
});

describe("concurrency (rule 10)", () => {
  it("20 parallel submits of one version: exactly one succeeds, the rest get 409, one transition and one audit event", async () => {
    await makeSystem("wf-race", { reviewers: ["senior"] });
    const added = await api.evidence("owner", "wf-race", "inventory", EVIDENCE);
    const version = added.body.checkpoint.version;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.submit(i % 2 ? "owner" : "lead", "wf-race", "inventory", version)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const { rows } = await db.client.query(
      "SELECT count(*)::int AS n FROM audit_event WHERE action = 'checkpoint.submit' AND system_key = 'wf-race'",
    );
    expect(rows[0]).toEqual({ n: 1 });
    expect((await checkpoint("wf-race", "inventory")).version).toBe(version + 1);
  });

  it("20 parallel approvals of one version: exactly one review counts", async () => {
    await makeSystem("wf-race2", { tier: "TIER_0", reviewers: ["senior", "senior2"] });
    const added = await api.evidence("owner", "wf-race2", "inventory", EVIDENCE);
    const submitted = await api.submit("owner", "wf-race2", "inventory", added.body.checkpoint.version);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.review(i % 2 ? "senior" : "senior2", "wf-race2", "inventory", {
          decision: "APPROVE",
          version: submitted.body.version,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const { rows } = await db.client.query(
      "SELECT count(*)::int AS n FROM review r JOIN checkpoint c ON c.id = r.checkpoint_id JOIN system s ON s.id = c.system_id WHERE s.key = 'wf-race2'",
    );
    expect(rows[0]).toEqual({ n: 1 });
    expect((await checkpoint("wf-race2", "inventory")).status).toBe("SUBMITTED");
  });

  it("a stale version gets 409 and changes nothing", async () => {
    await makeSystem("wf-stale-version", { reviewers: ["senior"] });
    const added = await api.evidence("owner", "wf-stale-version", "inventory", EVIDENCE);
    const before = await counts();
    const refused = await api.submit("owner", "wf-stale-version", "inventory", added.body.checkpoint.version - 1);
    expect(refused).toMatchObject({ status: 409, body: { status: 409, title: "Conflict" } });
    expect(await counts()).toEqual(before);
  });
});

describe("bad input gets a clear 4xx problem and writes nothing", () => {
  const cases: [string, unknown, number, RegExp][] = [
    ["javascript: URL", { ...EVIDENCE, url: "javascript:alert(1)" }, 400, /Only http:\/\/ and https:\/\/ links/],
    ["mixed-case javascript: URL", { ...EVIDENCE, url: "JaVaScRiPt:alert(1)" }, 400, /Only http/],
    [
      "leading-space javascript: URL",
      { ...EVIDENCE, url: " javascript:alert(1)" },
      400,
      /spaces or control characters/,
    ],
    ["data: URL", { ...EVIDENCE, url: "data:text/html,<script>alert(1)</script>" }, 400, /Only http/],
    ["tab inside the scheme", { ...EVIDENCE, url: "java\tscript:alert(1)" }, 400, /spaces or control characters/],
    ["oversized title", { ...EVIDENCE, title: "x".repeat(201) }, 400, /at most 200 characters/],
    ["oversized note", { ...EVIDENCE, note: "x".repeat(2001) }, 400, /at most 2000 characters/],
    ["wrong type", { ...EVIDENCE, title: 42 }, 400, /title/],
    ["unknown kind", { ...EVIDENCE, kind: "SCREENSHOT" }, 400, /kind must be one of/],
    ["malformed JSON", "{not json", 400, /not valid JSON/],
  ];
  it.each(cases)("%s", async (_name, body, status, detail) => {
    await makeSystem(`wf-bad-${Math.random().toString(36).slice(2, 8)}`, { reviewers: ["senior"] }).catch(
      () => undefined,
    );
    const before = await counts();
    const response = await api.evidence("owner", "wf-happy", "inventory", body);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(response.body.detail).toMatch(detail);
    expect(await counts()).toEqual(before);
  });

  it("an unknown milestone or system is a 404", async () => {
    expect((await api.evidence("owner", "wf-happy", "no-such-milestone", EVIDENCE)).status).toBe(404);
    expect((await api.get("owner", "no-such-system")).status).toBe(404);
    expect((await api.evidence("owner", "wf-happy", "../../etc", EVIDENCE)).status).toBe(404);
  });

  it("a review without a version or a change request without a comment is a 400", async () => {
    expect((await api.review("senior", "wf-happy", "inventory", { decision: "APPROVE" })).status).toBe(400);
    const r = await api.review("senior", "wf-happy", "inventory", {
      decision: "REQUEST_CHANGES",
      comment: " ",
      version: 1,
    });
    expect(r).toMatchObject({ status: 400, body: { errors: { comment: ["Say what needs to change"] } } });
  });
});

describe("idempotency (rule 11)", () => {
  it("repeating a POST with the same Idempotency-Key returns the first result and creates one row", async () => {
    await makeSystem("wf-idem", { reviewers: ["senior"] });
    const headers = { "Idempotency-Key": "add-catalogue-entry-1" };
    const first = await api.evidence("owner", "wf-idem", "inventory", EVIDENCE, headers);
    const again = await Promise.all(
      [1, 2, 3].map(() => api.evidence("owner", "wf-idem", "inventory", EVIDENCE, headers)),
    );
    expect(first.status).toBe(201);
    for (const repeat of again) {
      expect(repeat.status).toBe(201);
      expect(repeat.body).toEqual(first.body);
      expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    }
    const { rows } = await db.client.query(
      "SELECT count(*)::int AS n FROM evidence e JOIN checkpoint c ON c.id = e.checkpoint_id JOIN system s ON s.id = c.system_id WHERE s.key = 'wf-idem'",
    );
    expect(rows[0]).toEqual({ n: 1 });
    const other = await api.submit("owner", "wf-idem", "inventory", first.body.checkpoint.version);
    expect(other.status).toBe(200);
  });

  const evidenceCount = async (key: string) =>
    (
      await db.client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM evidence e JOIN checkpoint c ON c.id = e.checkpoint_id JOIN system s ON s.id = c.system_id WHERE s.key = $1",
        [key],
      )
    ).rows[0]!.n;

  it("a key whose command committed stays spent when its answer was lost: never carried out twice", async () => {
    await makeSystem("wf-idem-lost", { reviewers: ["senior"] });
    const headers = { "Idempotency-Key": "lost-answer-1" };
    expect((await api.evidence("owner", "wf-idem-lost", "inventory", EVIDENCE, headers)).status).toBe(201);
    const { rows } = await db.client.query<{ committed: boolean }>(
      "SELECT committed_at IS NOT NULL AS committed FROM idempotency_record WHERE key = 'lost-answer-1'",
    );
    expect(rows).toEqual([{ committed: true }]);
    // As if the database had gone away after the commit, before the answer was stored.
    await db.client.query(
      `UPDATE idempotency_record SET status = 0, response_body = '{}', created_at = now() - interval '10 minutes',
              committed_at = now() - interval '10 minutes' WHERE key = 'lost-answer-1'`,
    );
    const retry = await api.evidence("owner", "wf-idem-lost", "inventory", EVIDENCE, headers);
    expect(retry.status).toBe(409);
    expect(retry.body).toMatchObject({ code: "idempotency_carried_out", outcome: "saved" });
    expect(await evidenceCount("wf-idem-lost")).toBe(1);
  });

  it("a key abandoned before anything committed can be used again once no request can still hold it", async () => {
    await makeSystem("wf-idem-abandoned", { reviewers: ["senior"] });
    const owner = await db.client.query<{ id: string }>("SELECT id FROM app_user WHERE email = $1", [
      people.owner.email,
    ]);
    // The path this suite's requests carry (see call()).
    const path = "/api/v1/systems/wf-idem-abandoned";
    await db.client.query(
      `INSERT INTO idempotency_record (user_id, key, method, path, fingerprint, status, response_body, created_at)
       VALUES ($1, 'abandoned-1', 'POST', $2, '', 0, '{}', now() - interval '10 minutes')`,
      [owner.rows[0]!.id, path],
    );
    const retry = await api.evidence("owner", "wf-idem-abandoned", "inventory", EVIDENCE, {
      "Idempotency-Key": "abandoned-1",
    });
    expect(retry.status).toBe(201);
    expect(await evidenceCount("wf-idem-abandoned")).toBe(1);
  });
});
