import { describe, expect, it } from "vitest";
import type { CheckpointFacts, Person, SystemFacts } from "./checkpoint-workflow";
import {
  dedupKey,
  planCheckpointNotifications,
  recipientsFor,
  scheduledNotifications,
  type CheckpointNotificationFacts,
  type SweepCheckpoint,
} from "./notification-recipients";

const senior: Person = { id: "senior", role: "ENGINEER", seniority: "SENIOR" };
const mid: Person = { id: "mid", role: "ENGINEER", seniority: "MID" };
const junior: Person = { id: "junior", role: "ENGINEER", seniority: "JUNIOR" };
const author: Person = { id: "author", role: "ENGINEER", seniority: "PRINCIPAL" };
const system: SystemFacts = {
  tier: "TIER_1",
  aiAssisted: false,
  ownerIds: ["owner", "owner2"],
  reviewerIds: ["senior", "mid", "junior", "author"],
};
const submitted: CheckpointFacts = {
  status: "SUBMITTED",
  round: 2,
  evidence: [
    { id: "e1", submittedById: "owner", withdrawn: false },
    { id: "e2", submittedById: "author", withdrawn: false },
  ],
  reviews: [],
};

const facts = (
  over: Partial<CheckpointNotificationFacts["context"]> = {},
  actorId: string | null = "owner",
): CheckpointNotificationFacts => ({
  context: { system, milestone: { requiredApprovals: 1, minReviewerSeniority: "MID" }, checkpoint: submitted, ...over },
  reviewers: [senior, mid, junior, author],
  leadIds: ["lead"],
  actorId,
});

describe("who hears of a checkpoint event", () => {
  it("sends a submission only to reviewers who could sign it off", () => {
    // junior: too junior for a MID milestone; author: added evidence (separation of duties).
    expect(recipientsFor("EVIDENCE_SUBMITTED", facts())).toEqual(["senior", "mid"]);
  });

  it("raises the bar with the milestone and for AI-assisted systems", () => {
    expect(
      recipientsFor(
        "EVIDENCE_SUBMITTED",
        facts({ milestone: { requiredApprovals: 1, minReviewerSeniority: "SENIOR" } }),
      ),
    ).toEqual(["senior"]);
    expect(recipientsFor("EVIDENCE_SUBMITTED", facts({ system: { ...system, aiAssisted: true } }))).toEqual(["senior"]);
  });

  it("skips a reviewer who already reviewed this round", () => {
    const reviewed = { ...submitted, reviews: [{ reviewerId: "senior", round: 2, decision: "APPROVE" as const }] };
    expect(recipientsFor("EVIDENCE_SUBMITTED", facts({ checkpoint: reviewed }))).toEqual(["mid"]);
  });

  it("sends the outcome of a review to the owners, never to the person who acted", () => {
    expect(recipientsFor("CHANGES_REQUESTED", facts({}, "senior"))).toEqual(["owner", "owner2"]);
    expect(recipientsFor("QUORUM_REACHED", facts({}, "owner2"))).toEqual(["owner"]);
  });

  it("tells the leads when no assigned reviewer could sign a submission off", () => {
    const none = {
      ...facts({ milestone: { requiredApprovals: 1, minReviewerSeniority: "PRINCIPAL" } }),
      reviewers: [senior, mid, junior],
    };
    const planned = planCheckpointNotifications("EVIDENCE_SUBMITTED", none, "cp1", new Date("2026-11-27T10:00:00Z"));
    expect(planned).toEqual([
      { event: "NO_ELIGIBLE_REVIEWER", recipientId: "lead", subject: "checkpoint:cp1:round:2", day: "2026-11-27" },
    ]);
  });

  it("keys a resubmission apart from the first submission the same day", () => {
    const at = new Date("2026-11-27T10:00:00Z");
    const first = planCheckpointNotifications("EVIDENCE_SUBMITTED", facts(), "cp1", at)[0]!;
    const again = planCheckpointNotifications(
      "EVIDENCE_SUBMITTED",
      facts({ checkpoint: { ...submitted, round: 3 } }),
      "cp1",
      at,
    )[0]!;
    expect(dedupKey(first, first.recipientId)).not.toBe(dedupKey(again, again.recipientId));
  });
});

describe("scheduled nudges", () => {
  const base: SweepCheckpoint = {
    id: "cp",
    status: "IN_PROGRESS",
    dueOn: new Date("2026-12-01"),
    round: 0,
    submittedAt: null,
    ownerIds: ["owner"],
    eligibleReviewerIds: [],
  };
  const keys = (today: string, c: SweepCheckpoint = base) =>
    scheduledNotifications([c], [], ["lead"], new Date(today)).map((n) => dedupKey(n, n.recipientId));

  it("keys an at-risk nudge on the day it turned at risk, so daily sweeps repeat the same key", () => {
    expect(keys("2026-11-25")).toEqual(["AT_RISK|checkpoint:cp:due:2026-12-01|owner|2026-11-24"]);
    expect(keys("2026-11-28")).toEqual(keys("2026-11-25"));
    expect(keys("2026-11-23")).toEqual([]);
  });

  it("nudges owners when overdue and escalates to the lead after a week", () => {
    expect(keys("2026-12-03")).toEqual(["OVERDUE|checkpoint:cp:due:2026-12-01|owner|2026-12-02"]);
    expect(keys("2026-12-08")).toEqual([
      "OVERDUE|checkpoint:cp:due:2026-12-01|owner|2026-12-02",
      "OVERDUE_ESCALATION|checkpoint:cp:due:2026-12-01|lead|2026-12-08",
    ]);
    expect(keys("2026-12-20", { ...base, status: "APPROVED" })).toEqual([]);
  });

  it("reminds eligible reviewers after three days of waiting and the lead after seven", () => {
    const waiting = {
      ...base,
      dueOn: new Date("2027-01-30"),
      status: "SUBMITTED" as const,
      round: 1,
      submittedAt: new Date("2026-11-20T09:00:00Z"),
      eligibleReviewerIds: ["rev"],
    };
    expect(keys("2026-11-23", waiting)).toEqual([]);
    expect(keys("2026-11-24", waiting)).toEqual(["REVIEW_WAITING|checkpoint:cp:round:1|rev|2026-11-24"]);
    expect(keys("2026-11-28", waiting)).toEqual([
      "REVIEW_WAITING|checkpoint:cp:round:1|rev|2026-11-24",
      "REVIEW_ESCALATION|checkpoint:cp:round:1|lead|2026-11-28",
    ]);
  });

  it("warns the lead who granted a waiver in its last week", () => {
    const waiver = { id: "w1", expiresOn: new Date("2026-12-10"), grantedById: "lead2" };
    const at = (today: string) =>
      scheduledNotifications([], [waiver], ["lead"], new Date(today)).map((n) => dedupKey(n, n.recipientId));
    expect(at("2026-12-02")).toEqual([]);
    expect(at("2026-12-05")).toEqual(["WAIVER_EXPIRING|waiver:w1|lead2|2026-12-03"]);
  });
});
