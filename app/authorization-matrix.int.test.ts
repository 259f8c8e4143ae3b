// The authorization matrix (docs/RULES.md, section 1): every state-changing server action and every
// /api/v1 route, found by walking app/ so that a new one cannot be forgotten, called as nobody,
// as each role, and as an engineer who is not assigned. Refusals must write nothing but their
// own audit event; allowed calls must succeed. Identity is injected at the session getter; the
// real cookie and bearer paths are covered over HTTP by e2e/api-auth.spec.ts.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import type { SessionUser } from "@/lib/auth/session";
import { session } from "@/tests/api";

// One-click unsubscribe tokens are signed with a key derived from it (read once, on first use).
vi.hoisted(() => {
  process.env.NEXTAUTH_SECRET ??= "matrix-session-secret-of-at-least-32-characters";
});
vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

type Who = "anonymous" | "lead" | "engineer" | "reviewer" | "executive" | "stranger";

let database: AppTestDatabase;
let client: pg.Client;
const users = {} as Record<Exclude<Who, "anonymous"> | "service", SessionUser>;
const ids = {} as Record<string, string>;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const serverActionFiles = walk(path.resolve("app")).filter(
  (file) => /\.(ts|tsx)$/.test(file) && /^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(fs.readFileSync(file, "utf8")),
);
const apiRouteFiles = walk(path.resolve("app", "api", "v1")).filter((file) => /route\.ts$/.test(file));

async function one<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await client.query<T>(sql, params);
  return rows[0]!;
}

/** Every table's row count and the audit trail's head, to prove a refusal wrote nothing. */
async function snapshot() {
  const { rows } = await client.query<{ table_name: string }>(
    // The review pools are derived and kept by reads: a GET may bring them up to date.
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT IN ('audit_event', '_resetboard_migrations', 'review_pool', 'review_pool_dirty')",
  );
  const counts: Record<string, string> = {};
  for (const { table_name } of rows)
    counts[table_name] = (await one<{ n: string }>(`SELECT count(*) AS n FROM "${table_name}"`)).n;
  const users = (await client.query("SELECT id, role, seniority, active, name FROM app_user ORDER BY id")).rows;
  const assignments = (
    await client.query("SELECT system_id, user_id, kind FROM assignment ORDER BY system_id, user_id")
  ).rows;
  const tokens = (await client.query("SELECT id, revoked_at FROM api_token ORDER BY id")).rows;
  const seq = (await one<{ seq: string | null }>("SELECT max(seq) AS seq FROM audit_event")).seq ?? "0";
  return { counts, users, assignments, tokens, seq };
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

async function tokenOf(userId: string): Promise<string> {
  const { generateApiToken } = await import("@/lib/data/api-token");
  const { hash, prefix } = generateApiToken();
  return (
    await one<{ id: string }>(
      "INSERT INTO api_token (user_id, name, token_hash, prefix) VALUES ($1, 'matrix', $2, $3) RETURNING id",
      [userId, hash, prefix],
    )
  ).id;
}

interface ActionCase {
  allowed: Who[];
  /** Refused by a program rule (422, not audited as an authorization refusal), not by role. */
  ruleRefusals?: Who[];
  /** A valid input for the caller, so that a refusal can only be about who is asking. */
  input(who: Who): Promise<FormData>;
}

/** Puts a checkpoint of the matrix system into a state where its action can succeed. */
/** The matrix system's checkpoint version now, as a form would carry it. */
async function checkpointVersion(milestone: string): Promise<number> {
  const row = await one<{ version: number }>(
    "SELECT c.version FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id WHERE s.key = $1 AND m.key = $2",
    [ids.system, milestone],
  );
  return row.version;
}

async function prepare(milestone: string, status: "IN_PROGRESS" | "SUBMITTED"): Promise<FormData> {
  await evidenceOnSystem(milestone);
  const row = await one<{ version: number }>(
    `UPDATE checkpoint c SET status = $3::checkpoint_status, round = CASE WHEN $3::text = 'SUBMITTED' THEN c.round + 1 ELSE c.round END,
            completed_at = NULL, version = c.version + 1
       FROM system s, milestone m
      WHERE s.id = c.system_id AND m.id = c.milestone_id AND s.key = $1 AND m.key = $2
      RETURNING c.version`,
    [ids.system, milestone, status],
  );
  return form({ systemKey: ids.system!, milestone, version: String(row.version) });
}

/** Waives a checkpoint of the matrix system (when it is not already), so a revocation can succeed. */
async function waived(milestone: string): Promise<number> {
  const row = await one<{ id: string; status: string; version: number }>(
    `SELECT c.id, c.status, c.version FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id WHERE s.key = $1 AND m.key = $2`,
    [ids.system, milestone],
  );
  if (row.status === "WAIVED") return row.version;
  await client.query(
    "INSERT INTO waiver (checkpoint_id, reason, granted_by_id, expires_on, prior_status) VALUES ($1, 'Matrix waiver', $2, '2027-01-10', $3::checkpoint_status)",
    [row.id, users.lead.id, row.status],
  );
  return (
    await one<{ version: number }>(
      "UPDATE checkpoint SET status = 'WAIVED', version = version + 1 WHERE id = $1 RETURNING version",
      [row.id],
    )
  ).version;
}

/** The program settings form as the page posts it, with a new evidence hint for the first milestone. */
async function programSettingsForm(): Promise<FormData> {
  const program = await one<{ version: number; name: string; starts_on: string }>(
    "SELECT version, name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on FROM program WHERE active",
  );
  const m = await one<{
    key: string;
    name: string;
    description: string;
    due_day: number;
    required_approvals: number;
    min_reviewer_seniority: string;
  }>(
    "SELECT m.key, m.name, m.description, m.due_day, m.required_approvals, m.min_reviewer_seniority FROM milestone m JOIN program p ON p.id = m.program_id WHERE p.active ORDER BY m.sequence LIMIT 1",
  );
  return form({
    version: String(program.version),
    name: program.name,
    startsOn: program.starts_on,
    "milestones.0.key": m.key,
    "milestones.0.name": m.name,
    "milestones.0.description": m.description,
    "milestones.0.dueDay": String(m.due_day),
    "milestones.0.requiredApprovals": String(m.required_approvals),
    "milestones.0.minReviewerSeniority": m.min_reviewer_seniority,
    "milestones.0.evidenceHint": `Matrix hint ${Math.random().toString(36).slice(2)}`,
  });
}

function withFields(data: FormData, fields: Record<string, string>): FormData {
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

const ACTIONS: Record<string, ActionCase> = {
  "systems/[key]/actions.ts#addEvidenceAction": {
    allowed: ["lead", "engineer"],
    input: async () =>
      form({
        systemKey: ids.system!,
        milestone: "documentation",
        url: "https://docs.example.com/x",
        title: "Doc",
        kind: "DOC",
      }),
  },
  "systems/[key]/actions.ts#withdrawEvidenceAction": {
    allowed: ["lead", "engineer"],
    input: async () =>
      form({
        systemKey: ids.system!,
        milestone: "documentation",
        evidenceId: await evidenceOnSystem("documentation"),
        reason: "Superseded",
      }),
  },
  "systems/[key]/actions.ts#submitAction": {
    allowed: ["lead", "engineer"],
    input: async () => prepare("rollback", "IN_PROGRESS"),
  },
  "systems/[key]/actions.ts#reviewAction": {
    allowed: ["reviewer"],
    ruleRefusals: ["engineer"],
    input: async () =>
      withFields(await prepare("peer-review", "SUBMITTED"), {
        decision: "REQUEST_CHANGES",
        comment: "Please add the branch protection screenshot",
      }),
  },
  "systems/[key]/actions.ts#waiveAction": {
    allowed: ["lead"],
    input: async () =>
      withFields(await prepare("final-signoff", "IN_PROGRESS"), { reason: "Matrix waiver", expiresOn: "2027-01-10" }),
  },
  "systems/[key]/actions.ts#revokeWaiverAction": {
    allowed: ["lead"],
    input: async () =>
      form({
        systemKey: ids.system!,
        milestone: "inventory",
        version: String(await waived("inventory")),
        reason: "Matrix revocation",
      }),
  },
  "systems/[key]/comment-actions.ts#postCommentAction": {
    allowed: ["lead", "engineer", "reviewer"],
    input: async () => form({ systemKey: ids.system!, milestone: "documentation", body: "Matrix comment" }),
  },
  "systems/[key]/archive-actions.ts#archiveSystemAction": {
    allowed: ["lead"],
    input: async () => form({ systemKey: ids.system!, reason: "Matrix: retired" }),
  },
  "systems/[key]/archive-actions.ts#unarchiveSystemAction": {
    allowed: ["lead"],
    input: async () => form({ systemKey: ids.system!, reason: "Matrix: back in service" }),
  },
  "systems/new/actions.ts#createSystemAction": {
    allowed: ["lead"],
    input: async () =>
      form({
        key: `matrix-${Math.random().toString(36).slice(2, 10)}`,
        name: "Matrix system",
        team: "Payments",
        tier: "TIER_1",
      }),
  },
  "systems/[key]/edit/actions.ts#updateSystemAction": {
    allowed: ["lead"],
    input: async () => {
      const { at } = await one<{ at: string }>(
        `SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM system WHERE key = $1`,
        [ids.system],
      );
      return form({
        key: ids.system!,
        name: `Matrix ${Math.random().toString(36).slice(2, 8)}`,
        team: "Payments",
        tier: "TIER_1",
        expectedUpdatedAt: at,
      });
    },
  },
  "systems/[key]/edit/actions.ts#setAssignmentsAction": {
    allowed: ["lead"],
    input: async () => {
      const { version } = await one<{ version: number }>(
        "SELECT assignments_version AS version FROM system WHERE key = $1",
        [ids.system],
      );
      const data = form({ systemKey: ids.system!, version: String(version) });
      data.append("owners", users.engineer.email);
      data.append("reviewers", users.reviewer.email);
      data.append("reviewers", users.stranger.email);
      return data;
    },
  },
  "systems/[key]/due-date-actions.ts#overrideDueDateAction": {
    allowed: ["lead"],
    input: async () =>
      form({
        systemKey: ids.system!,
        milestone: "inventory",
        dueOn: "2026-12-20",
        reason: "Matrix: vendor freeze",
        version: String(await checkpointVersion("inventory")),
      }),
  },
  "systems/[key]/due-date-actions.ts#clearDueDateOverrideAction": {
    allowed: ["lead"],
    input: async () => {
      await client.query(
        `UPDATE checkpoint c SET due_on = '2026-12-21', due_on_override_reason = 'Matrix', due_on_overridden_by_id = $2
           FROM system s, milestone m WHERE s.id = c.system_id AND m.id = c.milestone_id AND s.key = $1 AND m.key = 'risk-assessment'`,
        [ids.system, users.lead.id],
      );
      return form({
        systemKey: ids.system!,
        milestone: "risk-assessment",
        version: String(await checkpointVersion("risk-assessment")),
      });
    },
  },
  "admin/users/actions.ts#createUserAction": {
    allowed: ["lead"],
    input: async () =>
      form({
        email: `new-${Math.random().toString(36).slice(2)}@matrix.dev`,
        name: "New Person",
        role: "ENGINEER",
        seniority: "MID",
      }),
  },
  "admin/users/actions.ts#updateUserAction": {
    allowed: ["lead"],
    input: async () => form({ userId: ids.target!, name: "Target Person", role: "ENGINEER", seniority: "SENIOR" }),
  },
  "admin/users/actions.ts#setUserActiveAction": {
    allowed: ["lead"],
    input: async () => form({ userId: ids.target!, active: "false" }),
  },
  "admin/users/actions.ts#transferAssignmentsAction": {
    allowed: ["lead"],
    input: async () => form({ fromUserId: ids.leaver!, toUserId: ids.successor! }),
  },
  "admin/users/actions.ts#revokeAnyTokenAction": {
    allowed: ["lead"],
    input: async () => form({ tokenId: await tokenOf(ids.target!) }),
  },
  "admin/program/actions.ts#saveProgramSettingsAction": {
    allowed: ["lead"],
    input: programSettingsForm,
  },
  "systems/(list)/actions.ts#bulkAssignReviewerAction": {
    allowed: ["lead"],
    input: async () => {
      const data = form({ reviewer: ids.bulkReviewer! });
      data.append("systems", ids.system!);
      return data;
    },
  },
  "systems/(list)/actions.ts#bulkSetTeamAction": {
    allowed: ["lead"],
    input: async () => {
      const { at } = await one<{ at: string }>(
        `SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM system WHERE key = $1`,
        [ids.system],
      );
      const data = form({ team: "Matrix Team" });
      data.append("systems", ids.system!);
      data.append("seen", `${ids.system}@${at}`);
      return data;
    },
  },
  "systems/(list)/actions.ts#bulkSetTierAction": {
    allowed: ["lead"],
    input: async () => {
      const { at } = await one<{ at: string }>(
        `SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM system WHERE key = $1`,
        [ids.system],
      );
      const data = form({ tier: "TIER_2" });
      data.append("systems", ids.system!);
      data.append("seen", `${ids.system}@${at}`);
      return data;
    },
  },
  "changes/actions.ts#registerChangeAction": {
    allowed: ["lead", "engineer", "reviewer"],
    input: async () =>
      form({
        system: ids.gate!,
        title: "Matrix change",
        url: "https://git.example.com/pr/3",
        rollbackPlanUrl: "https://wiki.example.com/rb",
      }),
  },
  "changes/actions.ts#reviewChangeAction": {
    allowed: ["reviewer"],
    // The author is refused by separation of duties, a rule, not by role.
    ruleRefusals: ["engineer"],
    input: async () => form({ changeId: await changeOnSystem(), decision: "APPROVE", comment: "" }),
  },
  "changes/actions.ts#updateChangeAction": {
    allowed: ["lead", "engineer"],
    input: async () =>
      form({
        changeId: await changeOnSystem(),
        version: "1",
        url: "https://git.example.com/pr/4",
        rollbackPlanUrl: "https://wiki.example.com/rb2",
      }),
  },
  "admin/service-accounts/actions.ts#createServiceAccountAction": {
    allowed: ["lead"],
    input: async () => form({ name: "matrix pipeline", systems: ids.gate! }),
  },
  "admin/service-accounts/actions.ts#revokeServiceAccountAction": {
    allowed: ["lead"],
    input: async () => {
      const { createServiceAccount } = await import("@/lib/data/service-accounts");
      const lead = {
        kind: "user" as const,
        id: users.lead.id,
        email: users.lead.email,
        role: users.lead.role,
        seniority: users.lead.seniority,
      };
      const { account } = await createServiceAccount(lead, { name: "matrix revocable", teams: ["Payments"] });
      return form({ id: account.id });
    },
  },
  "admin/notifications/actions.ts#createWebhookAction": {
    allowed: ["lead"],
    input: async () =>
      form({
        team: "Payments",
        format: "GENERIC",
        url: `https://hooks.example.com/${Math.random().toString(36).slice(2)}`,
        secret: "matrix-signing-secret-1234",
      }),
  },
  "admin/notifications/actions.ts#deactivateWebhookAction": {
    allowed: ["lead"],
    input: async () =>
      form({
        id: (
          await one<{ id: string }>(
            "INSERT INTO team_webhook (team, format, url, updated_at) VALUES ('Payments', 'SLACK', $1, now()) RETURNING id",
            [`https://hooks.example.com/${Math.random().toString(36).slice(2)}`],
          )
        ).id,
      }),
  },
  "admin/notifications/actions.ts#retryDeliveryAction": {
    allowed: ["lead"],
    input: async () => {
      const n = await one<{ id: string }>(
        "INSERT INTO notification (recipient_id, event, dedup_key, title, url) VALUES ($1, 'AT_RISK', $2, 'Matrix', '/systems') RETURNING id",
        [users.lead.id, `matrix-${Math.random().toString(36).slice(2)}`],
      );
      const d = await one<{ id: string }>(
        "INSERT INTO notification_delivery (notification_id, channel, dedup_key, payload, status, attempts, updated_at) VALUES ($1, 'EMAIL', $2, '{}', 'FAILED', 5, now()) RETURNING id",
        [n.id, `email|${n.id}`],
      );
      return form({ id: d.id });
    },
  },
  "admin/notifications/actions.ts#saveNotificationDefaultsAction": {
    allowed: ["lead"],
    input: async () => form({ "inApp.AT_RISK": "on", "email.AT_RISK": "on" }),
  },
  "settings/notification-actions.ts#saveNotificationPreferencesAction": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    input: async () =>
      form({ "inApp.EVIDENCE_SUBMITTED": "on", emailMode: "DAILY_DIGEST", digestHour: "7", quietWeekends: "on" }),
  },
  "notifications/actions.ts#markReadAction": {
    // Everyone's own notifications only: the command scopes by the caller, whatever id is sent.
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    input: async () => form({ id: crypto.randomUUID() }),
  },
  "notifications/actions.ts#markAllReadAction": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    input: async () => form({}),
  },
  "settings/actions.ts#signOutEverywhereAction": {
    // Anyone signed in may end their own sessions.
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    input: async () => form({}),
  },
  "settings/actions.ts#createTokenAction": {
    // Every signed-in person may hold read/act tokens for themself; executives' tokens stay read-only.
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    input: async () => form({ name: "matrix token" }),
  },
  "settings/actions.ts#revokeTokenAction": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    input: async (who) => form({ tokenId: await tokenOf(who === "anonymous" ? ids.target! : users[who].id) }),
  },
};

interface RouteCase {
  /** Callers that get past authorization (success, or a 4xx about the data, never 401/403). */
  allowed: Who[];
  /** Refusals that are not 403: the owner of a system is refused a sign-off by rule 4 (422). */
  refusedWith?: Partial<Record<Who, number>>;
  /** Answered to anyone, signed in or not. */
  public?: boolean;
  /** Open to a service account's token (the change gate's pipeline endpoints); every other route refuses it. */
  service?: boolean;
  request():
    | Promise<{ url: string; init?: RequestInit; params: Record<string, string> }>
    | { url: string; init?: RequestInit; params: Record<string, string> };
}

const CHECKPOINT = "http://test/api/v1/systems";
const post = (body: unknown): RequestInit => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json" },
});

/** The engineer's one-click unsubscribe link for at-risk nudges, as a mail carries it. */
async function unsubscribeLink(): Promise<string> {
  const { unsubscribeToken } = await import("@/lib/notifications/unsubscribe-token");
  return `http://test/api/v1/notifications/unsubscribe?token=${encodeURIComponent(unsubscribeToken(users.engineer.id, ["AT_RISK"])!)}`;
}

/** The current version of the matrix system's checkpoint, so a refusal can only be about who asks. */
async function version(milestone: string): Promise<number> {
  return (
    await one<{ version: number }>(
      "SELECT c.version FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id WHERE s.key = $1 AND m.key = $2",
      [ids.system, milestone],
    )
  ).version;
}

async function evidenceOnSystem(milestone: string): Promise<string> {
  return (
    await one<{ id: string }>(
      `INSERT INTO evidence (checkpoint_id, url, title, kind, submitted_by_id)
       SELECT c.id, 'https://example.com/matrix', 'matrix', 'DOC', $3 FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id
       WHERE s.key = $1 AND m.key = $2 RETURNING id`,
      [ids.system, milestone, users.engineer.id],
    )
  ).id;
}

/** A change of the matrix system authored by its owner, optionally already shipped. */
async function changeOnSystem(shipped = false): Promise<string> {
  const { id } = await one<{ id: string }>(
    `INSERT INTO change (system_id, title, url, ai_assisted, author_id, rollback_plan_url, registered_by_id, updated_at)
     SELECT s.id, 'Matrix change', 'https://git.example.com/pr/1', true, $2, 'https://wiki.example.com/rb', $2, now() FROM system s WHERE s.key = $1 RETURNING id`,
    [ids.gate, users.engineer.id],
  );
  if (shipped)
    await client.query(
      "INSERT INTO change_outcome (change_id, kind, allowed, recorded_by_id) VALUES ($1, 'SHIPPED', false, $2)",
      [id, users.engineer.id],
    );
  return id;
}

const CHANGES = "http://test/api/v1/changes";
const everyone: Who[] = ["lead", "engineer", "reviewer", "executive", "stranger"];

const ROUTES: Record<string, RouteCase> = {
  "POST /api/v1/changes": {
    // The system's owners and assigned engineers author its changes; leads may too.
    allowed: ["lead", "engineer", "reviewer"],
    service: true,
    request: () => ({
      url: CHANGES,
      init: post({
        system: ids.gate,
        title: "Matrix change",
        url: "https://git.example.com/pr/2",
        aiAssisted: false,
        rollbackPlanUrl: "https://wiki.example.com/rb",
        author: users.engineer.email,
      }),
      params: {},
    }),
  },
  "GET /api/v1/changes": { allowed: everyone, request: () => ({ url: `${CHANGES}?system=${ids.gate}`, params: {} }) },
  "GET /api/v1/changes/[id]": {
    allowed: everyone,
    request: async () => {
      const id = await changeOnSystem();
      return { url: `${CHANGES}/${id}`, params: { id } };
    },
  },
  "PATCH /api/v1/changes/[id]": {
    allowed: ["lead", "engineer"],
    request: async () => {
      const id = await changeOnSystem();
      return {
        url: `${CHANGES}/${id}`,
        init: {
          method: "PATCH",
          body: JSON.stringify({ version: 1, docsUrl: "https://docs.example.com/x" }),
          headers: { "Content-Type": "application/json" },
        },
        params: { id },
      };
    },
  },
  "GET /api/v1/changes/[id]/decision": {
    allowed: everyone,
    service: true,
    request: async () => {
      const id = await changeOnSystem();
      return { url: `${CHANGES}/${id}/decision`, params: { id } };
    },
  },
  "POST /api/v1/changes/[id]/reviews": {
    allowed: ["reviewer"],
    // The author is refused by separation of duties, a rule (422), not by role.
    refusedWith: { engineer: 422 },
    request: async () => {
      const id = await changeOnSystem();
      return { url: `${CHANGES}/${id}/reviews`, init: post({ decision: "APPROVE", comment: "" }), params: { id } };
    },
  },
  "POST /api/v1/changes/[id]/shipped": {
    allowed: ["lead", "engineer"],
    service: true,
    request: async () => {
      const id = await changeOnSystem();
      return { url: `${CHANGES}/${id}/shipped`, init: post({}), params: { id } };
    },
  },
  "POST /api/v1/changes/[id]/rolled-back": {
    allowed: ["lead", "engineer"],
    service: true,
    request: async () => {
      const id = await changeOnSystem(true);
      return {
        url: `${CHANGES}/${id}/rolled-back`,
        init: post({ incidentUrl: "https://status.example.com/1" }),
        params: { id },
      };
    },
  },
  "POST /api/v1/systems": {
    allowed: ["lead"],
    request: () => ({
      url: "http://test/api/v1/systems",
      init: post({
        key: `matrix-api-${Math.random().toString(36).slice(2, 10)}`,
        name: "Matrix API system",
        team: "Payments",
        tier: "TIER_2",
      }),
      params: {},
    }),
  },
  "PUT /api/v1/systems/[key]/assignments": {
    allowed: ["lead"],
    request: async () => {
      const { version } = await one<{ version: number }>(
        "SELECT assignments_version AS version FROM system WHERE key = $1",
        [ids.system],
      );
      return {
        url: `${CHECKPOINT}/${ids.system}/assignments`,
        init: {
          method: "PUT",
          body: JSON.stringify({ owners: [users.engineer.email], reviewers: [users.reviewer.email], version }),
          headers: { "Content-Type": "application/json" },
        },
        params: { key: ids.system! },
      };
    },
  },
  "POST /api/v1/systems/[key]/archive": {
    allowed: ["lead"],
    request: () => ({
      url: `${CHECKPOINT}/${ids.system}/archive`,
      init: post({ reason: "Matrix: retired" }),
      params: { key: ids.system! },
    }),
  },
  "POST /api/v1/systems/[key]/unarchive": {
    allowed: ["lead"],
    request: () => ({
      url: `${CHECKPOINT}/${ids.system}/unarchive`,
      init: post({ reason: "Matrix: back in service" }),
      params: { key: ids.system! },
    }),
  },
  "GET /api/v1/openapi.json": {
    public: true,
    allowed: ["anonymous", "lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({ url: "http://test/api/v1/openapi.json", params: {} }),
  },
  "GET /api/v1/me": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({ url: "http://test/api/v1/me", params: {} }),
  },
  "GET /api/v1/my-work": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({ url: "http://test/api/v1/my-work", params: {} }),
  },
  "GET /api/v1/program": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({ url: "http://test/api/v1/program", params: {} }),
  },
  "GET /api/v1/progress": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({ url: "http://test/api/v1/progress", params: {} }),
  },
  "GET /api/v1/audit": {
    allowed: ["lead", "executive"],
    request: () => ({ url: "http://test/api/v1/audit?limit=5", params: {} }),
  },
  "GET /api/v1/audit/verify": {
    allowed: ["lead", "executive"],
    request: () => ({ url: "http://test/api/v1/audit/verify", params: {} }),
  },
  "GET /api/v1/notifications": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({ url: "http://test/api/v1/notifications?unread=true", params: {} }),
  },
  "POST /api/v1/notifications/read": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({ url: "http://test/api/v1/notifications/read", init: post({ all: true }), params: {} }),
  },
  // Public by design (RFC 8058): the signed token is the credential, whoever sends it, so every
  // caller — nobody, any role, a service account — gets past "authorization"; a GET writes nothing.
  "GET /api/v1/notifications/unsubscribe": {
    public: true,
    allowed: ["anonymous", "lead", "engineer", "reviewer", "executive", "stranger"],
    request: async () => ({ url: await unsubscribeLink(), params: {} }),
  },
  "POST /api/v1/notifications/unsubscribe": {
    public: true,
    allowed: ["anonymous", "lead", "engineer", "reviewer", "executive", "stranger"],
    request: async () => ({
      url: await unsubscribeLink(),
      init: {
        method: "POST",
        body: "List-Unsubscribe=One-Click",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      },
      params: {},
    }),
  },
  "GET /api/v1/people": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({ url: "http://test/api/v1/people?q=re", params: {} }),
  },
  "GET /api/v1/systems": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({ url: `${CHECKPOINT}?team=Payments&pageSize=5`, params: {} }),
  },
  "GET /api/v1/systems/[key]": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({ url: `${CHECKPOINT}/${ids.system}`, params: { key: ids.system! } }),
  },
  "POST /api/v1/systems/[key]/checkpoints/[milestone]/evidence": {
    allowed: ["lead", "engineer"],
    request: () => ({
      url: `${CHECKPOINT}/${ids.system}/checkpoints/documentation/evidence`,
      init: post({ url: "https://docs.example.com/runbook", title: "Runbook", kind: "RUNBOOK" }),
      params: { key: ids.system!, milestone: "documentation" },
    }),
  },
  "POST /api/v1/systems/[key]/checkpoints/[milestone]/evidence/[id]/withdraw": {
    allowed: ["lead", "engineer"],
    request: async () => {
      const id = await evidenceOnSystem("rollback");
      return {
        url: `${CHECKPOINT}/${ids.system}/checkpoints/rollback/evidence/${id}/withdraw`,
        init: post({}),
        params: { key: ids.system!, milestone: "rollback", id },
      };
    },
  },
  "POST /api/v1/systems/[key]/checkpoints/[milestone]/submit": {
    allowed: ["lead", "engineer"],
    request: async () => ({
      url: `${CHECKPOINT}/${ids.system}/checkpoints/rollback/submit`,
      init: post({ version: await version("rollback") }),
      params: { key: ids.system!, milestone: "rollback" },
    }),
  },
  "POST /api/v1/systems/[key]/checkpoints/[milestone]/reviews": {
    allowed: ["reviewer"],
    refusedWith: { engineer: 422 },
    request: async () => ({
      url: `${CHECKPOINT}/${ids.system}/checkpoints/rollback/reviews`,
      init: post({ decision: "APPROVE", comment: "", version: await version("rollback") }),
      params: { key: ids.system!, milestone: "rollback" },
    }),
  },
  "GET /api/v1/systems/[key]/checkpoints/[milestone]/comments": {
    allowed: ["lead", "engineer", "reviewer", "executive", "stranger"],
    request: () => ({
      url: `${CHECKPOINT}/${ids.system}/checkpoints/documentation/comments`,
      params: { key: ids.system!, milestone: "documentation" },
    }),
  },
  // Owners, assigned reviewers and leads post; executives read only; an unassigned engineer neither.
  "POST /api/v1/systems/[key]/checkpoints/[milestone]/comments": {
    allowed: ["lead", "engineer", "reviewer"],
    request: () => ({
      url: `${CHECKPOINT}/${ids.system}/checkpoints/documentation/comments`,
      init: post({ body: "Matrix comment" }),
      params: { key: ids.system!, milestone: "documentation" },
    }),
  },
  "POST /api/v1/systems/[key]/checkpoints/[milestone]/waiver": {
    allowed: ["lead"],
    request: async () => ({
      url: `${CHECKPOINT}/${ids.system}/checkpoints/final-signoff/waiver`,
      init: post({ reason: "Matrix", expiresOn: "2027-01-10", version: await version("final-signoff") }),
      params: { key: ids.system!, milestone: "final-signoff" },
    }),
  },
  "POST /api/v1/systems/[key]/checkpoints/[milestone]/waiver/revoke": {
    allowed: ["lead"],
    request: async () => ({
      url: `${CHECKPOINT}/${ids.system}/checkpoints/risk-assessment/waiver/revoke`,
      init: post({ reason: "Matrix revocation", version: await waived("risk-assessment") }),
      params: { key: ids.system!, milestone: "risk-assessment" },
    }),
  },
};

const WHO: Who[] = ["anonymous", "lead", "engineer", "reviewer", "executive", "stranger"];

beforeAll(async () => {
  database = await createAppTestDatabase();
  client = database.client;
  const pick = (where: string) =>
    one<SessionUser>(`SELECT id, email, name, role, seniority FROM app_user WHERE ${where} ORDER BY email LIMIT 1`);
  users.lead = await pick("email = 'lead@resetboard.dev'");
  users.executive = await pick("email = 'exec@resetboard.dev'");
  users.engineer = await pick("email = 'owner@resetboard.dev'");
  users.stranger = await pick(
    "role = 'ENGINEER' AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.user_id = app_user.id)",
  );
  ids.target = (await pick("email = 'junior@resetboard.dev'")).id;
  ids.leaver = (
    await pick(
      "role = 'ENGINEER' AND email LIKE '%.%' AND EXISTS (SELECT 1 FROM assignment a WHERE a.user_id = app_user.id AND a.kind = 'OWNER')",
    )
  ).id;
  ids.successor = users.stranger.id;
  // A system the engineer owns, and a senior engineer who reviews it.
  const owned = await one<{ key: string; reviewer: string }>(
    `SELECT s.key, r.user_id AS reviewer FROM system s
       JOIN assignment o ON o.system_id = s.id AND o.kind = 'OWNER' AND o.user_id = $1
       JOIN assignment r ON r.system_id = s.id AND r.kind = 'REVIEWER'
       JOIN app_user u ON u.id = r.user_id AND u.role = 'ENGINEER' AND u.seniority IN ('SENIOR', 'PRINCIPAL')
      ORDER BY s.key LIMIT 1`,
    [users.engineer.id],
  );
  ids.system = owned.key;
  users.reviewer = await pick(`id = '${owned.reviewer}'`);
  // The change gate's cases use a system of their own, which the server actions above leave
  // alone: its owner is the engineer, its reviewer the reviewer, and nobody else is assigned.
  ids.gate = "matrix-gate";
  const gate = await one<{ id: string }>(
    "INSERT INTO system (key, name, team, tier, updated_at) VALUES ($1, 'Matrix gate', 'Payments', 'TIER_1', now()) RETURNING id",
    [ids.gate],
  );
  await client.query(
    "INSERT INTO assignment (system_id, user_id, kind) VALUES ($1, $2, 'OWNER'), ($1, $3, 'REVIEWER')",
    [gate.id, users.engineer.id, users.reviewer.id],
  );
  // A pipeline's service account scoped to that system (created as a lead does, under Admin).
  const { createServiceAccount } = await import("@/lib/data/service-accounts");
  const { account } = await createServiceAccount(
    {
      kind: "user",
      id: users.lead.id,
      email: users.lead.email,
      role: users.lead.role,
      seniority: users.lead.seniority,
    },
    { name: "matrix pipeline", systems: [ids.gate] },
  );
  users.service = await pick(`email = '${account.email}'`);
  // Someone with no part in the other cases, for the bulk reviewer assignment.
  ids.bulkReviewer = (
    await pick(
      `role = 'ENGINEER' AND id NOT IN ('${users.stranger.id}', '${ids.target}', '${ids.leaver}', '${users.reviewer.id}', '${users.engineer.id}')
       AND NOT EXISTS (SELECT 1 FROM assignment a JOIN system s ON s.id = a.system_id WHERE a.user_id = app_user.id AND s.key = '${owned.key}')`,
    )
  ).email;
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("the matrix covers everything that can change state", () => {
  it("has a case for every exported server action", async () => {
    const found: string[] = [];
    for (const file of serverActionFiles) {
      const mod = (await import(file)) as Record<string, unknown>;
      const relative = path.relative(path.resolve("app"), file).replace(/\(app\)\//, "");
      for (const [name, value] of Object.entries(mod))
        if (typeof value === "function") found.push(`${relative}#${name}`);
    }
    expect(found.length).toBeGreaterThan(0);
    expect(found.sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  it("has a case for every /api/v1 route and method", async () => {
    const found: string[] = [];
    for (const file of apiRouteFiles) {
      const mod = (await import(file)) as Record<string, unknown>;
      const route = "/" + path.relative(path.resolve("app"), path.dirname(file)).split(path.sep).join("/");
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"])
        if (typeof mod[method] === "function") found.push(`${method} ${route}`);
    }
    expect(found.sort()).toEqual(Object.keys(ROUTES).sort());
  });
});

describe("server actions", () => {
  for (const [name, spec] of Object.entries(ACTIONS)) {
    const [file, exported] = name.split("#") as [string, string];
    // Refusals first, on untouched data; then the allowed callers.
    const order = [...WHO.filter((w) => !spec.allowed.includes(w)), ...spec.allowed];
    for (const who of order) {
      const allowed = spec.allowed.includes(who);
      it(`${name}: ${who} is ${allowed ? "allowed" : "refused, and nothing is written"}`, async () => {
        const mod = (await import(path.resolve("app", "(app)", file))) as Record<
          string,
          (prev: null, data: FormData) => Promise<{ ok: boolean; message?: string }>
        >;
        const input = await spec.input(who);
        session.user = who === "anonymous" ? null : users[who];
        const before = await snapshot();
        const result = await mod[exported]!(null, input);
        if (allowed) {
          expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
          return;
        }
        expect(result.ok).toBe(false);
        expect(result.message).toMatch(
          who === "anonymous" ? /sign in again/ : /only|for program leads|your own|yourself|cannot/i,
        );
        const after = await snapshot();
        expect({ ...after, seq: undefined }).toEqual({ ...before, seq: undefined });
        const events = await client.query<{ action: string }>("SELECT action FROM audit_event WHERE seq > $1", [
          before.seq,
        ]);
        const silent = who === "anonymous" || spec.ruleRefusals?.includes(who);
        expect(events.rows.map((e) => e.action)).toEqual(silent ? [] : ["authz.denied"]);
      });
    }
  }
});

describe("/api/v1 routes", () => {
  for (const [name, spec] of Object.entries(ROUTES)) {
    const [method, route] = name.split(" ") as [string, string];
    for (const who of WHO) {
      const allowed = spec.allowed.includes(who);
      const refusal = spec.refusedWith?.[who] ?? 403;
      it(`${name}: ${who} gets ${who === "anonymous" && !spec.public ? "401" : allowed ? "past authorization" : refusal}`, async () => {
        const file = path.resolve("app", ...route.slice(1).split("/"), "route.ts");
        const mod = (await import(file)) as Record<
          string,
          (request: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>
        >;
        const { url, init, params } = await spec.request();
        session.user = who === "anonymous" ? null : users[who];
        const before = await snapshot();
        const response = await mod[method]!(new Request(url, { method, ...init }), { params: Promise.resolve(params) });
        const detail = response.status >= 400 ? await response.clone().text() : "";
        if (who === "anonymous" && !spec.public) expect(response.status).toBe(401);
        else if (allowed && method === "GET") expect(response.status, detail).toBe(200);
        // Writes: authorization passed; whether the data allows it now is the workflow tests' matter.
        else if (allowed) expect([200, 201, 409, 422], detail).toContain(response.status);
        else expect(response.status, detail).toBe(refusal);
        if (!allowed || method === "GET") {
          const after = await snapshot();
          expect({ ...after, seq: undefined }).toEqual({ ...before, seq: undefined });
        }
      });
    }
  }
});

describe("/api/v1 routes with a service account's token", () => {
  // Its only powers: register changes for its scope, record their outcomes, read decisions.
  // Every other route is a 403 that writes nothing but the refusal's audit event.
  for (const [name, spec] of Object.entries(ROUTES)) {
    const [method, route] = name.split(" ") as [string, string];
    const open = spec.service || spec.public;
    it(`${name}: a service account ${open ? "gets past authorization" : "gets 403, audited"}`, async () => {
      const file = path.resolve("app", ...route.slice(1).split("/"), "route.ts");
      const mod = (await import(file)) as Record<
        string,
        (request: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>
      >;
      const { url, init, params } = await spec.request();
      session.user = users.service;
      const before = await snapshot();
      const response = await mod[method]!(new Request(url, { method, ...init }), { params: Promise.resolve(params) });
      const detail = response.status >= 400 ? await response.clone().text() : "";
      if (open) {
        expect(method === "GET" ? [200] : [200, 201], detail).toContain(response.status);
        return;
      }
      expect(response.status, detail).toBe(403);
      const after = await snapshot();
      expect({ ...after, seq: undefined }).toEqual({ ...before, seq: undefined });
      const events = await client.query<{ action: string; actor_id: string }>(
        "SELECT action, actor_id FROM audit_event WHERE seq > $1",
        [before.seq],
      );
      expect(events.rows).toEqual([{ action: "authz.denied", actor_id: users.service.id }]);
    });
  }
});
