// The deterministic demo seed: one program on day 41 of 90 across a fleet of systems, every row
// consistent with the rules of docs/RULES.md, section 3 and every change recorded in the audit chain.
// It writes with `pg`, 500 rows per parameterised INSERT, in one transaction: per-row ORM creates
// would take many minutes for the 10,000-system benchmark fleet.
import { hash } from "@node-rs/argon2";
import pg from "pg";
import { GENESIS_HASH, hashEvent, type JsonValue } from "@/lib/audit/chain";
import { rebuildReviewPools } from "@/lib/data/review-pool";
import { rebuildRollups } from "@/lib/data/rollup";
import { approvalsNeeded, atLeast, seniorityNeeded } from "@/lib/domain/checkpoint-workflow";
import { evidenceDigest } from "@/lib/domain/evidence-digest";
import type { CheckpointStatus, Role, Tier } from "@/lib/generated/prisma/enums";
import { dueOnFor } from "@/lib/domain/schedule";
import {
  APPROVAL_COMMENTS,
  COMPONENTS,
  EVIDENCE_NOTES,
  FIRST_NAMES,
  LAST_NAMES,
  MILESTONES,
  PROPER_WORDS,
  TEAMS,
  TIER_SENTENCES,
  WAIVER_REASONS,
  WITHDRAWAL_REASONS,
  type EvidenceKind,
  type MilestoneSpec,
  type Seniority,
  type TeamSpec,
} from "@/prisma/seed-data";
import { seedChanges } from "@/prisma/seed-changes";
import { seedDemoNotifications } from "@/prisma/seed-notifications";

export type { Seniority } from "@/prisma/seed-data";
export type { CheckpointStatus, Role, Tier } from "@/lib/generated/prisma/enums";

export interface SeedOptions {
  /** Size of the fleet; 335 by default, 10,000 for the benchmark. */
  systems?: number;
  /** The demo's "today": the program started 40 days before it, so today is day 41 of 90. */
  today?: Date;
  log?: (line: string) => void;
  /** Allow seeding when NODE_ENV is production (a demo deployment). */
  force?: boolean;
}

export interface SeedResult {
  users: number;
  systems: number;
  checkpoints: number;
  evidence: number;
  reviews: number;
  waivers: number;
  auditEvents: number;
}

export interface DemoAccount {
  email: string;
  name: string;
  role: Role;
  seniority: Seniority;
  what: string;
}

/** Every seeded user signs in with this password (documented in the README). */
import { DEMO_PASSWORD } from "@/prisma/seed-data";
export { DEMO_PASSWORD };

const LEAD_EMAIL = "lead@resetboard.dev";
const OWNER_EMAIL = "owner@resetboard.dev";
const REVIEWER_EMAIL = "reviewer@resetboard.dev";
const JUNIOR_EMAIL = "junior@resetboard.dev";

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    email: LEAD_EMAIL,
    name: "Priya Raman",
    role: "LEAD",
    seniority: "PRINCIPAL",
    what: "Program lead: edits milestones, systems and assignments, grants waivers, reads everything.",
  },
  {
    email: "exec@resetboard.dev",
    name: "Marcus Webb",
    role: "EXECUTIVE",
    seniority: "SENIOR",
    what: "Executive: read-only dashboard, reports, systems and audit log.",
  },
  {
    email: OWNER_EMAIL,
    name: "Sam Okafor",
    role: "ENGINEER",
    seniority: "MID",
    what: "Owns several Payments systems: one checkpoint has changes requested, others are in progress or overdue.",
  },
  {
    email: REVIEWER_EMAIL,
    name: "Rosa Martinez",
    role: "ENGINEER",
    seniority: "SENIOR",
    what: "Reviewer of several systems with submitted checkpoints waiting for their sign-off.",
  },
  {
    email: JUNIOR_EMAIL,
    name: "Jamie Chen",
    role: "ENGINEER",
    seniority: "JUNIOR",
    what: "Assigned reviewer on a few systems; every sign-off is refused for seniority (milestones need MID or SENIOR).",
  },
];

const DAY = 86_400_000;
const HOUR = 3_600_000;
const PROGRAM_DAYS = 90;
/** Today is day 41: the program started this many days ago. */
const DAYS_ELAPSED = 40;
/** Activity stops before today's midnight (UTC), so nothing seeded lies in the future. */
const LAST_ACTIVE_DAY = DAYS_ELAPSED - 0.05;
/** The demo's late joiner joined on this program day offset (day 38). */
const LATE_JOIN_DAY = DAYS_ELAPSED - 3;
const BATCH_ROWS = 500;

// ---------------------------------------------------------------------------------------------
// Pure helpers (unit-tested in seed.test.ts)

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  uint32(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

/** mulberry32: tiny, fast and good enough for demo data; the point is that a seed fixes the output. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const uint32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = () => uint32() / 4_294_967_296;
  const random: Random = {
    next,
    uint32,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => nth(items, Math.floor(next() * items.length)),
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [nth(copy, j), nth(copy, i)];
      }
      return copy;
    },
  };
  return random;
}

/** A UUID drawn from the generator, with the version-4 and variant bits set so it validates as one. */
export function randomUuid(random: Random): string {
  const hex = [random.uint32(), random.uint32(), random.uint32(), random.uint32()]
    .map((n) => n.toString(16).padStart(8, "0"))
    .join("");
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  const v = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}

export function slugify(text: string): string {
  const cached = slugCache.get(text);
  if (cached !== undefined) return cached;
  const slug = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slugCache.size < 10_000) slugCache.set(text, slug);
  return slug;
}

// Evidence titles repeat thousands of times; NFD normalisation is the expensive part.
const slugCache = new Map<string, string>();

const SLUG_MAX = 63; // the system_key_slug CHECK: ^[a-z0-9][a-z0-9-]{0,62}$

/**
 * Hands out slugs that are unique within `taken`: the first `base`, then `base-2`, `base-3`, …,
 * shortening the base when the suffix would break the 63-character limit. Returns the suffix
 * number too (1 when none), so that the display name can carry the same number.
 */
export function uniqueSlug(base: string, taken: Set<string>): { slug: string; n: number } {
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? "" : `-${n}`;
    const stem = base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, "");
    const slug = `${stem}${suffix}`;
    if (!taken.has(slug)) {
      taken.add(slug);
      return { slug, n };
    }
  }
}

function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`Seed bug: no item at index ${index} of ${items.length}`);
  return item;
}

function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Seed bug: ${message}`);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function asciiLower(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

/** An area name as it reads inside a sentence: "Card Vault" → "card vault", "FX Rates" → "FX rates". */
function inSentence(area: string): string {
  return area
    .split(" ")
    .map((word) => (/^[A-Z0-9]{2,}$/.test(word) || PROPER_WORDS.has(word) ? word : word.toLowerCase()))
    .join(" ");
}

// ---------------------------------------------------------------------------------------------
// The model the generator builds before writing anything

interface SeedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  seniority: Seniority;
  createdAt: number;
}

interface SeedMilestone extends MilestoneSpec {
  id: string;
}

interface SeedSystem {
  id: string;
  key: string;
  name: string;
  description: string;
  team: TeamSpec;
  tier: Tier;
  aiAssisted: boolean;
  repoUrl: string;
  runbookUrl: string;
  createdAt: number;
  /** How slowly the team works against the plan: 0.7 is well ahead, 1.4 is well behind. */
  lag: number;
  owners: SeedUser[];
  reviewers: SeedUser[];
  /** A late joiner's join day (rule 13), as YYYY-MM-DD. */
  joinedOn?: string;
  /** Set aside by a lead (rule 15). */
  archived?: { at: number; reason: string };
}

interface PendingEvent {
  at: number;
  order: number;
  actor: SeedUser | null;
  action: string;
  subjectType: string;
  subjectId: string;
  systemKey: string | null;
  data: { [key: string]: JsonValue };
}

/** Rows of the tables filled while walking checkpoint histories, as positional values for the INSERTs. */
interface Tables {
  evidence: unknown[][];
  withdrawals: unknown[][];
  reviews: unknown[][];
  waivers: unknown[][];
}

class AuditLog {
  private events: PendingEvent[] = [];
  private sorted: PendingEvent[] | null = null;
  private prevHash = GENESIS_HASH;
  /** The chained rows so far, ready for INSERT. */
  readonly rows: unknown[][] = [];

  add(event: Omit<PendingEvent, "order">) {
    invariant(this.sorted === null, "audit event added after chaining began");
    this.events.push({ ...event, order: this.events.length });
  }

  get size() {
    return this.events.length;
  }

  /**
   * Chains up to `limit` more events and says whether all are done. Chronological order (ties
   * keep the order things happened in), linked from genesis. Done in slices so that the hashing
   * runs while Postgres is busy inserting the other tables.
   */
  chain(limit = Number.POSITIVE_INFINITY): boolean {
    this.sorted ??= this.events.sort((a, b) => a.at - b.at || a.order - b.order);
    const sorted = this.sorted;
    const end = Math.min(sorted.length, this.rows.length + limit);
    for (let index = this.rows.length; index < end; index += 1) {
      const event = nth(sorted, index);
      const seq = BigInt(index + 1);
      const at = new Date(event.at);
      const actorId = event.actor?.id ?? null;
      const actorEmail = event.actor?.email ?? null;
      const { action, subjectType, subjectId, systemKey, data } = event;
      const hashed = hashEvent(this.prevHash, {
        seq,
        at,
        actorId,
        actorEmail,
        action,
        subjectType,
        subjectId,
        systemKey,
        data,
      });
      this.rows.push([
        seq.toString(),
        at,
        actorId,
        actorEmail,
        action,
        subjectType,
        subjectId,
        systemKey,
        JSON.stringify(data),
        this.prevHash,
        hashed,
      ]);
      this.prevHash = hashed;
    }
    return this.rows.length === sorted.length;
  }
}

interface EvidenceItem {
  id: string;
  authorId: string;
  withdrawn: boolean;
}

interface Context {
  ids: Random;
  random: Random;
  audit: AuditLog;
  tables: Tables;
}

/**
 * One checkpoint walked through its history. Each step checks the rule it stands for, so the
 * seed cannot write a state the application itself would refuse to reach.
 */
class CheckpointHistory {
  status: CheckpointStatus = "NOT_STARTED";
  version = 1;
  round = 0;
  statusChangedAt: number;
  updatedAt: number;
  submittedAt: number | null = null;
  completedAt: number | null = null;
  readonly evidence: EvidenceItem[] = [];
  private approvals = new Set<string>();
  private reviewedThisRound = new Set<string>();
  private evidenceCount = 0;

  constructor(
    private readonly ctx: Context,
    readonly id: string,
    readonly system: SeedSystem,
    readonly milestone: SeedMilestone,
  ) {
    this.statusChangedAt = system.createdAt;
    this.updatedAt = system.createdAt;
  }

  /** Rule 6: approvals needed (the application's own rule, so the seed cannot drift from it). */
  get needed(): number {
    return approvalsNeeded(this.system, this.milestone);
  }

  /** Rule 5: the lowest seniority that may sign off here. */
  get requiredSeniority(): Seniority {
    return seniorityNeeded(this.system, this.milestone);
  }

  /** Rules 3–5 for this checkpoint: assigned reviewers, senior enough, not authors of current evidence. */
  eligibleReviewers(): SeedUser[] {
    const authors = new Set(this.evidence.filter((e) => !e.withdrawn).map((e) => e.authorId));
    return this.system.reviewers.filter((r) => atLeast(r.seniority, this.requiredSeniority) && !authors.has(r.id));
  }

  private activeEvidenceIds(): string[] {
    return this.evidence.filter((e) => !e.withdrawn).map((e) => e.id);
  }

  private moveTo(to: CheckpointStatus, at: number): { from: CheckpointStatus; to: CheckpointStatus } {
    const from = this.status;
    this.status = to;
    this.version += 1;
    this.statusChangedAt = at;
    return { from, to };
  }

  private touch(at: number) {
    invariant(at > this.updatedAt, `time runs backwards on checkpoint ${this.id}`);
    this.updatedAt = at;
  }

  private event(
    at: number,
    actor: SeedUser,
    action: string,
    subjectType: string,
    subjectId: string,
    data: { [key: string]: JsonValue },
  ) {
    this.ctx.audit.add({
      at,
      actor,
      action,
      subjectType,
      subjectId,
      systemKey: this.system.key,
      data: { checkpointId: this.id, milestone: this.milestone.key, ...data },
    });
  }

  /** Rule 1: owners add evidence; it moves NOT_STARTED and CHANGES_REQUESTED to IN_PROGRESS. */
  addEvidence(at: number, author: SeedUser) {
    invariant(this.system.owners.includes(author), "evidence from a non-owner");
    invariant(["NOT_STARTED", "IN_PROGRESS", "CHANGES_REQUESTED"].includes(this.status), `evidence on ${this.status}`);
    this.touch(at);
    const { random, ids } = this.ctx;
    const templates = this.milestone.evidence;
    const template = nth(templates, this.evidenceCount % templates.length);
    const revised = this.evidenceCount >= templates.length;
    this.evidenceCount += 1;
    const number = random.int(1000, 9999);
    const ticket = `${this.system.team.code}-${number}`;
    const title = `${revised ? "Revised: " : ""}${template.title.replace("{ticket}", ticket)}`;
    const url = evidenceUrl(this.system, this.milestone, template.kind, title, number, ticket);
    const note = random.pick(EVIDENCE_NOTES);
    const id = randomUuid(ids);
    this.evidence.push({ id, authorId: author.id, withdrawn: false });
    this.ctx.tables.evidence.push([id, this.id, url, title, template.kind, note, author.id, new Date(at)]);
    const change =
      this.status === "NOT_STARTED" || this.status === "CHANGES_REQUESTED"
        ? this.moveTo("IN_PROGRESS", at)
        : { from: this.status, to: this.status };
    this.event(at, author, "evidence.add", "evidence", id, { url, title, kind: template.kind, note, ...change });
  }

  /** Withdrawal adds a record and never deletes; on IN_PROGRESS it changes no status. */
  withdraw(at: number, by: SeedUser, item: EvidenceItem, reason: string) {
    invariant(this.status === "IN_PROGRESS", "withdrawal outside IN_PROGRESS");
    invariant(this.activeEvidenceIds().length > 1, "withdrawal would leave an IN_PROGRESS checkpoint without evidence");
    this.touch(at);
    item.withdrawn = true;
    const id = randomUuid(this.ctx.ids);
    this.ctx.tables.withdrawals.push([id, item.id, by.id, reason, new Date(at)]);
    this.event(at, by, "evidence.withdraw", "evidence", item.id, { reason, from: this.status, to: this.status });
  }

  /** Rule 2: submitting needs current evidence and opens a new round. */
  submit(at: number, by: SeedUser) {
    invariant(this.system.owners.includes(by), "submission by a non-owner");
    invariant(this.status === "IN_PROGRESS", `submit from ${this.status}`);
    const evidence = this.activeEvidenceIds().length;
    invariant(evidence > 0, "submit without evidence");
    this.touch(at);
    this.round += 1;
    this.submittedAt = at;
    this.approvals.clear();
    this.reviewedThisRound.clear();
    const change = this.moveTo("SUBMITTED", at);
    this.event(at, by, "checkpoint.submit", "checkpoint", this.id, { round: this.round, evidence, ...change });
  }

  /** Rules 3–6: an eligible reviewer signs once per round; quorum approves, a change request ends the round. */
  review(at: number, reviewer: SeedUser, decision: "APPROVE" | "REQUEST_CHANGES", comment: string) {
    invariant(this.status === "SUBMITTED", `review on ${this.status}`);
    invariant(
      this.eligibleReviewers().includes(reviewer),
      `${reviewer.email} may not review ${this.system.key}/${this.milestone.key}`,
    );
    invariant(!this.system.owners.includes(reviewer), "owner reviewing own system");
    invariant(!this.reviewedThisRound.has(reviewer.id), "second review in one round");
    invariant(decision === "APPROVE" || comment.trim().length > 0, "change request without a comment");
    this.touch(at);
    this.reviewedThisRound.add(reviewer.id);
    const id = randomUuid(this.ctx.ids);
    const digest = evidenceDigest(this.activeEvidenceIds());
    this.ctx.tables.reviews.push([
      id,
      this.id,
      reviewer.id,
      this.round,
      decision,
      comment,
      reviewer.seniority,
      digest,
      new Date(at),
    ]);
    let change: { from: CheckpointStatus; to: CheckpointStatus } = { from: this.status, to: this.status };
    if (decision === "APPROVE") {
      this.approvals.add(reviewer.id);
      if (this.approvals.size >= this.needed) {
        change = this.moveTo("APPROVED", at);
        this.completedAt = at;
      }
    } else {
      change = this.moveTo("CHANGES_REQUESTED", at);
    }
    const action = decision === "APPROVE" ? "review.approve" : "review.request_changes";
    this.event(at, reviewer, action, "review", id, {
      decision,
      comment,
      round: this.round,
      seniority: reviewer.seniority,
      evidenceDigest: digest,
      approvals: this.approvals.size,
      required: this.needed,
      ...change,
    });
  }

  /** Rule 8: leads waive with a reason and an expiry no later than the program end. */
  waive(at: number, lead: SeedUser, reason: string, expiresOn: string, programEndsOn: string) {
    invariant(lead.role === "LEAD", "waiver by a non-lead");
    invariant(expiresOn <= programEndsOn, "waiver outlives the program");
    invariant(this.status !== "APPROVED" && this.status !== "WAIVED", `waiver on ${this.status}`);
    this.touch(at);
    const priorStatus = this.status;
    const change = this.moveTo("WAIVED", at);
    this.completedAt = at;
    const id = randomUuid(this.ctx.ids);
    this.ctx.tables.waivers.push([id, this.id, reason, lead.id, expiresOn, priorStatus, new Date(at)]);
    this.event(at, lead, "waiver.grant", "waiver", id, { reason, expiresOn, priorStatus, ...change });
  }

  row(dueOn: string): unknown[] {
    return [
      this.id,
      this.system.id,
      this.milestone.id,
      this.status,
      dueOn,
      this.version,
      this.round,
      new Date(this.statusChangedAt),
      this.submittedAt === null ? null : new Date(this.submittedAt),
      this.completedAt === null ? null : new Date(this.completedAt),
      new Date(this.system.createdAt),
      new Date(this.updatedAt),
    ];
  }
}

function evidenceUrl(
  system: SeedSystem,
  milestone: SeedMilestone,
  kind: EvidenceKind,
  title: string,
  number: number,
  ticket: string,
): string {
  const team = system.team.slug;
  switch (kind) {
    case "TICKET":
      return `https://tickets.example.com/browse/${ticket}`;
    case "PULL_REQUEST":
      return `https://git.example.com/${team}/${system.key}/pull/${number}`;
    case "DASHBOARD":
      return `https://grafana.example.com/d/${system.key}/${slugify(title)}`;
    case "RUNBOOK":
      return `${system.runbookUrl}/${slugify(title)}`;
    case "ROLLBACK_TEST":
      return `https://ci.example.com/${team}/${system.key}/jobs/${number}`;
    default:
      return `https://docs.example.com/${team}/${system.key}/${milestone.key}/${slugify(title)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Plans: what state each checkpoint should be in on day 41, and over which days it got there

interface Plan {
  target: Exclude<CheckpointStatus, "WAIVED">;
  startDay: number;
  endDay: number;
  forced: boolean;
  waiver?: { reason: string; expiresOn: string; lead: SeedUser; day: number };
}

/** A fresh object each time: plans are mutated when a waiver is added. */
const notStartedPlan = (forced = false): Plan => ({ target: "NOT_STARTED", startDay: 0, endDay: 0, forced });

function noise(random: Random, spread: number): number {
  // A sum of three uniforms: roughly bell-shaped, bounded, cheap.
  return (random.next() + random.next() + random.next() - 1.5) * spread;
}

/**
 * Where a checkpoint stands, from the team's pace: the planned finish is the due day stretched by
 * the team's lag, and today (day 40 elapsed) falls before, during or after its work and review.
 */
function planFromPace(random: Random, system: SeedSystem, milestone: SeedMilestone): Plan {
  const done = Math.max(1, milestone.dueDay * system.lag + noise(random, 4));
  const submit = done - (0.3 + random.next() * 3);
  const start = Math.max(0.1, submit - (1.5 + random.next() * 7));
  const plan = (target: Plan["target"], startDay: number, endDay: number): Plan => ({
    target,
    startDay,
    endDay: Math.max(endDay, startDay + 0.2),
    forced: false,
  });
  if (done <= LAST_ACTIVE_DAY) return plan("APPROVED", start, done);
  if (submit <= LAST_ACTIVE_DAY) {
    const end = submit + random.next() * (LAST_ACTIVE_DAY - submit);
    return plan(random.chance(0.3) ? "CHANGES_REQUESTED" : "SUBMITTED", start, Math.min(end, LAST_ACTIVE_DAY));
  }
  if (start <= LAST_ACTIVE_DAY) return plan("IN_PROGRESS", start, start + random.next() * (LAST_ACTIVE_DAY - start));
  // A few teams start the late milestones early (documentation, rollback drills) — realistic and
  // it keeps milestones 6–8 from being uniformly empty.
  if (milestone.sequence >= 6 && random.chance(0.04)) {
    const early = 28 + random.next() * 10;
    return plan("IN_PROGRESS", early, early + random.next() * (LAST_ACTIVE_DAY - 0.3 - early));
  }
  return notStartedPlan();
}

/** Demo checkpoints pinned to a state so each demo account has something to do. */
function forcedPlan(random: Random, target: Plan["target"]): Plan {
  if (target === "NOT_STARTED") return notStartedPlan(true);
  if (target === "IN_PROGRESS") {
    const start = 30 + random.next() * 6;
    return { target, startDay: start, endDay: start + 0.5 + random.next() * 3, forced: true };
  }
  return { target, startDay: 24 + random.next() * 6, endDay: 35 + random.next() * 4.5, forced: true };
}

// ---------------------------------------------------------------------------------------------

export async function seedDemo(connectionString: string, options: SeedOptions = {}): Promise<SeedResult> {
  const log = options.log ?? (() => undefined);
  // Read directly rather than through lib/env: that module caches the environment for the app's
  // lifetime, and the CLI and tests decide this per call.
  if (process.env.NODE_ENV === "production" && !options.force) {
    throw new Error(
      "Refusing to seed demo data: NODE_ENV is production. The demo seed is for local and demo databases; pass force to seed a demo deployment on purpose.",
    );
  }
  const systemCount = options.systems ?? 335;
  if (!Number.isInteger(systemCount) || systemCount < 1 || systemCount > 100_000) {
    throw new Error(`The demo seed makes between 1 and 100,000 systems, not ${systemCount}.`);
  }
  const today = options.today ?? new Date();
  if (Number.isNaN(today.getTime())) throw new Error("The seed's `today` is not a valid date.");

  const started = Date.now();
  // Pipeline mode: the next batches are already queued on the socket when Postgres finishes one,
  // so the server never waits for us. Inserting is what bounds the seed's time.
  const client = new pg.Client({ connectionString, pipeline: true });
  await client.connect();
  try {
    await client.query("BEGIN");
    try {
      // Taken before the emptiness check so two seeds at once cannot both see an empty database,
      // and so nothing appends to the audit chain while its first events are being written.
      await client.query('LOCK TABLE "program", "app_user", "system", "audit_event" IN SHARE ROW EXCLUSIVE MODE');
      await refuseUnlessEmpty(client);
      log("Database is empty: seeding the demo program");

      const model = await generate(systemCount, today, log);
      await insertAll(client, model, log);
      // The per-system roll-ups, computed by the same domain code the commands use.
      const run = (text: string, values: unknown[]) => client.query(text, values).then((r) => r.rows);
      await rebuildRollups(run);
      // And who can sign each open checkpoint, judged by the workflow's rules.
      await rebuildReviewPools(run);
      log(
        `Notifications: ${await seedDemoNotifications(
          client,
          DEMO_ACCOUNTS.map((a) => a.email),
          today,
        )} unread for the demo accounts`,
      );
      await client.query("COMMIT");
      // Fresh statistics: until autovacuum gets round to it, the planner would take the bulk-loaded
      // tables for empty and pick nested loops and on-disk sorts (seen: the dashboard 3x slower at 10k).
      await client.query("ANALYZE");
      log(`Seeded in ${Date.now() - started} ms`);
      return model.result();
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end();
  }
}

async function refuseUnlessEmpty(client: pg.Client) {
  const { rows } = await client.query<{ program: string | null; users: string; systems: string; events: string }>(`
    SELECT (SELECT "name" FROM "program" ORDER BY "created_at" LIMIT 1) AS "program",
           (SELECT count(*) FROM "app_user") AS "users",
           (SELECT count(*) FROM "system") AS "systems",
           (SELECT count(*) FROM "audit_event") AS "events"`);
  const found = rows[0];
  invariant(found, "emptiness query returned no row");
  if (found.program !== null) {
    throw new Error(
      `Refusing to seed: the database already has a program ("${found.program}"). The demo seed only fills an empty database; use a fresh one to reseed.`,
    );
  }
  const counted = (count: string, noun: string) =>
    Number(count) > 0 ? `${count} ${noun}${count === "1" ? "" : "s"}` : null;
  const parts = [
    counted(found.users, "user"),
    counted(found.systems, "system"),
    counted(found.events, "audit event"),
  ].filter((p): p is string => p !== null);
  if (parts.length > 0) {
    throw new Error(
      `Refusing to seed: the database already has ${parts.join(", ")}. The demo seed only fills an empty database; use a fresh one to reseed.`,
    );
  }
}

interface InsertTable {
  name: string;
  /** Column names with the Postgres type of each, for the unnest() casts. */
  columns: [name: string, type: string][];
  /** A function for rows that are finished while the earlier tables are being inserted. */
  rows: unknown[][] | (() => unknown[][]);
}

interface Model {
  /** Read after the inserts: the counts are final only once the background work has run. */
  result: () => SeedResult;
  inserts: InsertTable[];
  background: Background;
}

/**
 * CPU work that can run while Postgres is busy inserting: a generator advanced a step at a time,
 * in short slices between sending batches and hearing back.
 */
class Background {
  private done = false;

  constructor(private readonly work: Iterator<unknown>) {}

  /** Runs for about `budgetMs`; says whether work remains. */
  slice(budgetMs: number): boolean {
    const until = performance.now() + budgetMs;
    while (!this.done && performance.now() < until) this.step();
    return !this.done;
  }

  runUntil(condition: () => boolean) {
    while (!this.done && !condition()) this.step();
  }

  finish() {
    this.runUntil(() => false);
  }

  private step() {
    if (this.work.next().done) this.done = true;
  }
}

/** Batches in flight at once: enough to keep Postgres busy, few enough to bound memory. */
const IN_FLIGHT = 4;
/** A background slice: short, so that a finished batch is noticed and replaced quickly. */
const SLICE_MS = 4;

/**
 * One statement per 500 rows, each column sent as one array parameter and expanded by unnest():
 * on a small machine Postgres inserts about a quarter faster this way than from a 500-row VALUES
 * list with thousands of parameters, and the insert is what bounds the seed at 10,000 systems.
 * While Postgres works, the background work runs; the pipelined connection keeps the next
 * batches queued so the server never waits for it.
 */
async function insertAll(client: pg.Client, model: Model, log: (line: string) => void) {
  const settle = async (query: { settled: boolean; promise: Promise<unknown> }) => {
    while (!query.settled && model.background.slice(SLICE_MS)) {
      // Let the socket be read, so that `settled` can flip.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await query.promise;
  };
  for (const table of model.inserts) {
    const started = Date.now();
    const rows = typeof table.rows === "function" ? table.rows() : table.rows;
    const names = table.columns.map(([name]) => `"${name}"`).join(", ");
    const arrays = table.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ");
    const sql = `INSERT INTO "${table.name}" (${names}) SELECT * FROM unnest(${arrays})`;
    const inFlight: { settled: boolean; promise: Promise<unknown> }[] = [];
    for (let offset = 0; offset < rows.length; offset += BATCH_ROWS) {
      const batch = rows.slice(offset, offset + BATCH_ROWS);
      const params = table.columns.map((_, column) =>
        batch.map((row) => {
          invariant(
            row.length === table.columns.length,
            `${table.name} row has ${row.length} values for ${table.columns.length} columns`,
          );
          const value = row[column];
          // ISO strings are exact to the millisecond and cheaper for pg to send than Dates.
          return value instanceof Date ? value.toISOString() : value;
        }),
      );
      const query = { settled: false, promise: client.query(sql, params) };
      // Awaited in settle(); until then a failure must not count as an unhandled rejection.
      query.promise.then(
        () => (query.settled = true),
        () => (query.settled = true),
      );
      inFlight.push(query);
      const oldest = inFlight.length >= IN_FLIGHT ? inFlight.shift() : undefined;
      if (oldest) await settle(oldest);
    }
    for (const query of inFlight) await settle(query);
    log(`Inserted ${rows.length} ${table.name} rows (${Date.now() - started} ms)`);
  }
}

async function generate(systemCount: number, today: Date, log: (line: string) => void): Promise<Model> {
  // Two streams: ids come from their own, so that tweaking how content is drawn does not
  // reshuffle every id, and the content stream stays readable.
  const random = createRandom(0x5eed2026);
  const ids = createRandom(0x1d5eed);
  const audit = new AuditLog();
  const tables: Tables = { evidence: [], withdrawals: [], reviews: [], waivers: [] };
  const ctx: Context = { ids, random, audit, tables };
  let lapStarted = Date.now();
  const phase = (what: string) => {
    log(`${what} (${Date.now() - lapStarted} ms)`);
    lapStarted = Date.now();
  };

  const startsOnMs = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - DAYS_ELAPSED * DAY;
  const startsOn = isoDate(startsOnMs);
  const endsOn = isoDate(startsOnMs + PROGRAM_DAYS * DAY);
  /** A program day (fractional, 0 = the first day) as an instant during working hours, UTC. */
  const instant = (day: number) => {
    const whole = Math.floor(day);
    return startsOnMs + whole * DAY + 8 * HOUR + Math.round((day - whole) * 10 * HOUR);
  };

  // Users --------------------------------------------------------------------------------------
  const passwordHash = await hash(DEMO_PASSWORD, {
    // A salt from the generator keeps reruns byte-identical; the password is public anyway.
    salt: Uint8Array.from({ length: 16 }, () => random.int(0, 255)),
  });
  phase("Hashed the demo password");

  const users: SeedUser[] = [];
  const usersCreatedAt = startsOnMs - 10 * DAY + 9 * HOUR;
  const addUser = (email: string, name: string, role: Role, seniority: Seniority) => {
    const user: SeedUser = {
      id: randomUuid(ids),
      email,
      name,
      role,
      seniority,
      createdAt: usersCreatedAt + users.length * 250,
    };
    users.push(user);
    audit.add({
      at: user.createdAt,
      actor: null,
      action: "user.create",
      subjectType: "user",
      subjectId: user.id,
      systemKey: null,
      data: { email, name, role, seniority },
    });
    return user;
  };
  const demo = new Map(DEMO_ACCOUNTS.map((a) => [a.email, addUser(a.email, a.name, a.role, a.seniority)]));
  const demoUser = (email: string) => {
    const user = demo.get(email);
    invariant(user, `demo account ${email} missing`);
    return user;
  };
  const lead = demoUser(LEAD_EMAIL);
  const ownerDemo = demoUser(OWNER_EMAIL);
  const reviewerDemo = demoUser(REVIEWER_EMAIL);
  const juniorDemo = demoUser(JUNIOR_EMAIL);

  const usedNames = new Set(DEMO_ACCOUNTS.map((a) => a.name));
  const maxNames = FIRST_NAMES.length * LAST_NAMES.length - usedNames.size;
  // ~72 engineers for the default fleet; bigger fleets get proportionally more people, so that
  // the benchmark's "my work" pages look like a real organisation's, not 72 people with 150 systems each.
  const engineerCount = Math.min(maxNames - 2, Math.max(72, Math.round(systemCount * 0.215)));
  const newPerson = () => {
    for (;;) {
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      const name = `${first} ${last}`;
      if (usedNames.has(name)) continue;
      usedNames.add(name);
      return { name, email: `${asciiLower(first)}.${asciiLower(last)}@resetboard.dev` };
    }
  };
  const secondLead = (() => {
    const p = newPerson();
    return addUser(p.email, p.name, "LEAD", "PRINCIPAL");
  })();
  (() => {
    const p = newPerson();
    addUser(p.email, p.name, "EXECUTIVE", "SENIOR");
  })();
  const engineers: SeedUser[] = [];
  for (let i = 0; i < engineerCount; i += 1) {
    const p = newPerson();
    const r = random.next();
    const seniority: Seniority = r < 0.15 ? "JUNIOR" : r < 0.53 ? "MID" : r < 0.86 ? "SENIOR" : "PRINCIPAL";
    engineers.push(addUser(p.email, p.name, "ENGINEER", seniority));
  }
  const seniorEngineers = engineers.filter((e) => atLeast(e.seniority, "SENIOR"));
  invariant(seniorEngineers.length >= 3, "too few senior engineers to review");

  phase(`Generated ${users.length} users`);

  // Program and milestones ------------------------------------------------------------------------
  const programId = randomUuid(ids);
  const programName = `Code Safety Reset ${startsOn.slice(0, 4)}`;
  const programAt = startsOnMs - 7 * DAY + 10 * HOUR;
  audit.add({
    at: programAt,
    actor: lead,
    action: "program.create",
    subjectType: "program",
    subjectId: programId,
    systemKey: null,
    data: { name: programName, startsOn, durationDays: PROGRAM_DAYS },
  });
  const milestones: SeedMilestone[] = MILESTONES.map((spec, index) => {
    const milestone = { ...spec, id: randomUuid(ids) };
    audit.add({
      at: programAt + (index + 1) * 60_000,
      actor: lead,
      action: "milestone.create",
      subjectType: "milestone",
      subjectId: milestone.id,
      systemKey: null,
      data: {
        key: spec.key,
        name: spec.name,
        sequence: spec.sequence,
        dueDay: spec.dueDay,
        requiredApprovals: spec.requiredApprovals,
        minReviewerSeniority: spec.minReviewerSeniority,
      },
    });
    return milestone;
  });

  // Teams and systems -----------------------------------------------------------------------------
  const teamCount = Math.min(TEAMS.length, Math.max(12, Math.round(systemCount / 28)));
  const teams = TEAMS.slice(0, teamCount);
  // Paces spread evenly from well ahead to well behind, dealt to teams at random.
  const lags = random.shuffle(teams.map((_, i) => 0.72 + (0.7 * i) / Math.max(1, teamCount - 1)));
  const weights = teams.map(() => 0.6 + random.next() * 0.8);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const perTeam = weights.map((w) => Math.floor((w / weightSum) * systemCount));
  for (let i = 0; perTeam.reduce((a, b) => a + b, 0) < systemCount; i += 1)
    perTeam[i % teamCount] = nth(perTeam, i % teamCount) + 1;

  const teamMembers = teams.map((): SeedUser[] => []);
  random.shuffle(engineers).forEach((e, i) => nth(teamMembers, i % teamCount).push(e));
  const members = new Map(teams.map((t, i) => [t, nth(teamMembers, i)]));

  const keys = new Set<string>();
  const names = new Set<string>();
  const systems: SeedSystem[] = [];
  const systemsAt = startsOnMs - 6 * DAY + 9 * HOUR;
  teams.forEach((team, teamIndex) => {
    const combos = random.shuffle(team.areas.flatMap((area) => COMPONENTS.map((component) => ({ area, component }))));
    const lag = nth(lags, teamIndex);
    for (let i = 0; i < nth(perTeam, teamIndex); i += 1) {
      const { area, component } = nth(combos, i % combos.length);
      const { slug: key, n } = uniqueSlug(slugify(`${team.slug} ${area} ${component.name}`), keys);
      let name = `${area} ${component.name}${n > 1 ? ` ${n}` : ""}`;
      // Areas of different teams can share a word; the team name tells such systems apart.
      if (names.has(name)) name = `${team.name} ${name}`;
      for (let k = 2; names.has(name); k += 1) name = `${team.name} ${area} ${component.name} ${n + k}`;
      names.add(name);
      const r = random.next();
      const tier: Tier = r < 0.15 ? "TIER_0" : r < 0.5 ? "TIER_1" : "TIER_2";
      const aiAssisted = random.chance(0.3);
      const description = [
        `${component.phrase} ${inSentence(area)} (${team.domain}).`,
        TIER_SENTENCES[tier],
        aiAssisted ? "Ships AI-assisted changes." : "",
      ]
        .filter(Boolean)
        .join(" ");
      // A few systems are stuck (ownership disputes, a reorg): they drag far behind their team.
      const stalled = random.chance(0.04);
      systems.push({
        id: randomUuid(ids),
        key,
        name,
        description,
        team,
        tier,
        aiAssisted,
        repoUrl: `https://git.example.com/${team.slug}/${key}`,
        runbookUrl: `https://runbooks.example.com/${team.slug}/${key}`,
        createdAt: systemsAt + systems.length * 400,
        lag: lag * (0.88 + random.next() * 0.24) * (stalled ? 2.8 : 1),
        owners: [],
        reviewers: [],
      });
    }
  });
  phase(`Generated the program, ${milestones.length} milestones, ${teams.length} teams and ${systems.length} systems`);

  // Assignments -------------------------------------------------------------------------------------
  // The demo accounts get hand-picked systems; everyone else is drawn at random.
  const firstTeam = nth(teams, 0);
  const ownerSystems = systems.filter((s) => s.team === firstTeam).slice(0, 6);
  const others = random.shuffle(systems.filter((s) => !ownerSystems.includes(s)));
  const reviewerSystems = [...ownerSystems.slice(0, 2), ...others.slice(0, 6)];
  const juniorSystems = [...reviewerSystems.slice(2, 4), ...others.slice(6, 9)];
  // Rule 13 and 14 on show: a Tier 0 system that joined on day 38 with a single senior reviewer,
  // so no milestone of it can reach its two approvals ("no eligible reviewer"), and rule 15: one
  // system retired and archived on day 39, its history kept.
  const spare = others.slice(9);
  const lateJoiner = spare.filter((s) => s.tier === "TIER_0").at(-1);
  const retired = spare.filter((s) => s !== lateJoiner).at(-1);
  if (lateJoiner) {
    lateJoiner.joinedOn = isoDate(startsOnMs + LATE_JOIN_DAY * DAY);
    lateJoiner.createdAt = instant(LATE_JOIN_DAY);
  }
  if (retired)
    retired.archived = {
      at: instant(LAST_ACTIVE_DAY - 1),
      reason: "Retired: replaced by a managed service; kept for its history.",
    };
  for (const system of systems) {
    audit.add({
      at: system.createdAt,
      actor: lead,
      action: "system.create",
      subjectType: "system",
      subjectId: system.id,
      systemKey: system.key,
      data: {
        key: system.key,
        name: system.name,
        team: system.team.name,
        tier: system.tier,
        aiAssisted: system.aiAssisted,
        ...(system.joinedOn ? { joinedOn: system.joinedOn } : {}),
      },
    });
    if (system.archived) {
      audit.add({
        at: system.archived.at,
        actor: lead,
        action: "system.archive",
        subjectType: "system",
        subjectId: system.id,
        systemKey: system.key,
        data: { key: system.key, reason: system.archived.reason },
      });
    }
  }

  // Rejection sampling first: filtering a 2,000-person pool for each of 10,000 systems is slow.
  const pickFrom = (pool: readonly SeedUser[], exclude: readonly SeedUser[]): SeedUser | undefined => {
    for (let attempt = 0; attempt < 20 && pool.length > 0; attempt += 1) {
      const candidate = random.pick(pool);
      if (!exclude.includes(candidate)) return candidate;
    }
    const free = pool.filter((u) => !exclude.includes(u));
    return free.length > 0 ? random.pick(free) : undefined;
  };
  const assignmentsAt = startsOnMs - 5 * DAY + 9 * HOUR;
  const assignmentRows: unknown[][] = [];
  systems.forEach((system, index) => {
    const team = members.get(system.team) ?? [];
    if (ownerSystems.includes(system)) system.owners.push(ownerDemo);
    const ownerCount = random.chance(0.35) ? 2 : 1;
    while (system.owners.length < ownerCount) {
      const owner = pickFrom(team, system.owners) ?? pickFrom(engineers, system.owners);
      invariant(owner, "no engineer left to own a system");
      system.owners.push(owner);
    }
    // Every system needs as many SENIOR+ reviewers as its quorum (rule 6: two on Tier 0), since
    // milestones 3, 5 and 8 require a senior (rule 5).
    // The late joiner is deliberately short of reviewers: one senior on a Tier 0 system.
    const quorum = Math.max(...milestones.map((milestone) => approvalsNeeded(system, milestone)));
    const seniorsNeeded = system === lateJoiner ? 1 : quorum;
    if (reviewerSystems.includes(system)) system.reviewers.push(reviewerDemo);
    if (juniorSystems.includes(system)) system.reviewers.push(juniorDemo);
    const taken = () => [...system.owners, ...system.reviewers];
    while (system.reviewers.filter((r) => atLeast(r.seniority, "SENIOR")).length < seniorsNeeded) {
      const reviewer = pickFrom(seniorEngineers, taken());
      invariant(reviewer, "no senior engineer left to review");
      system.reviewers.push(reviewer);
    }
    const reviewerCount =
      system === lateJoiner
        ? system.reviewers.length
        : Math.min(3, Math.max(system.reviewers.length, random.int(quorum, 3)));
    while (system.reviewers.length < reviewerCount) {
      const reviewer = pickFrom(engineers, taken());
      if (!reviewer) break;
      system.reviewers.push(reviewer);
    }
    const assignedAt = system === lateJoiner ? system.createdAt + 60_000 : assignmentsAt + index * 400;
    for (const [kind, list] of [
      ["OWNER", system.owners],
      ["REVIEWER", system.reviewers],
    ] as const) {
      for (const user of list) assignmentRows.push([randomUuid(ids), system.id, user.id, kind, new Date(assignedAt)]);
    }
    audit.add({
      at: assignedAt,
      actor: lead,
      action: "assignment.set",
      subjectType: "system",
      subjectId: system.id,
      systemKey: system.key,
      data: { owners: system.owners.map((u) => u.email), reviewers: system.reviewers.map((u) => u.email) },
    });
  });

  phase(`Generated ${assignmentRows.length} assignments`);

  // Plans ---------------------------------------------------------------------------------------------
  const forced = new Map<SeedSystem, Map<number, Plan["target"]>>();
  const force = (system: SeedSystem | undefined, sequence: number, target: Plan["target"]) => {
    if (!system) return;
    const bySequence = forced.get(system) ?? new Map<number, Plan["target"]>();
    bySequence.set(sequence, target);
    forced.set(system, bySequence);
  };
  // Peer review (milestone 4, MID) submitted and waiting: the reviewer can approve, the junior is refused.
  for (const system of [...reviewerSystems, ...juniorSystems]) force(system, 4, "SUBMITTED");
  force(ownerSystems[0], 3, "CHANGES_REQUESTED");
  force(ownerSystems[1], 5, "IN_PROGRESS");
  force(ownerSystems[2], 4, "NOT_STARTED");
  force(ownerSystems[3], 4, "IN_PROGRESS");
  // A system that joined on day 38 has not started anything yet.
  for (const milestone of milestones) force(lateJoiner, milestone.sequence, "NOT_STARTED");
  const demoSystems = new Set([...ownerSystems, ...reviewerSystems, ...juniorSystems]);

  const plans = systems.map((system) =>
    milestones.map((milestone) => {
      const target = forced.get(system)?.get(milestone.sequence);
      return target ? forcedPlan(random, target) : planFromPace(random, system, milestone);
    }),
  );

  // About ten waivers per 335 systems, on milestones where a waiver is a believable call.
  const waiverCandidates: { system: SeedSystem; milestone: SeedMilestone; plan: Plan }[] = [];
  systems.forEach((system, s) =>
    milestones.forEach((milestone, m) => {
      const plan = nth(nth(plans, s), m);
      const reasons = WAIVER_REASONS[milestone.key];
      if (!reasons || plan.forced || demoSystems.has(system)) return;
      if (plan.target !== "NOT_STARTED" && plan.target !== "IN_PROGRESS") return;
      if (milestone.key === "ai-change-controls" && system.aiAssisted) return;
      waiverCandidates.push({ system, milestone, plan });
    }),
  );
  const waiverCount = Math.max(1, Math.round((systemCount * 10) / 335));
  for (const { milestone, plan } of random.shuffle(waiverCandidates).slice(0, waiverCount)) {
    const reasons = WAIVER_REASONS[milestone.key] ?? [];
    const after = plan.target === "NOT_STARTED" ? 8 : plan.endDay;
    plan.waiver = {
      reason: random.pick(reasons),
      expiresOn: random.chance(0.6) ? endsOn : isoDate(startsOnMs + random.int(55, PROGRAM_DAYS - 1) * DAY),
      lead: random.chance(0.7) ? lead : secondLead,
      day: Math.min(LAST_ACTIVE_DAY, after + 0.1 + random.next() * Math.max(0, LAST_ACTIVE_DAY - after - 0.2)),
    };
  }

  phase("Planned every checkpoint's state on day 41");
  const rollbackAt = milestones.findIndex((m) => m.key === "rollback");
  const changeTables = seedChanges({
    random: createRandom(0xc4a46e),
    uuid: (
      (stream) => () =>
        randomUuid(stream)
    )(createRandom(0xc4a46f)),
    systems,
    startsOnMs,
    lastActiveMs: startsOnMs + LAST_ACTIVE_DAY * DAY,
    rollbackStatus: (s) =>
      rollbackAt < 0
        ? "NOT_STARTED"
        : nth(nth(plans, s), rollbackAt).waiver
          ? "WAIVED"
          : nth(nth(plans, s), rollbackAt).target,
    addEvent: (event) => audit.add(event),
    demoOwnerEmail: OWNER_EMAIL,
  });
  log("Walking checkpoint histories and chaining audit events while Postgres inserts");

  // Histories ---------------------------------------------------------------------------------------
  // Walked a system at a time as background work (see insertAll), so that Postgres inserts the
  // users, systems and assignments meanwhile; then the audit chain is computed the same way.
  const checkpointRows: unknown[][] = [];
  const partialExcluded = new Set([reviewerDemo, juniorDemo]);
  let historiesDone = false;
  function* work(): Generator<void, void, undefined> {
    for (const [s, system] of systems.entries()) {
      for (const [m, milestone] of milestones.entries()) {
        const plan = nth(nth(plans, s), m);
        const history = new CheckpointHistory(ctx, randomUuid(ids), system, milestone);
        const steps = buildSteps(random, history, plan, partialExcluded);
        const times = spread(random, steps.length, plan.startDay, plan.endDay).map(instant);
        // Distinct, increasing instants: two steps drawn at the same millisecond would blur the order.
        steps.forEach((step, i) => step(Math.max(nth(times, i), history.updatedAt + 1)));
        if (plan.waiver) {
          const { reason, expiresOn, lead: grantor, day } = plan.waiver;
          history.waive(Math.max(instant(day), history.updatedAt + 1), grantor, reason, expiresOn, endsOn);
        }
        invariant(
          history.status === (plan.waiver ? "WAIVED" : plan.target),
          `${system.key}/${milestone.key} ended ${history.status}, planned ${plan.target}`,
        );
        invariant(history.updatedAt < startsOnMs + DAYS_ELAPSED * DAY, "activity in the future");
        const joinedOn = system.joinedOn ? new Date(`${system.joinedOn}T00:00:00Z`) : null;
        checkpointRows.push(
          history.row(
            isoDate(
              dueOnFor(
                { startsOn: new Date(startsOnMs), durationDays: PROGRAM_DAYS },
                milestone.dueDay,
                joinedOn,
              ).getTime(),
            ),
          ),
        );
      }
      yield;
    }
    historiesDone = true;
    log(`Generated ${checkpointRows.length} checkpoint histories and ${audit.size} audit events`);
    while (!audit.chain(200)) yield;
    log(`Chained ${audit.size} audit events`);
  }
  const background = new Background(work());
  const afterHistories = (rows: unknown[][]) => () => {
    background.runUntil(() => historiesDone);
    return rows;
  };

  const userRows = users.map((u) => [
    u.id,
    u.email,
    u.name,
    u.role,
    u.seniority,
    passwordHash,
    new Date(u.createdAt),
    new Date(u.createdAt),
  ]);
  const programRow = [
    programId,
    programName,
    startsOn,
    PROGRAM_DAYS,
    true,
    1,
    new Date(programAt),
    new Date(programAt),
  ];
  const milestoneRows = milestones.map((m, i) => {
    const created = new Date(programAt + (i + 1) * 60_000);
    return [
      m.id,
      programId,
      m.key,
      m.name,
      m.description,
      m.sequence,
      m.dueDay,
      m.requiredApprovals,
      m.minReviewerSeniority,
      m.evidenceHint,
      created,
      created,
    ];
  });
  const systemRows = systems.map((s) => [
    s.id,
    s.key,
    s.name,
    s.description,
    s.team.name,
    s.tier,
    s.aiAssisted,
    s.repoUrl,
    s.runbookUrl,
    s.joinedOn ?? null,
    s.archived ? new Date(s.archived.at) : null,
    s.archived?.reason ?? null,
    new Date(s.createdAt),
    new Date(s.createdAt),
  ]);
  return {
    result: () => ({
      users: users.length,
      systems: systems.length,
      checkpoints: checkpointRows.length,
      evidence: tables.evidence.length,
      reviews: tables.reviews.length,
      waivers: tables.waivers.length,
      auditEvents: audit.size,
    }),
    background,
    inserts: [
      {
        name: "app_user",
        columns: [
          ["id", "uuid"],
          ["email", "text"],
          ["name", "text"],
          ["role", '"role"'],
          ["seniority", '"seniority"'],
          ["password_hash", "text"],
          ["created_at", "timestamptz"],
          ["updated_at", "timestamptz"],
        ],
        rows: userRows,
      },
      {
        name: "program",
        columns: [
          ["id", "uuid"],
          ["name", "text"],
          ["starts_on", "date"],
          ["duration_days", "int"],
          ["active", "boolean"],
          ["version", "int"],
          ["created_at", "timestamptz"],
          ["updated_at", "timestamptz"],
        ],
        rows: [programRow],
      },
      {
        name: "milestone",
        columns: [
          ["id", "uuid"],
          ["program_id", "uuid"],
          ["key", "text"],
          ["name", "text"],
          ["description", "text"],
          ["sequence", "int"],
          ["due_day", "int"],
          ["required_approvals", "int"],
          ["min_reviewer_seniority", '"seniority"'],
          ["evidence_hint", "text"],
          ["created_at", "timestamptz"],
          ["updated_at", "timestamptz"],
        ],
        rows: milestoneRows,
      },
      {
        name: "system",
        columns: [
          ["id", "uuid"],
          ["key", "text"],
          ["name", "text"],
          ["description", "text"],
          ["team", "text"],
          ["tier", '"tier"'],
          ["ai_assisted", "boolean"],
          ["repo_url", "text"],
          ["runbook_url", "text"],
          ["joined_on", "date"],
          ["archived_at", "timestamptz"],
          ["archived_reason", "text"],
          ["created_at", "timestamptz"],
          ["updated_at", "timestamptz"],
        ],
        rows: systemRows,
      },
      {
        name: "assignment",
        columns: [
          ["id", "uuid"],
          ["system_id", "uuid"],
          ["user_id", "uuid"],
          ["kind", '"assignment_kind"'],
          ["created_at", "timestamptz"],
        ],
        rows: assignmentRows,
      },
      {
        name: "checkpoint",
        columns: [
          ["id", "uuid"],
          ["system_id", "uuid"],
          ["milestone_id", "uuid"],
          ["status", '"checkpoint_status"'],
          ["due_on", "date"],
          ["version", "int"],
          ["round", "int"],
          ["status_changed_at", "timestamptz"],
          ["submitted_at", "timestamptz"],
          ["completed_at", "timestamptz"],
          ["created_at", "timestamptz"],
          ["updated_at", "timestamptz"],
        ],
        rows: afterHistories(checkpointRows),
      },
      {
        name: "evidence",
        columns: [
          ["id", "uuid"],
          ["checkpoint_id", "uuid"],
          ["url", "text"],
          ["title", "text"],
          ["kind", '"evidence_kind"'],
          ["note", "text"],
          ["submitted_by_id", "uuid"],
          ["submitted_at", "timestamptz"],
        ],
        rows: afterHistories(tables.evidence),
      },
      {
        name: "evidence_withdrawal",
        columns: [
          ["id", "uuid"],
          ["evidence_id", "uuid"],
          ["withdrawn_by_id", "uuid"],
          ["reason", "text"],
          ["at", "timestamptz"],
        ],
        rows: afterHistories(tables.withdrawals),
      },
      {
        name: "review",
        columns: [
          ["id", "uuid"],
          ["checkpoint_id", "uuid"],
          ["reviewer_id", "uuid"],
          ["round", "int"],
          ["decision", '"review_decision"'],
          ["comment", "text"],
          ["seniority", '"seniority"'],
          ["evidence_digest", "text"],
          ["at", "timestamptz"],
        ],
        rows: afterHistories(tables.reviews),
      },
      {
        name: "waiver",
        columns: [
          ["id", "uuid"],
          ["checkpoint_id", "uuid"],
          ["reason", "text"],
          ["granted_by_id", "uuid"],
          ["expires_on", "date"],
          ["prior_status", '"checkpoint_status"'],
          ["at", "timestamptz"],
        ],
        rows: afterHistories(tables.waivers),
      },
      {
        name: "audit_event",
        columns: [
          ["seq", "bigint"],
          ["at", "timestamptz"],
          ["actor_id", "uuid"],
          ["actor_email", "text"],
          ["action", "text"],
          ["subject_type", "text"],
          ["subject_id", "text"],
          ["system_key", "text"],
          ["data", "jsonb"],
          ["prev_hash", "text"],
          ["hash", "text"],
        ],
        rows: () => {
          background.finish();
          return audit.rows;
        },
      },
      ...changeTables,
    ],
  };
}

type Step = (at: number) => void;

/**
 * The actions that take a checkpoint from NOT_STARTED to its planned state, in order. Who acts is
 * decided here; when is decided by the caller, which spreads the steps over the planned days.
 */
function buildSteps(random: Random, history: CheckpointHistory, plan: Plan, partialExcluded: Set<SeedUser>): Step[] {
  const steps: Step[] = [];
  const { system, milestone } = history;
  const owner = () => random.pick(system.owners);
  const addEvidence = (count: number) => {
    for (let i = 0; i < count; i += 1) steps.push((t) => history.addEvidence(t, owner()));
  };
  const submit = () => steps.push((t) => history.submit(t, owner()));
  const approve = (reviewer: SeedUser) =>
    steps.push((t) => history.review(t, reviewer, "APPROVE", random.pick(APPROVAL_COMMENTS)));
  const requestChanges = (reviewer: SeedUser) =>
    steps.push((t) => history.review(t, reviewer, "REQUEST_CHANGES", random.pick(milestone.changeRequests)));
  // Owners author all evidence and are never reviewers, so eligibility is fixed for the whole story.
  const eligible = random.shuffle(history.eligibleReviewers());
  const needed = history.needed;
  const firstEvidence = () => addEvidence(random.int(1, Math.min(3, milestone.evidence.length)));
  /** A round that ended in a change request, and the owner's fix that reopens the work. */
  const changesRound = () => {
    firstEvidence();
    submit();
    const [requester, approver] = eligible;
    invariant(requester, `${system.key} has no eligible reviewer for ${milestone.key}`);
    if (needed >= 2 && approver && random.chance(0.4)) approve(approver);
    requestChanges(requester);
  };

  switch (plan.target) {
    case "NOT_STARTED":
      break;
    case "IN_PROGRESS": {
      const r = random.next();
      if (r < 0.12) {
        changesRound();
        addEvidence(1);
      } else if (r < 0.22) {
        // Owner linked the wrong thing, added the right one, then withdrew the first.
        addEvidence(2);
        steps.push((t) => {
          const first = history.evidence[0];
          invariant(first, "nothing to withdraw");
          history.withdraw(t, owner(), first, random.pick(WITHDRAWAL_REASONS));
        });
      } else {
        firstEvidence();
      }
      break;
    }
    case "CHANGES_REQUESTED":
      changesRound();
      break;
    case "SUBMITTED":
    case "APPROVED": {
      if (random.chance(0.15)) {
        changesRound();
        addEvidence(1);
      } else {
        firstEvidence();
      }
      submit();
      if (plan.target === "APPROVED") {
        invariant(eligible.length >= needed, `${system.key} cannot reach quorum on ${milestone.key}`);
        for (const reviewer of eligible.slice(0, needed)) approve(reviewer);
      } else if (needed >= 2 && random.chance(0.5)) {
        // One of two approvals in: still waiting, and never on the demo reviewer's own sign-off.
        const partial = eligible.find((r) => !partialExcluded.has(r));
        if (partial) approve(partial);
      }
      break;
    }
  }
  return steps;
}

/** `count` increasing program days from `startDay` to `endDay`, the first and last pinned to them. */
function spread(random: Random, count: number, startDay: number, endDay: number): number[] {
  if (count === 0) return [];
  const start = Math.min(Math.max(0.05, startDay), LAST_ACTIVE_DAY - 0.2);
  const end = Math.min(Math.max(endDay, start + 0.1), LAST_ACTIVE_DAY);
  if (count === 1) return [start];
  const middle = Array.from({ length: count - 2 }, () => start + random.next() * (end - start)).sort((a, b) => a - b);
  return [start, ...middle, end];
}
