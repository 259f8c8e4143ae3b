// Demo production changes for the change gate (docs/RULES.md, rule 16): a few weeks of believable
// changes per system, some AI-assisted by juniors and mids still waiting on a senior, a couple
// that shipped while the gate blocked them, and a rollback or two. Every decision recorded here
// (first ask, first allowed, the decision at shipping) is the one lib/domain/change-gate.ts makes
// from the reviews given by then, and every change is in the audit chain.
import type { JsonValue } from "@/lib/audit/chain";
import { decideChange, type ChangeFacts, type ChangeReviewFacts } from "@/lib/domain/change-gate";
import { changeLinksDigest } from "@/lib/domain/change-links-digest";
import type { Random } from "@/prisma/seed";

type Seniority = "JUNIOR" | "MID" | "SENIOR" | "PRINCIPAL";

interface Person {
  id: string;
  email: string;
  name: string;
  seniority: Seniority;
}

export interface ChangeSeedSystem<P extends Person = Person> {
  id: string;
  key: string;
  tier: "TIER_0" | "TIER_1" | "TIER_2";
  aiAssisted: boolean;
  repoUrl: string;
  runbookUrl: string;
  owners: P[];
  reviewers: P[];
}

export interface ChangeSeedEvent<P extends Person = Person> {
  at: number;
  actor: P;
  action: string;
  subjectType: string;
  subjectId: string;
  systemKey: string;
  data: { [key: string]: JsonValue };
}

export interface ChangeSeedInput<P extends Person> {
  random: Random;
  uuid: () => string;
  systems: readonly ChangeSeedSystem<P>[];
  startsOnMs: number;
  /** Nothing seeded happens after this instant (just before today's midnight). */
  lastActiveMs: number;
  /** The status of the system's rollback checkpoint on the demo's day (rule 16.3). */
  rollbackStatus: (systemIndex: number) => string;
  addEvent: (event: ChangeSeedEvent<P>) => void;
  /** The demo owner account, who gets changes waiting on a senior. */
  demoOwnerEmail?: string;
}

interface InsertTable {
  name: string;
  columns: [name: string, type: string][];
  rows: unknown[][];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RANK: Record<Seniority, number> = { JUNIOR: 0, MID: 1, SENIOR: 2, PRINCIPAL: 3 };

const WHAT = [
  "Retry idempotent calls on gateway timeouts",
  "Raise connection pool limit for peak traffic",
  "Move feature flag evaluation server-side",
  "Add circuit breaker around the fraud scorer",
  "Backfill missing audit fields",
  "Drop the legacy v1 endpoint",
  "Tighten IAM role for the batch worker",
  "Upgrade the Postgres driver",
  "Cache currency rates for five minutes",
  "Split the nightly job into hourly batches",
  "Rotate signing keys with overlap",
  "Add rate limit to the export endpoint",
  "Index orders by customer and date",
  "Fix double-send on webhook retries",
  "Stream large reports instead of buffering",
  "Enforce TLS 1.3 on internal calls",
];

const REVIEW_NOTES = [
  "Checked the rollback steps against staging.",
  "Diff is small and the tests cover the retry path.",
  "Canary plan looks right.",
  "",
  "",
  "Verified the migration is reversible.",
];

/** Builds the demo changes; returns their rows for the seed's bulk insert and adds their audit events. */
export function seedChanges<P extends Person>(input: ChangeSeedInput<P>): InsertTable[] {
  const { random, uuid, systems, startsOnMs, lastActiveMs } = input;
  const changes: unknown[][] = [];
  const reviews: unknown[][] = [];
  const outcomes: unknown[][] = [];
  let shippedBlocked = 0;
  let rolledBack = 0;
  let shippedCount = 0;
  let pr = 1000;

  /** One change and its story; `demo` pins one for a demo account: fresh, AI-assisted, waiting on a senior. */
  const addChange = (system: ChangeSeedSystem<P>, index: number, demo?: P) => {
    const reviewersOk = system.reviewers.filter((r) => RANK[r.seniority] >= RANK.MID);
    const rollback = input.rollbackStatus(index);
    {
      const author = demo ?? random.pick(system.owners);
      const createdAt = demo
        ? lastActiveMs - 20 * HOUR
        : Math.min(lastActiveMs - 2 * HOUR, startsOnMs + random.int(12, 39) * DAY + random.int(8, 18) * HOUR);
      const ai = demo ? true : random.chance(system.aiAssisted ? 0.65 : 0.2);
      const id = uuid();
      const url = `${system.repoUrl}/pull/${(pr += random.int(1, 40))}`;
      const rollbackPlanUrl = random.chance(0.93) ? `${system.runbookUrl}#rollback` : null;
      const docsUrl = random.chance(0.4) ? `${system.runbookUrl}#changes` : null;
      const title = random.pick(WHAT);
      const facts: ChangeFacts = {
        author: { id: author.id, name: author.name, seniority: author.seniority },
        coAuthorIds: [],
        aiAssisted: ai,
        rollbackPlanUrl,
        revision: 1,
        shippedAt: null,
        reviews: [],
      };
      const decide = (at: number, shippedAt: number | null = null) =>
        decideChange(
          { ...facts, shippedAt: shippedAt === null ? null : new Date(shippedAt) },
          { tier: system.tier, rollbackStatus: rollback },
          { now: new Date(at) },
        );
      const event = (at: number, actor: P, action: string, data: { [key: string]: JsonValue }) =>
        input.addEvent({ at, actor, action, subjectType: "change", subjectId: id, systemKey: system.key, data });
      event(createdAt, author, "change.register", {
        title,
        url,
        aiAssisted: ai,
        rollbackPlanUrl,
        docsUrl,
        author: author.email,
        coAuthors: [],
      });

      // Reviews: a fresh change may still be waiting; an older one has usually been looked at.
      const age = (lastActiveMs - createdAt) / DAY;
      const candidates = random.shuffle(reviewersOk.filter((r) => r.id !== author.id));
      const wanted = demo ? 1 : age < 1.5 ? random.int(0, 1) : random.int(1, 2);
      const reviewTimes: number[] = [];
      let at = createdAt;
      let firstAllowedAt: number | null = null;
      const seniorWaiting = demo !== undefined || (ai && RANK[author.seniority] < RANK.SENIOR && random.chance(0.35));
      for (const reviewer of candidates.slice(0, wanted)) {
        // Leave some AI-assisted work of juniors and mids waiting on a senior: only MIDs have looked.
        if (seniorWaiting && RANK[reviewer.seniority] >= RANK.SENIOR) continue;
        at = Math.min(lastActiveMs - HOUR, at + random.int(1, 20) * HOUR + random.int(0, 59) * 60_000);
        const review: ChangeReviewFacts = {
          reviewerId: reviewer.id,
          reviewerName: reviewer.name,
          seniority: reviewer.seniority,
          decision: "APPROVE",
          comment: random.pick(REVIEW_NOTES),
          revision: 1,
          at: new Date(at),
        };
        facts.reviews = [...facts.reviews, review];
        reviewTimes.push(at);
        reviews.push([
          uuid(),
          id,
          reviewer.id,
          1,
          0,
          "APPROVE",
          review.comment,
          reviewer.seniority,
          changeLinksDigest({ url, rollbackPlanUrl, docsUrl }),
          new Date(at),
        ]);
        event(at, reviewer, "change.review.approve", {
          decision: "APPROVE",
          comment: review.comment,
          revision: 1,
          seniority: reviewer.seniority,
          allowedAfter: decide(at).allowed,
        });
        if (firstAllowedAt === null && decide(at).allowed) firstAllowedAt = at;
      }

      // The pipeline asks when it wants to deploy: sometimes before the sign-off it needed.
      const firstAsk = Math.min(lastActiveMs - HOUR / 2, createdAt + random.int(1, 30) * HOUR);
      const firstCheckAllowed = decide(firstAsk).allowed;
      if (firstCheckAllowed && firstAllowedAt === null) firstAllowedAt = firstAsk;

      // Outcomes: allowed changes usually ship; a couple shipped regardless of the gate.
      let shippedAt: number | null = null;
      if (demo) shippedAt = null;
      else if (firstAllowedAt !== null && random.chance(0.85))
        shippedAt = Math.min(lastActiveMs - HOUR / 4, Math.max(firstAllowedAt, firstAsk) + random.int(1, 6) * HOUR);
      else if (firstAllowedAt === null && shippedBlocked < 2 && age > 3 && random.chance(0.5)) {
        shippedAt = Math.min(lastActiveMs - HOUR / 4, createdAt + random.int(2, 20) * HOUR);
        shippedBlocked += 1;
      }
      if (shippedAt !== null) {
        const atShip = decide(shippedAt, shippedAt);
        outcomes.push([
          uuid(),
          id,
          "SHIPPED",
          null,
          atShip.allowed,
          JSON.stringify(atShip.reasons),
          author.id,
          new Date(shippedAt),
        ]);
        event(shippedAt, author, "change.shipped", {
          incidentUrl: null,
          allowed: atShip.allowed,
          reasons: atShip.reasons,
        });
        shippedCount += 1;
        // A rollback or two: roughly one shipped change in twelve, at most three.
        if (rolledBack < 3 && shippedAt < lastActiveMs - DAY && shippedCount % 12 === 5) {
          const back = shippedAt + random.int(1, 5) * HOUR;
          const incidentUrl = `https://status.example.com/incidents/${random.int(200, 999)}`;
          outcomes.push([
            uuid(),
            id,
            "ROLLED_BACK",
            incidentUrl,
            atShip.allowed,
            JSON.stringify(atShip.reasons),
            author.id,
            new Date(back),
          ]);
          event(back, author, "change.rolled_back", { incidentUrl, allowed: atShip.allowed, reasons: atShip.reasons });
          rolledBack += 1;
        }
      }
      const version =
        1 + (shippedAt === null ? 0 : 1) + outcomes.filter((o) => o[1] === id && o[2] === "ROLLED_BACK").length;
      const updatedAt = Math.max(
        createdAt,
        ...reviewTimes,
        ...outcomes.filter((o) => o[1] === id).map((o) => (o[7] as Date).getTime()),
      );
      changes.push([
        id,
        system.id,
        title,
        url,
        ai,
        author.id,
        rollbackPlanUrl,
        docsUrl,
        1,
        version,
        author.id,
        new Date(firstAsk),
        firstCheckAllowed,
        firstAllowedAt === null ? null : new Date(firstAllowedAt),
        new Date(createdAt),
        new Date(updatedAt),
      ]);
    }
  };

  systems.forEach((system, index) => {
    if (!system.owners.length) return;
    // A few changes per system over the last four weeks; busier on the systems that ship AI-assisted work.
    const count = random.int(0, system.aiAssisted ? 3 : 2);
    for (let n = 0; n < count; n += 1) addChange(system, index);
  });
  // The demo owner (a MID engineer) has AI-assisted work waiting on a senior on two of their systems.
  const demoOwner = input.demoOwnerEmail;
  let pinned = 0;
  systems.forEach((system, index) => {
    const owner = system.owners.find((o) => o.email === demoOwner);
    if (owner && pinned < 2 && RANK[owner.seniority] < RANK.SENIOR) {
      addChange(system, index, owner);
      pinned += 1;
    }
  });

  return [
    {
      name: "change",
      columns: [
        ["id", "uuid"],
        ["system_id", "uuid"],
        ["title", "text"],
        ["url", "text"],
        ["ai_assisted", "boolean"],
        ["author_id", "uuid"],
        ["rollback_plan_url", "text"],
        ["docs_url", "text"],
        ["revision", "int"],
        ["version", "int"],
        ["registered_by_id", "uuid"],
        ["first_checked_at", "timestamptz"],
        ["first_check_allowed", "boolean"],
        ["first_allowed_at", "timestamptz"],
        ["created_at", "timestamptz"],
        ["updated_at", "timestamptz"],
      ],
      rows: changes,
    },
    {
      name: "change_review",
      columns: [
        ["id", "uuid"],
        ["change_id", "uuid"],
        ["reviewer_id", "uuid"],
        ["revision", "int"],
        ["renewal", "int"],
        ["decision", '"review_decision"'],
        ["comment", "text"],
        ["seniority", '"seniority"'],
        ["links_digest", "text"],
        ["at", "timestamptz"],
      ],
      rows: reviews,
    },
    {
      name: "change_outcome",
      columns: [
        ["id", "uuid"],
        ["change_id", "uuid"],
        ["kind", '"change_outcome_kind"'],
        ["incident_url", "text"],
        ["allowed", "boolean"],
        ["reasons", "jsonb"],
        ["recorded_by_id", "uuid"],
        ["at", "timestamptz"],
      ],
      rows: outcomes,
    },
  ];
}
