// The demo seed against a real, migrated Postgres: the fleet and accounts the demo promises, every
// row consistent with the sign-off rules of docs/RULES.md, section 3, a valid audit chain, the same
// data on every run, and refusal to touch a database that is not empty or is production.
import { verify } from "@node-rs/argon2";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GENESIS_HASH, verifyChain, type JsonValue, type StoredEvent } from "@/lib/audit/chain";
import { evidenceDigest } from "@/lib/domain/evidence-digest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo, type SeedResult } from "@/prisma/seed";
import { createTestDatabase, type TestDatabase } from "@/tests/db";

const TODAY = new Date("2026-03-12T15:30:00.000Z");
const TODAY_DATE = "2026-03-12";
const STARTS_ON = "2026-01-31"; // 40 days earlier: today is day 41
const ENDS_ON = "2026-05-01"; // starts_on + 90

// docs/RULES.md, section 2, "Demo program milestones" — the contract, written out rather than imported.
const EXPECTED_MILESTONES = [
  { sequence: 1, key: "inventory", name: "Inventory and ownership confirmed", dueDay: 7, min: "MID" },
  { sequence: 2, key: "risk-assessment", name: "Blast radius and risk assessed", dueDay: 14, min: "MID" },
  { sequence: 3, key: "access-review", name: "Production access peer-reviewed", dueDay: 30, min: "SENIOR" },
  { sequence: 4, key: "peer-review", name: "Two-person code review enforced", dueDay: 30, min: "MID" },
  { sequence: 5, key: "ai-change-controls", name: "AI-assisted change controls in place", dueDay: 45, min: "SENIOR" },
  { sequence: 6, key: "rollback", name: "Rollback plan tested", dueDay: 60, min: "MID" },
  { sequence: 7, key: "documentation", name: "Runbook and change documentation complete", dueDay: 75, min: "MID" },
  { sequence: 8, key: "final-signoff", name: "Senior engineering sign-off", dueDay: 90, min: "SENIOR" },
];

const RANK: Record<string, number> = { JUNIOR: 0, MID: 1, SENIOR: 2, PRINCIPAL: 3 };

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  seniority: string;
  password_hash: string;
}
interface SystemRow {
  id: string;
  key: string;
  name: string;
  description: string;
  team: string;
  tier: string;
  ai_assisted: boolean;
  repo_url: string | null;
  runbook_url: string | null;
  joined_on: string | null;
  archived_at: Date | null;
  archived_reason: string | null;
}
interface MilestoneRow {
  id: string;
  key: string;
  name: string;
  sequence: number;
  due_day: number;
  required_approvals: number;
  min_reviewer_seniority: string;
  description: string;
  evidence_hint: string;
}
interface AssignmentRow {
  system_id: string;
  user_id: string;
  kind: "OWNER" | "REVIEWER";
}
interface CheckpointRow {
  id: string;
  system_id: string;
  milestone_id: string;
  status: string;
  due_on: string;
  version: number;
  round: number;
  status_changed_at: Date;
  submitted_at: Date | null;
  completed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}
interface EvidenceRow {
  id: string;
  checkpoint_id: string;
  submitted_by_id: string;
  submitted_at: Date;
  url: string;
  withdrawn_at: Date | null;
}
interface ReviewRow {
  id: string;
  checkpoint_id: string;
  reviewer_id: string;
  round: number;
  decision: string;
  comment: string;
  seniority: string;
  evidence_digest: string;
  at: Date;
}
interface WaiverRow {
  id: string;
  checkpoint_id: string;
  reason: string;
  granted_by_id: string;
  expires_on: string;
  prior_status: string;
  at: Date;
  revoked_at: Date | null;
  lapsed_at: Date | null;
}
interface AuditRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  system_key: string | null;
  data: JsonValue;
  prev_hash: string;
  hash: string;
}

interface Loaded {
  users: UserRow[];
  systems: SystemRow[];
  milestones: MilestoneRow[];
  assignments: AssignmentRow[];
  checkpoints: CheckpointRow[];
  evidence: EvidenceRow[];
  reviews: ReviewRow[];
  waivers: WaiverRow[];
  audit: AuditRow[];
  program: { name: string; starts_on: string; duration_days: number; active: boolean }[];
}

async function load(url: string): Promise<Loaded> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql)).rows;
    return {
      users: await q<UserRow>(`SELECT id, email, name, role, seniority, password_hash FROM app_user`),
      systems: await q<SystemRow>(
        `SELECT id, key, name, description, team, tier, ai_assisted, repo_url, runbook_url, joined_on::text AS joined_on, archived_at, archived_reason FROM system`,
      ),
      milestones: await q<MilestoneRow>(
        `SELECT id, key, name, sequence, due_day, required_approvals, min_reviewer_seniority, description, evidence_hint FROM milestone ORDER BY sequence`,
      ),
      assignments: await q<AssignmentRow>(`SELECT system_id, user_id, kind FROM assignment`),
      checkpoints: await q<CheckpointRow>(
        `SELECT id, system_id, milestone_id, status, due_on::text AS due_on, version, round, status_changed_at, submitted_at, completed_at, created_at, updated_at FROM checkpoint`,
      ),
      evidence: await q<EvidenceRow>(
        `SELECT e.id, e.checkpoint_id, e.submitted_by_id, e.submitted_at, e.url, w.at AS withdrawn_at FROM evidence e LEFT JOIN evidence_withdrawal w ON w.evidence_id = e.id`,
      ),
      reviews: await q<ReviewRow>(
        `SELECT id, checkpoint_id, reviewer_id, round, decision, comment, seniority, evidence_digest, at FROM review`,
      ),
      waivers: await q<WaiverRow>(
        `SELECT id, checkpoint_id, reason, granted_by_id, expires_on::text AS expires_on, prior_status, at, revoked_at, lapsed_at FROM waiver`,
      ),
      audit: await q<AuditRow>(`SELECT * FROM audit_event ORDER BY seq`),
      program: await q(`SELECT name, starts_on::text AS starts_on, duration_days, active FROM program`),
    };
  } finally {
    await client.end();
  }
}

/** pg hands bigint back as a string and jsonb already parsed; the chain wants bigint and the JSON. */
function toStored(row: AuditRow): StoredEvent {
  return {
    seq: BigInt(row.seq),
    at: row.at,
    actorId: row.actor_id,
    actorEmail: row.actor_email,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    systemKey: row.system_key,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function get<K, V>(map: Map<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`missing ${String(key)}`);
  return value;
}

function dataOf(row: AuditRow): Record<string, JsonValue> {
  const data = row.data;
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw new Error(`audit ${row.seq} data is not an object`);
  return data;
}

let db: TestDatabase;
let result: SeedResult;
let data: Loaded;
const logLines: string[] = [];

// Derived views used by several tests.
let usersById: Map<string, UserRow>;
let systemsById: Map<string, SystemRow>;
let milestonesById: Map<string, MilestoneRow>;
let ownersBySystem: Map<string, Set<string>>;
let reviewersBySystem: Map<string, Set<string>>;
let evidenceByCheckpoint: Map<string, EvidenceRow[]>;
let reviewsByCheckpoint: Map<string, ReviewRow[]>;

function needed(c: CheckpointRow): number {
  const m = get(milestonesById, c.milestone_id);
  return Math.max(m.required_approvals, get(systemsById, c.system_id).tier === "TIER_0" ? 2 : 1);
}

function requiredRank(c: CheckpointRow): number {
  const m = get(milestonesById, c.milestone_id);
  const min = RANK[m.min_reviewer_seniority] ?? 99;
  return get(systemsById, c.system_id).ai_assisted ? Math.max(min, RANK.SENIOR ?? 2) : min;
}

function currentEvidence(c: CheckpointRow): EvidenceRow[] {
  return (evidenceByCheckpoint.get(c.id) ?? []).filter((e) => e.withdrawn_at === null);
}

function currentRound(c: CheckpointRow): ReviewRow[] {
  return (reviewsByCheckpoint.get(c.id) ?? []).filter((r) => r.round === c.round);
}

beforeAll(async () => {
  db = await createTestDatabase();
  result = await seedDemo(db.url, { today: TODAY, log: (line) => logLines.push(line) });
  data = await load(db.url);
  usersById = new Map(data.users.map((u) => [u.id, u]));
  systemsById = new Map(data.systems.map((s) => [s.id, s]));
  milestonesById = new Map(data.milestones.map((m) => [m.id, m]));
  ownersBySystem = new Map(data.systems.map((s) => [s.id, new Set<string>()]));
  reviewersBySystem = new Map(data.systems.map((s) => [s.id, new Set<string>()]));
  for (const a of data.assignments)
    get(a.kind === "OWNER" ? ownersBySystem : reviewersBySystem, a.system_id).add(a.user_id);
  evidenceByCheckpoint = groupBy(data.evidence, (e) => e.checkpoint_id);
  reviewsByCheckpoint = groupBy(data.reviews, (r) => r.checkpoint_id);
});

afterAll(async () => {
  await db?.drop();
});

describe("seedDemo on an empty database", () => {
  it("reports what it wrote and logs each phase", () => {
    expect(result).toEqual({
      users: data.users.length,
      systems: data.systems.length,
      checkpoints: data.checkpoints.length,
      evidence: data.evidence.length,
      reviews: data.reviews.length,
      waivers: data.waivers.length,
      auditEvents: data.audit.length,
    });
    expect(logLines.some((l) => /Inserted \d+ audit_event rows/.test(l))).toBe(true);
    expect(logLines.some((l) => /Seeded in \d+ ms/.test(l))).toBe(true);
  });

  it("creates the program on day 41 of 90 with the demo program's eight milestones", () => {
    expect(data.program).toEqual([
      { name: "Code Safety Reset 2026", starts_on: STARTS_ON, duration_days: 90, active: true },
    ]);
    expect(
      data.milestones.map((m) => ({
        sequence: m.sequence,
        key: m.key,
        name: m.name,
        dueDay: m.due_day,
        min: m.min_reviewer_seniority,
      })),
    ).toEqual(EXPECTED_MILESTONES);
    for (const m of data.milestones) {
      expect(m.required_approvals).toBe(1);
      expect(m.description.length).toBeGreaterThan(40);
      expect(m.evidence_hint.length).toBeGreaterThan(20);
    }
  });

  it("creates 335 believable systems across about twelve teams and all three tiers", () => {
    expect(data.systems).toHaveLength(335);
    expect(data.checkpoints).toHaveLength(335 * 8);
    const teams = new Set(data.systems.map((s) => s.team));
    expect(teams.size).toBeGreaterThanOrEqual(10);
    expect(teams.size).toBeLessThanOrEqual(14);
    const share = (predicate: (s: SystemRow) => boolean) => data.systems.filter(predicate).length / data.systems.length;
    expect(share((s) => s.tier === "TIER_0")).toBeGreaterThan(0.08);
    expect(share((s) => s.tier === "TIER_0")).toBeLessThan(0.22);
    expect(share((s) => s.tier === "TIER_1")).toBeGreaterThan(0.25);
    expect(share((s) => s.tier === "TIER_2")).toBeGreaterThan(0.4);
    expect(share((s) => s.ai_assisted)).toBeGreaterThan(0.2);
    expect(share((s) => s.ai_assisted)).toBeLessThan(0.4);
    expect(new Set(data.systems.map((s) => s.name)).size).toBe(335);
    for (const s of data.systems) {
      expect(s.key).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
      expect(s.description.length).toBeGreaterThan(30);
      expect(s.repo_url).toMatch(/^https:\/\/git\.example\.com\//);
      expect(s.runbook_url).toMatch(/^https:\/\/runbooks\.example\.com\//);
    }
  });

  it("creates every demo account with its role and seniority, signing in with the demo password", async () => {
    const byEmail = new Map(data.users.map((u) => [u.email, u]));
    for (const account of DEMO_ACCOUNTS) {
      const user = byEmail.get(account.email);
      expect(user, account.email).toBeDefined();
      expect({ role: user?.role, seniority: user?.seniority }).toEqual({
        role: account.role,
        seniority: account.seniority,
      });
    }
    expect(byEmail.get("lead@resetboard.dev")).toMatchObject({ role: "LEAD", seniority: "PRINCIPAL" });
    expect(byEmail.get("exec@resetboard.dev")).toMatchObject({ role: "EXECUTIVE", seniority: "SENIOR" });
    expect(byEmail.get("owner@resetboard.dev")).toMatchObject({ role: "ENGINEER", seniority: "MID" });
    expect(byEmail.get("reviewer@resetboard.dev")).toMatchObject({ role: "ENGINEER", seniority: "SENIOR" });
    expect(byEmail.get("junior@resetboard.dev")).toMatchObject({ role: "ENGINEER", seniority: "JUNIOR" });
    const lead = byEmail.get("lead@resetboard.dev");
    expect(lead && (await verify(lead.password_hash, DEMO_PASSWORD))).toBe(true);
    expect(lead && (await verify(lead.password_hash, "wrong-password"))).toBe(false);
    expect(lead?.password_hash).toMatch(/^\$argon2id\$/);

    expect(data.users.filter((u) => u.role === "LEAD").length).toBeGreaterThanOrEqual(2);
    expect(data.users.filter((u) => u.role === "EXECUTIVE").length).toBeGreaterThanOrEqual(2);
    const engineers = data.users.filter((u) => u.role === "ENGINEER");
    expect(engineers.length).toBeGreaterThanOrEqual(63);
    expect(engineers.length).toBeLessThanOrEqual(85);
    expect(new Set(engineers.map((u) => u.seniority))).toEqual(new Set(["JUNIOR", "MID", "SENIOR", "PRINCIPAL"]));
    for (const u of data.users) expect(u.email).toMatch(/^[a-z0-9.]+@resetboard\.dev$/);
  });

  it("gives the owner, reviewer and junior demo accounts work to show", () => {
    const id = (email: string) => data.users.find((u) => u.email === email)?.id ?? "";
    const owner = id("owner@resetboard.dev");
    const reviewer = id("reviewer@resetboard.dev");
    const junior = id("junior@resetboard.dev");
    const owned = data.systems.filter((s) => get(ownersBySystem, s.id).has(owner));
    expect(owned.length).toBeGreaterThanOrEqual(3);
    const ownedCheckpoints = data.checkpoints.filter((c) => owned.some((s) => s.id === c.system_id));
    expect(ownedCheckpoints.some((c) => c.status === "CHANGES_REQUESTED")).toBe(true);
    expect(ownedCheckpoints.some((c) => c.status === "IN_PROGRESS")).toBe(true);

    // Waiting for the reviewer: submitted, they are eligible and have not signed this round.
    const waiting = data.checkpoints.filter(
      (c) =>
        c.status === "SUBMITTED" &&
        get(reviewersBySystem, c.system_id).has(reviewer) &&
        requiredRank(c) <= (RANK.SENIOR ?? 2) &&
        !currentRound(c).some((r) => r.reviewer_id === reviewer),
    );
    expect(new Set(waiting.map((c) => c.system_id)).size).toBeGreaterThanOrEqual(5);

    // The junior is assigned where something is submitted, yet every milestone needs MID or more.
    const juniorSubmitted = data.checkpoints.filter(
      (c) => c.status === "SUBMITTED" && get(reviewersBySystem, c.system_id).has(junior),
    );
    expect(new Set(juniorSubmitted.map((c) => c.system_id)).size).toBeGreaterThanOrEqual(3);
    expect(juniorSubmitted.every((c) => requiredRank(c) > (RANK.JUNIOR ?? 0))).toBe(true);
    expect(data.reviews.some((r) => r.reviewer_id === junior)).toBe(false);
  });

  it("assigns owners and reviewers so that every checkpoint can be signed off", () => {
    // The late joiner is deliberately left with one senior reviewer (checked below).
    for (const s of data.systems.filter((x) => x.joined_on === null)) {
      const owners = get(ownersBySystem, s.id);
      const reviewers = get(reviewersBySystem, s.id);
      expect(owners.size, s.key).toBeGreaterThanOrEqual(1);
      expect(owners.size, s.key).toBeLessThanOrEqual(2);
      expect(reviewers.size, s.key).toBeGreaterThanOrEqual(1);
      expect(reviewers.size, s.key).toBeLessThanOrEqual(3);
      expect(
        [...owners].filter((u) => reviewers.has(u)),
        s.key,
      ).toEqual([]);
      const seniors = [...reviewers].filter(
        (u) => (RANK[get(usersById, u).seniority] ?? 0) >= (RANK.SENIOR ?? 2),
      ).length;
      expect(seniors, s.key).toBeGreaterThanOrEqual(s.tier === "TIER_0" ? 2 : 1);
      for (const u of [...owners, ...reviewers]) expect(get(usersById, u).role).toBe("ENGINEER");
    }
  });

  it("has one late joiner, short of reviewers on purpose, and one archived system with its history", () => {
    const joiners = data.systems.filter((s) => s.joined_on !== null);
    expect(joiners).toHaveLength(1);
    const joiner = joiners[0]!;
    // Day 38 of a program that started on STARTS_ON.
    expect(joiner.joined_on).toBe(
      new Date(Date.parse(`${STARTS_ON}T00:00:00Z`) + 37 * 86_400_000).toISOString().slice(0, 10),
    );
    expect(joiner.tier).toBe("TIER_0");
    const reviewers = [...get(reviewersBySystem, joiner.id)];
    expect(reviewers.filter((u) => (RANK[get(usersById, u).seniority] ?? 0) >= (RANK.SENIOR ?? 2))).toHaveLength(1);
    const own = data.checkpoints.filter((c) => c.system_id === joiner.id);
    expect(own.length).toBe(EXPECTED_MILESTONES.length);
    for (const c of own) {
      expect(c.status).toBe("NOT_STARTED");
      // Rule 13: due from the join day, never before it, never after the end.
      expect(c.due_on >= joiner.joined_on!).toBe(true);
      expect(c.due_on <= ENDS_ON).toBe(true);
    }
    const archived = data.systems.filter((s) => s.archived_at !== null);
    expect(archived).toHaveLength(1);
    expect(archived[0]!.archived_reason).toMatch(/Retired/);
    expect(data.checkpoints.filter((c) => c.system_id === archived[0]!.id)).toHaveLength(EXPECTED_MILESTONES.length);
  });

  it("backs every APPROVED checkpoint with quorum, separation of duties and seniority", () => {
    const approved = data.checkpoints.filter((c) => c.status === "APPROVED");
    expect(approved.length).toBeGreaterThan(800);
    for (const c of approved) {
      const where = `${get(systemsById, c.system_id).key}/${get(milestonesById, c.milestone_id).key}`;
      const evidence = currentEvidence(c);
      expect(evidence.length, where).toBeGreaterThan(0);
      const authors = new Set(evidence.map((e) => e.submitted_by_id));
      const approvals = currentRound(c).filter((r) => r.decision === "APPROVE");
      const approvers = new Set(approvals.map((r) => r.reviewer_id));
      expect(approvers.size, where).toBe(approvals.length);
      expect(approvers.size, where).toBeGreaterThanOrEqual(needed(c));
      expect(
        currentRound(c).some((r) => r.decision === "REQUEST_CHANGES"),
        where,
      ).toBe(false);
      for (const review of approvals) {
        const reviewer = get(usersById, review.reviewer_id);
        expect(get(reviewersBySystem, c.system_id).has(reviewer.id), where).toBe(true);
        expect(get(ownersBySystem, c.system_id).has(reviewer.id), where).toBe(false);
        expect(authors.has(reviewer.id), where).toBe(false);
        expect(RANK[reviewer.seniority] ?? -1, where).toBeGreaterThanOrEqual(requiredRank(c));
        expect(review.seniority, where).toBe(reviewer.seniority);
        expect(review.evidence_digest, where).toBe(evidenceDigest(evidence.map((e) => e.id)));
        expect(review.at.getTime(), where).toBeGreaterThan(c.submitted_at?.getTime() ?? Infinity);
      }
      expect(c.round, where).toBeGreaterThanOrEqual(1);
      expect(c.completed_at?.getTime(), where).toBe(Math.max(...approvals.map((r) => r.at.getTime())));
    }
  });

  it("keeps SUBMITTED, CHANGES_REQUESTED, IN_PROGRESS and NOT_STARTED consistent with the rules", () => {
    for (const c of data.checkpoints) {
      const where = `${get(systemsById, c.system_id).key}/${get(milestonesById, c.milestone_id).key} ${c.status}`;
      const round = currentRound(c);
      const reviews = reviewsByCheckpoint.get(c.id) ?? [];
      expect(
        reviews.every((r) => r.round >= 1 && r.round <= c.round),
        where,
      ).toBe(true);
      expect(c.completed_at === null, where).toBe(!["APPROVED", "WAIVED"].includes(c.status));
      switch (c.status) {
        case "SUBMITTED":
          expect(currentEvidence(c).length, where).toBeGreaterThan(0);
          expect(c.round, where).toBeGreaterThanOrEqual(1);
          expect(round.filter((r) => r.decision === "APPROVE").length, where).toBeLessThan(needed(c));
          expect(
            round.some((r) => r.decision === "REQUEST_CHANGES"),
            where,
          ).toBe(false);
          expect(c.submitted_at?.getTime(), where).toBe(c.status_changed_at.getTime());
          break;
        case "CHANGES_REQUESTED": {
          const request = round.find((r) => r.decision === "REQUEST_CHANGES");
          expect(request, where).toBeDefined();
          expect(request?.comment.trim().length, where).toBeGreaterThan(0);
          expect(request?.at.getTime(), where).toBe(c.status_changed_at.getTime());
          break;
        }
        case "IN_PROGRESS":
          expect(currentEvidence(c).length, where).toBeGreaterThan(0);
          break;
        case "NOT_STARTED":
          expect(evidenceByCheckpoint.get(c.id) ?? [], where).toEqual([]);
          expect(reviews, where).toEqual([]);
          expect({ round: c.round, version: c.version, submitted: c.submitted_at }, where).toEqual({
            round: 0,
            version: 1,
            submitted: null,
          });
          break;
      }
    }
    // A few evidence links were withdrawn, never deleted, on work still in progress.
    const withdrawn = data.evidence.filter((e) => e.withdrawn_at !== null);
    expect(withdrawn.length).toBeGreaterThan(0);
    const statusById = new Map(data.checkpoints.map((c) => [c.id, c.status]));
    for (const e of withdrawn) expect(statusById.get(e.checkpoint_id)).toBe("IN_PROGRESS");
    for (const e of data.evidence) expect(e.url).toMatch(/^https:\/\/[^\s]+$/);
  });

  it("waives a few checkpoints, each with one lead-granted waiver in force until at most the program end", () => {
    const waived = data.checkpoints.filter((c) => c.status === "WAIVED");
    expect(waived.length).toBeGreaterThanOrEqual(5);
    expect(waived.length).toBeLessThanOrEqual(15);
    expect(data.waivers).toHaveLength(waived.length);
    const byCheckpoint = groupBy(data.waivers, (w) => w.checkpoint_id);
    for (const c of waived) {
      const waivers = byCheckpoint.get(c.id) ?? [];
      expect(waivers).toHaveLength(1);
      const [w] = waivers;
      if (!w) continue;
      expect(get(usersById, w.granted_by_id).role).toBe("LEAD");
      expect(w.reason.trim().length).toBeGreaterThan(10);
      expect(w.expires_on <= ENDS_ON).toBe(true);
      expect(w.expires_on > TODAY_DATE).toBe(true);
      expect({ revoked: w.revoked_at, lapsed: w.lapsed_at }).toEqual({ revoked: null, lapsed: null });
      expect(["NOT_STARTED", "IN_PROGRESS"]).toContain(w.prior_status);
      expect(c.completed_at?.getTime()).toBe(w.at.getTime());
    }
  });

  it("paints a mid-program picture: early milestones done, some overdue, teams at different paces", () => {
    const bySequence = (sequence: number) => {
      const m = data.milestones.find((x) => x.sequence === sequence);
      return data.checkpoints.filter((c) => c.milestone_id === m?.id);
    };
    const share = (list: CheckpointRow[], statuses: string[]) =>
      list.filter((c) => statuses.includes(c.status)).length / list.length;
    expect(share(bySequence(1), ["APPROVED"])).toBeGreaterThan(0.9);
    expect(share(bySequence(2), ["APPROVED"])).toBeGreaterThan(0.85);
    for (const sequence of [3, 4]) {
      const statuses = new Set(bySequence(sequence).map((c) => c.status));
      for (const s of ["APPROVED", "SUBMITTED", "IN_PROGRESS", "CHANGES_REQUESTED"]) expect(statuses).toContain(s);
      expect(share(bySequence(sequence), ["APPROVED"])).toBeLessThan(0.9);
    }
    expect(bySequence(5).some((c) => c.status === "IN_PROGRESS")).toBe(true);
    for (const sequence of [6, 7, 8]) expect(share(bySequence(sequence), ["NOT_STARTED"])).toBeGreaterThan(0.75);
    expect(bySequence(7).some((c) => c.status !== "NOT_STARTED")).toBe(true);

    const overdue = data.checkpoints.filter((c) => c.due_on < TODAY_DATE && !["APPROVED", "WAIVED"].includes(c.status));
    expect(overdue.length).toBeGreaterThan(20);

    const byTeam = groupBy(data.checkpoints, (c) => get(systemsById, c.system_id).team);
    const done = [...byTeam.values()].map((list) => share(list, ["APPROVED", "WAIVED"]));
    expect(Math.max(...done) - Math.min(...done)).toBeGreaterThan(0.15);
  });

  it("records every change in one valid, chronological audit chain", () => {
    const events = data.audit.map(toStored);
    const verified = verifyChain(events);
    expect(verified.ok).toBe(true);
    expect(verified.events).toBe(result.auditEvents);
    expect(data.audit[0]?.seq).toBe("1");
    expect(data.audit[0]?.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < data.audit.length; i += 1) {
      expect((data.audit[i]?.at.getTime() ?? 0) >= (data.audit[i - 1]?.at.getTime() ?? 0)).toBe(true);
    }
    const count = (action: string) => data.audit.filter((e) => e.action === action).length;
    expect(count("user.create")).toBe(data.users.length);
    expect(count("program.create")).toBe(1);
    expect(count("milestone.create")).toBe(8);
    expect(count("system.create")).toBe(data.systems.length);
    expect(count("assignment.set")).toBe(data.systems.length);
    expect(count("evidence.add")).toBe(data.evidence.length);
    expect(count("evidence.withdraw")).toBe(data.evidence.filter((e) => e.withdrawn_at).length);
    expect(count("review.approve")).toBe(data.reviews.filter((r) => r.decision === "APPROVE").length);
    expect(count("review.request_changes")).toBe(data.reviews.filter((r) => r.decision === "REQUEST_CHANGES").length);
    expect(count("waiver.grant")).toBe(data.waivers.length);
    expect(count("checkpoint.submit")).toBe(data.checkpoints.reduce((sum, c) => sum + c.round, 0));

    // Actors are real users; the seed's own setup is attributed to the lead, user creation to no one.
    for (const e of data.audit) {
      if (e.action === "user.create") expect(e.actor_id).toBeNull();
      else expect(e.actor_email && get(usersById, e.actor_id ?? "").email).toBe(e.actor_email);
    }
  });

  it("versions each checkpoint by its status transitions, with evidence before submission before review", () => {
    const byCheckpoint = groupBy(
      data.audit.filter((e) => typeof dataOf(e).checkpointId === "string"),
      (e) => String(dataOf(e).checkpointId),
    );
    for (const c of data.checkpoints) {
      const events = byCheckpoint.get(c.id) ?? [];
      const transitions = events.filter((e) => dataOf(e).from !== dataOf(e).to);
      expect(c.version).toBe(1 + transitions.length);
      const last = transitions.at(-1);
      expect(c.status_changed_at.getTime()).toBe(last ? last.at.getTime() : c.created_at.getTime());
      if (last) expect(dataOf(last).to).toBe(c.status);
      expect(c.updated_at.getTime()).toBe(events.at(-1)?.at.getTime() ?? c.created_at.getTime());
      let submitted = false;
      let evidence = 0;
      for (const e of events) {
        expect(e.at.getTime()).toBeLessThanOrEqual(TODAY.getTime());
        if (e.action === "evidence.add") evidence += 1;
        if (e.action === "checkpoint.submit") {
          expect(evidence).toBeGreaterThan(0);
          submitted = true;
        }
        if (e.action.startsWith("review.")) expect(submitted).toBe(true);
      }
    }
    const latest = Math.max(
      ...data.evidence.map((e) => e.submitted_at.getTime()),
      ...data.reviews.map((r) => r.at.getTime()),
      ...data.waivers.map((w) => w.at.getTime()),
      ...data.checkpoints.map((c) => c.updated_at.getTime()),
    );
    expect(latest).toBeLessThanOrEqual(TODAY.getTime());
  });

  it("refuses a second seed on the same database and leaves its data unchanged", async () => {
    await expect(seedDemo(db.url, { today: TODAY })).rejects.toThrow(/already has a program/);
    const after = await load(db.url);
    expect(after.audit.length).toBe(data.audit.length);
    expect(after.audit.at(-1)?.hash).toBe(data.audit.at(-1)?.hash);
    expect(after.users.length).toBe(data.users.length);
    expect(after.checkpoints.length).toBe(data.checkpoints.length);
  });

  it("refuses to run in production unless forced", async () => {
    vi.stubEnv("NODE_ENV", "production");
    try {
      await expect(seedDemo(db.url, { today: TODAY })).rejects.toThrow(/NODE_ENV is production/);
      // Forced, it gets past the environment check and is stopped by the data already there.
      await expect(seedDemo(db.url, { today: TODAY, force: true })).rejects.toThrow(/already has a program/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("seedDemo elsewhere", () => {
  const extra: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of extra) await d.drop();
  });
  const fresh = async () => {
    const d = await createTestDatabase();
    extra.push(d);
    return d;
  };

  async function fingerprint(url: string): Promise<Record<string, string>> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const one = async (sql: string) => String((await client.query<{ v: string }>(sql)).rows[0]?.v);
      return {
        lastHash: await one(`SELECT hash AS v FROM audit_event ORDER BY seq DESC LIMIT 1`),
        users: await one(
          `SELECT md5(string_agg(concat_ws('|', id, email, seniority, password_hash), ',' ORDER BY id)) AS v FROM app_user`,
        ),
        systems: await one(
          `SELECT md5(string_agg(concat_ws('|', id, key, tier, ai_assisted), ',' ORDER BY id)) AS v FROM system`,
        ),
        checkpoints: await one(
          `SELECT md5(string_agg(concat_ws('|', id, status, version, round, due_on), ',' ORDER BY id)) AS v FROM checkpoint`,
        ),
        statuses: await one(`SELECT md5(string_agg(status::text, ',' ORDER BY id)) AS v FROM checkpoint`),
      };
    } finally {
      await client.end();
    }
  }

  it("produces the same data for the same today, and moves the dates with today", async () => {
    const [same, later] = [await fresh(), await fresh()];
    await seedDemo(same.url, { today: new Date("2026-03-12T08:00:00.000Z") });
    await seedDemo(later.url, { today: new Date("2026-03-13T15:30:00.000Z") });
    const first = await fingerprint(db.url);
    expect(await fingerprint(same.url)).toEqual(first);
    const shifted = await fingerprint(later.url);
    // Same story one day later: identical statuses, different dates and therefore hashes.
    expect(shifted.statuses).toBe(first.statuses);
    expect(shifted.lastHash).not.toBe(first.lastHash);
    const start = new pg.Client({ connectionString: later.url });
    await start.connect();
    const { rows } = await start.query<{ s: string }>(`SELECT starts_on::text AS s FROM program`);
    await start.end();
    expect(rows[0]?.s).toBe("2026-02-01");
  });

  it("refuses a database that already has users, even without a program", async () => {
    const d = await fresh();
    const client = new pg.Client({ connectionString: d.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO app_user (email, name, role, seniority, updated_at) VALUES ('ops@example.com', 'Ops', 'LEAD', 'SENIOR', now())`,
      );
      await expect(seedDemo(d.url, { today: TODAY })).rejects.toThrow(/already has 1 user\b/);
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM system`);
      expect(rows[0]?.n).toBe("0");
    } finally {
      await client.end();
    }
  });
});
