// The change gate through its route handlers against a real Postgres: registering, reviewing,
// link edits, outcomes, service accounts and concurrency. Identity is injected at the session
// getter (the bearer path is covered over HTTP by the e2e suite); everything below it is real.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { type Handler, identity } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));

type Who = "lead" | "exec" | "mid" | "midReviewer" | "senior" | "principal" | "junior" | "pair" | "ci";
let db: AppTestDatabase;
const people = {} as Record<Who, SessionUser>;
const reviewers: SessionUser[] = [];

async function call(
  who: SessionUser,
  method: string,
  route: string,
  params: Record<string, string> = {},
  body?: unknown,
  query = "",
) {
  const file = path.resolve("app", "api", "v1", ...route.split("/").filter(Boolean), "route.ts");
  const handler = ((await import(file)) as Record<string, Handler>)[method]!;
  const init: RequestInit = { method, headers: { "Content-Type": "application/json" } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await identity.run(who, () =>
    handler(new Request(`http://test/api/v1/${route}${query}`, init), { params: Promise.resolve(params) }),
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const api = {
  register: (who: Who, body: unknown) => call(people[who], "POST", "changes", {}, body),
  list: (who: Who, query: string) => call(people[who], "GET", "changes", {}, undefined, query),
  get: (who: Who, id: string) => call(people[who], "GET", "changes/[id]", { id }),
  patch: (who: Who, id: string, body: unknown) => call(people[who], "PATCH", "changes/[id]", { id }, body),
  decision: (who: Who, id: string) => call(people[who], "GET", "changes/[id]/decision", { id }),
  review: (who: Who | SessionUser, id: string, body: unknown) =>
    call(typeof who === "string" ? people[who] : who, "POST", "changes/[id]/reviews", { id }, body),
  shipped: (who: Who, id: string, body?: unknown) => call(people[who], "POST", "changes/[id]/shipped", { id }, body),
  rolledBack: (who: Who, id: string, body?: unknown) =>
    call(people[who], "POST", "changes/[id]/rolled-back", { id }, body),
};

async function makeSystem(
  key: string,
  options: { tier?: string; rollback?: "APPROVED" | "IN_PROGRESS"; team?: string } = {},
) {
  const { rows } = await db.client.query<{ id: string }>(
    "INSERT INTO system (key, name, team, tier, updated_at) VALUES ($1, $1, $2, $3, now()) RETURNING id",
    [key, options.team ?? "Gate", options.tier ?? "TIER_1"],
  );
  const systemId = rows[0]!.id;
  await db.client.query(
    `INSERT INTO checkpoint (system_id, milestone_id, due_on, status, completed_at, updated_at)
     SELECT $1, m.id, p.starts_on + m.due_day, CASE WHEN m.key = 'rollback' THEN $2::checkpoint_status ELSE 'NOT_STARTED' END,
            CASE WHEN m.key = 'rollback' AND $2 = 'APPROVED' THEN now() END, now()
       FROM milestone m JOIN program p ON p.id = m.program_id WHERE p.active`,
    [systemId, options.rollback ?? "APPROVED"],
  );
  await db.client.query(
    "INSERT INTO assignment (system_id, user_id, kind) VALUES ($1, $2, 'OWNER'), ($1, $3, 'OWNER')",
    [systemId, people.mid.id, people.pair.id],
  );
  for (const who of [people.midReviewer, people.senior, people.principal, people.junior, ...reviewers]) {
    await db.client.query("INSERT INTO assignment (system_id, user_id, kind) VALUES ($1, $2, 'REVIEWER')", [
      systemId,
      who.id,
    ]);
  }
  return systemId;
}

const change = (system: string, over: Record<string, unknown> = {}) => ({
  system,
  title: "Retry payouts on gateway timeouts",
  url: "https://git.example.com/payments/pull/812",
  aiAssisted: true,
  rollbackPlanUrl: "https://wiki.example.com/payments/rollback",
  ...over,
});

async function auditActions(after: number) {
  const { rows } = await db.client.query<{ action: string; data: { attempted?: string } }>(
    "SELECT action, data FROM audit_event WHERE seq > $1 ORDER BY seq",
    [after],
  );
  return rows;
}
const head = async () =>
  Number((await db.client.query<{ seq: string | null }>("SELECT max(seq) AS seq FROM audit_event")).rows[0]!.seq ?? 0);

beforeAll(async () => {
  db = await createAppTestDatabase();
  const user = async (email: string, role: string, seniority: string) => {
    const { rows } = await db.client.query<SessionUser>(
      "INSERT INTO app_user (email, name, role, seniority, updated_at) VALUES ($1, $2, $3, $4, now()) RETURNING id, email, name, role, seniority",
      [email, email.split("@")[0], role, seniority],
    );
    return rows[0]!;
  };
  people.lead = (
    await db.client.query<SessionUser>(
      "SELECT id, email, name, role, seniority FROM app_user WHERE email = 'lead@resetboard.dev'",
    )
  ).rows[0]!;
  people.exec = (
    await db.client.query<SessionUser>(
      "SELECT id, email, name, role, seniority FROM app_user WHERE email = 'exec@resetboard.dev'",
    )
  ).rows[0]!;
  people.mid = await user("gate-mid@x.dev", "ENGINEER", "MID");
  people.pair = await user("gate-pair@x.dev", "ENGINEER", "SENIOR");
  people.midReviewer = await user("gate-mid-reviewer@x.dev", "ENGINEER", "MID");
  people.senior = await user("gate-senior@x.dev", "ENGINEER", "SENIOR");
  people.principal = await user("gate-principal@x.dev", "ENGINEER", "PRINCIPAL");
  people.junior = await user("gate-junior@x.dev", "ENGINEER", "JUNIOR");
  for (let i = 0; i < 4; i++) reviewers.push(await user(`gate-crowd-${i}@x.dev`, "ENGINEER", i % 2 ? "SENIOR" : "MID"));
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe("an AI-assisted change by a MID engineer on a Tier 1 system", () => {
  it("is blocked until a SENIOR approves; a MID approval alone names the missing senior sign-off", async () => {
    await makeSystem("gate-t1");
    const registered = await api.register("mid", change("gate-t1"));
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      status: "blocked",
      author: { email: people.mid.email },
      revision: 1,
      decision: { allowed: false },
    });
    const id = registered.body.id as string;

    const byMid = await api.review("midReviewer", id, { decision: "APPROVE", comment: "Reads fine" });
    expect(byMid.status).toBe(201);
    const afterMid = await api.decision("mid", id);
    expect(afterMid.body.allowed).toBe(false);
    expect(afterMid.body.missing).toEqual([{ requirement: "senior-approval", needed: 1, have: 0 }]);
    expect(afterMid.body.reasons).toEqual([
      "It is AI-assisted and its author is mid-level, so it needs an approval from a senior or principal reviewer.",
    ]);

    const bySenior = await api.review("senior", id, { decision: "APPROVE", comment: "" });
    expect(bySenior).toMatchObject({
      status: 201,
      body: { review: { seniority: "SENIOR", stale: false }, change: { status: "allowed" } },
    });
    const allowed = await api.decision("mid", id);
    expect(allowed.body).toMatchObject({ allowed: true, missing: [] });
    expect(allowed.body.approvals.map((a: { reviewer: { email: string } }) => a.reviewer.email).sort()).toEqual(
      [people.midReviewer.email, people.senior.email].sort(),
    );
  });

  it("refuses the author's own approval and a co-author's with 422, and writes no review", async () => {
    await makeSystem("gate-self");
    const { body } = await api.register("mid", change("gate-self", { coAuthors: [people.pair.email] }));
    const own = await api.review("mid", body.id, { decision: "APPROVE" });
    expect(own).toMatchObject({ status: 422, body: { detail: "You wrote this change, so you cannot review it." } });
    const pair = await api.review("pair", body.id, { decision: "APPROVE" });
    expect(pair).toMatchObject({
      status: 422,
      body: { detail: "You are a co-author of this change, so you cannot review it." },
    });
    const junior = await api.review("junior", body.id, { decision: "APPROVE" });
    expect(junior).toMatchObject({
      status: 422,
      body: { detail: "Reviewing a production change needs a mid-level engineer or more senior." },
    });
    const { rows } = await db.client.query("SELECT 1 FROM change_review WHERE change_id = $1", [body.id]);
    expect(rows).toHaveLength(0);
  });

  it("is blocked again after a link edit, with the earlier approvals kept in history as stale", async () => {
    await makeSystem("gate-edit");
    const { body } = await api.register("mid", change("gate-edit"));
    await api.review("senior", body.id, { decision: "APPROVE" });
    expect((await api.decision("mid", body.id)).body.allowed).toBe(true);

    const conflict = await api.patch("mid", body.id, {
      version: body.version + 5,
      rollbackPlanUrl: "https://wiki.example.com/rb-v2",
    });
    expect(conflict.status).toBe(409);
    const edited = await api.patch("mid", body.id, {
      version: body.version,
      rollbackPlanUrl: "https://wiki.example.com/rb-v2",
    });
    expect(edited).toMatchObject({
      status: 200,
      body: { revision: 2, status: "blocked", rollbackPlanUrl: "https://wiki.example.com/rb-v2" },
    });
    expect(edited.body.reviews).toMatchObject([{ decision: "APPROVE", stale: true, revision: 1 }]);
    const blocked = await api.decision("mid", body.id);
    expect(blocked.body.allowed).toBe(false);
    expect(blocked.body.reasons).toContain(
      "Earlier approvals no longer count: the change's links were edited after they were given.",
    );

    // A reviewer who saw the old links is told so instead of approving the new ones blind.
    expect((await api.review("senior", body.id, { decision: "APPROVE", revision: 1 })).status).toBe(409);
    expect((await api.review("senior", body.id, { decision: "APPROVE", revision: 2 })).status).toBe(201);
    expect((await api.decision("mid", body.id)).body.allowed).toBe(true);

    // Only http(s) links are ever stored.
    const bad = await api.patch("mid", body.id, { version: edited.body.version, url: "javascript:alert(1)" });
    expect(bad.status).toBe(400);
  });

  it("needs a PRINCIPAL while the system's rollback milestone is not done", async () => {
    await makeSystem("gate-rb", { rollback: "IN_PROGRESS" });
    const { body } = await api.register("mid", change("gate-rb", { aiAssisted: false }));
    await api.review("senior", body.id, { decision: "APPROVE" });
    const blocked = await api.decision("mid", body.id);
    expect(blocked.body).toMatchObject({ allowed: false, missing: [{ requirement: "principal-approval" }] });
    await api.review("principal", body.id, { decision: "APPROVE" });
    expect((await api.decision("mid", body.id)).body.allowed).toBe(true);
  });
});

describe("outcomes", () => {
  it("records a change shipped while blocked as such, then its rollback, each once", async () => {
    await makeSystem("gate-ship");
    const { body } = await api.register("mid", change("gate-ship"));
    expect((await api.rolledBack("mid", body.id)).status).toBe(422);
    const shipped = await api.shipped("mid", body.id);
    expect(shipped).toMatchObject({
      status: 201,
      body: { status: "shipped", outcomes: [{ kind: "SHIPPED", allowed: false }] },
    });
    expect((await api.shipped("mid", body.id)).status).toBe(422);
    expect((await api.review("senior", body.id, { decision: "APPROVE" })).status).toBe(422);
    const rolled = await api.rolledBack("mid", body.id, { incidentUrl: "https://status.example.com/inc/77" });
    expect(rolled.body).toMatchObject({
      status: "rolled_back",
      outcomes: [{ kind: "SHIPPED" }, { kind: "ROLLED_BACK", incidentUrl: "https://status.example.com/inc/77" }],
    });
    const listed = await api.list("exec", "?system=gate-ship&status=rolled_back");
    expect(listed.body.map((c: { id: string }) => c.id)).toEqual([body.id]);
    expect((await api.list("exec", "?system=gate-ship&status=blocked")).body).toEqual([]);
    expect((await api.shipped("senior", body.id)).status).toBe(403);
  });
});

describe("listing", () => {
  it("pages newest first with before=<last id>: every change once, the status filter kept across pages", async () => {
    await makeSystem("gate-pages");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push((await api.register("mid", change("gate-pages", { title: `Change ${i}` }))).body.id);
    // One of them is no longer open, so "blocked" holds six and skips it wherever it falls.
    expect((await api.shipped("mid", ids[3]!)).status).toBe(201);
    const walk = async (filter: string) => {
      const seen: string[] = [];
      let before = "";
      for (let page = 0; page < 10; page++) {
        const { status, body } = await api.list("exec", `?system=gate-pages&limit=2${filter}${before}`);
        expect(status).toBe(200);
        seen.push(...body.map((c: { id: string }) => c.id));
        if (body.length < 2) break;
        before = `&before=${body.at(-1).id}`;
      }
      return seen;
    };
    expect(await walk("")).toEqual([...ids].reverse());
    expect(await walk("&status=blocked")).toEqual([...ids].reverse().filter((id) => id !== ids[3]));
    const unknown = await api.list("exec", `?before=${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}`);
    expect(unknown.status).toBe(400);
    expect((await api.list("exec", "?before=not-an-id")).status).toBe(400);
  });
});

describe("who may register", () => {
  it("refuses an engineer not assigned to the system and an executive, audited; a lead may", async () => {
    await makeSystem("gate-who");
    await db.client.query(
      "DELETE FROM assignment WHERE user_id = $1 AND system_id = (SELECT id FROM system WHERE key = 'gate-who')",
      [people.junior.id],
    );
    const before = await head();
    expect((await api.register("junior", change("gate-who"))).status).toBe(403);
    expect((await api.register("exec", change("gate-who"))).status).toBe(403);
    expect((await api.register("lead", change("gate-who"))).status).toBe(201);
    const { rows } = await db.client.query<{ n: string }>(
      "SELECT count(*) AS n FROM change c JOIN system s ON s.id = c.system_id WHERE s.key = 'gate-who'",
    );
    expect(rows[0]!.n).toBe("1");
    expect((await auditActions(before)).map((e) => e.action)).toEqual([
      "authz.denied",
      "authz.denied",
      "change.register",
    ]);
  });
});

describe("service accounts", () => {
  it("register changes for their scope and read decisions; everything else is a 403, audited", async () => {
    const systemId = await makeSystem("gate-ci", { team: "Payments CI" });
    await makeSystem("gate-other");
    const { createServiceAccount } = await import("@/lib/data/service-accounts");
    const lead = {
      kind: "user" as const,
      id: people.lead.id,
      email: people.lead.email,
      role: people.lead.role,
      seniority: people.lead.seniority,
    };
    const { token, account } = await createServiceAccount(lead, { name: "payments deploy", teams: ["Payments CI"] });
    expect(token).toMatch(/^rb_/);
    expect(account.teams).toEqual(["Payments CI"]);
    people.ci = (
      await db.client.query<SessionUser>("SELECT id, email, name, role, seniority FROM app_user WHERE email = $1", [
        account.email,
      ])
    ).rows[0]!;

    const before = await head();
    const noAuthor = await api.register("ci", change("gate-ci"));
    expect(noAuthor.status).toBe(400);
    const registered = await api.register("ci", change("gate-ci", { author: people.mid.email }));
    expect(registered).toMatchObject({
      status: 201,
      body: { author: { email: people.mid.email }, serviceAccount: "payments deploy", status: "blocked" },
    });
    const decision = await api.decision("ci", registered.body.id);
    expect(decision).toMatchObject({ status: 200, body: { allowed: false } });
    expect((await api.register("ci", change("gate-other", { author: people.mid.email }))).status).toBe(403);
    expect((await api.review("ci", registered.body.id, { decision: "APPROVE" })).status).toBe(403);
    expect((await api.get("ci", registered.body.id)).status).toBe(403);
    expect((await api.list("ci", "")).status).toBe(403);
    expect((await api.patch("ci", registered.body.id, { version: 1, title: "x" })).status).toBe(403);
    const elsewhere = await call(
      people.ci,
      "POST",
      "systems/[key]/checkpoints/[milestone]/submit",
      { key: "gate-ci", milestone: "inventory" },
      { version: 1 },
    );
    expect(elsewhere.status).toBe(403);
    const audit = await call(people.ci, "GET", "audit", {}, undefined, "?limit=5");
    expect(audit.status).toBe(403);

    const events = await auditActions(before);
    expect(events.map((e) => e.action)).toEqual([
      "change.register",
      "change.decision_read",
      "authz.denied",
      "authz.denied",
      "authz.denied",
      "authz.denied",
      "authz.denied",
      "authz.denied",
      "authz.denied",
    ]);
    // Out of scope is refused by the command; every other endpoint refuses the token outright.
    expect(events.filter((e) => e.action === "authz.denied").map((e) => e.data.attempted)).toEqual([
      "change.register",
      ...Array(6).fill("service_account.route"),
    ]);

    // The pipeline records the outcome; the first ask was remembered as blocked.
    expect((await api.shipped("ci", registered.body.id)).status).toBe(201);
    const { rows } = await db.client.query("SELECT first_check_allowed FROM change WHERE id = $1", [
      registered.body.id,
    ]);
    expect(rows[0]).toEqual({ first_check_allowed: false });
    expect(systemId).toBeTruthy();

    const { revokeServiceAccount } = await import("@/lib/data/service-accounts");
    await revokeServiceAccount(lead, account.id);
    expect((await api.decision("ci", registered.body.id)).status).toBe(403);
  });
});

describe("concurrency", () => {
  it("20 concurrent approvals of one change count once per reviewer, and the audit chain verifies", async () => {
    await makeSystem("gate-race");
    const { body } = await api.register("mid", change("gate-race", { aiAssisted: false }));
    const crowd = [people.senior, people.principal, people.midReviewer, ...reviewers];
    const calls = Array.from({ length: 20 }, (_, i) =>
      api.review(crowd[i % crowd.length]!, body.id, { decision: "APPROVE" }),
    );
    const results = await Promise.all(calls);
    const created = results.filter((r) => r.status === 201).length;
    expect(created).toBe(crowd.length);
    expect(results.every((r) => r.status === 201 || r.status === 409 || r.status === 422)).toBe(true);
    const { rows } = await db.client.query<{ reviewer_id: string; n: string }>(
      "SELECT reviewer_id, count(*) AS n FROM change_review WHERE change_id = $1 GROUP BY reviewer_id",
      [body.id],
    );
    expect(rows).toHaveLength(crowd.length);
    expect(rows.every((r) => r.n === "1")).toBe(true);
    const decision = await api.decision("mid", body.id);
    expect(decision.body.approvals).toHaveLength(crowd.length);
    const verify = await call(people.lead, "GET", "audit/verify");
    expect(verify.body).toMatchObject({ ok: true });
  });

  it("keeps reviews and outcomes append-only in the database", async () => {
    await expect(db.client.query("UPDATE change_review SET comment = 'edited'")).rejects.toThrow(/append-only/);
    await expect(db.client.query("DELETE FROM change_outcome")).rejects.toThrow(/append-only/);
  });
});
