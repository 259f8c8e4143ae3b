import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  approvalsNeeded,
  decideAddEvidence,
  decideReview,
  decideSubmit,
  SENIORITY_ORDER,
  seniorityNeeded,
  type CheckpointFacts,
  type MilestoneFacts,
  type Person,
  type SystemFacts,
  type WorkflowContext,
} from "./checkpoint-workflow";
import {
  effectiveRule,
  effectiveRules,
  eligibility,
  noEligibleReviewer,
  reviewerPool,
  reviewerShortfall,
  type ReviewerFacts,
} from "./eligibility";

const owner: Person = { id: "owner", role: "ENGINEER", seniority: "SENIOR" };
const senior: Person = { id: "senior", role: "ENGINEER", seniority: "SENIOR" };
const junior: Person = { id: "junior", role: "ENGINEER", seniority: "JUNIOR" };
const mid: Person = { id: "mid", role: "ENGINEER", seniority: "MID" };
const exec: Person = { id: "exec", role: "EXECUTIVE", seniority: "PRINCIPAL" };

const system: SystemFacts = {
  tier: "TIER_1",
  aiAssisted: false,
  ownerIds: ["owner"],
  reviewerIds: ["senior", "junior", "mid"],
};
const milestone: MilestoneFacts = { requiredApprovals: 1, minReviewerSeniority: "MID" };
const submitted: CheckpointFacts = {
  status: "SUBMITTED",
  round: 1,
  evidence: [{ id: "e1", submittedById: "owner", withdrawn: false }],
  reviews: [],
};
const ctx = (actor: Person, over: Partial<WorkflowContext> = {}): WorkflowContext => ({
  actor,
  system,
  milestone,
  checkpoint: submitted,
  ...over,
});

describe("eligibility", () => {
  it("gives the owner the next step: add evidence, then submit, then nothing while it is under review", () => {
    expect(
      eligibility(ctx(owner, { checkpoint: { status: "NOT_STARTED", round: 0, evidence: [], reviews: [] } })),
    ).toEqual({ canAct: true, as: "owner", action: "addEvidence" });
    expect(eligibility(ctx(owner, { checkpoint: { ...submitted, status: "CHANGES_REQUESTED" } }))).toEqual({
      canAct: true,
      as: "owner",
      action: "submit",
    });
    expect(eligibility(ctx(owner))).toMatchObject({ canAct: false, waitingOn: "reviewers" });
    expect(eligibility(ctx(owner, { checkpoint: { ...submitted, status: "APPROVED" } }))).toMatchObject({
      canAct: false,
      waitingOn: "nobody",
    });
    expect(eligibility(ctx(owner, { checkpoint: { ...submitted, status: "WAIVED" } }))).toMatchObject({
      canAct: false,
      reason: "This checkpoint is waived.",
    });
  });

  it("gives a reviewer a submitted checkpoint only when their approval would be accepted", () => {
    expect(eligibility(ctx(senior))).toEqual({ canAct: true, as: "reviewer", action: "review" });
    expect(eligibility(ctx(junior))).toEqual({
      canAct: false,
      reason: "This milestone needs a mid-level reviewer (or more senior).",
      code: "seniority_too_low",
      waitingOn: "reviewers",
    });
    expect(eligibility(ctx(mid, { system: { ...system, aiAssisted: true } }))).toMatchObject({
      canAct: false,
      code: "seniority_too_low",
      reason: expect.stringContaining("AI-assisted"),
    });
    const reviewed = { ...submitted, reviews: [{ reviewerId: "senior", round: 1, decision: "APPROVE" as const }] };
    expect(eligibility(ctx(senior, { checkpoint: reviewed }))).toMatchObject({
      canAct: false,
      reason: "You have already reviewed this submission.",
    });
    const authored = { ...submitted, evidence: [{ id: "e2", submittedById: "senior", withdrawn: false }] };
    expect(eligibility(ctx(senior, { checkpoint: authored }))).toMatchObject({
      canAct: false,
      reason: expect.stringContaining("added evidence"),
    });
    expect(eligibility(ctx(senior, { checkpoint: { ...submitted, status: "IN_PROGRESS" } }))).toMatchObject({
      canAct: false,
      waitingOn: "owners",
    });
  });

  it("never gives executives or strangers work", () => {
    expect(eligibility(ctx(exec, { system: { ...system, reviewerIds: ["exec"], ownerIds: ["exec"] } }))).toMatchObject({
      canAct: false,
    });
    expect(eligibility(ctx({ id: "x", role: "LEAD", seniority: "PRINCIPAL" }))).toMatchObject({
      canAct: false,
      reason: "You are not assigned to this system.",
    });
  });
});

describe("no eligible reviewer", () => {
  const reviewers: ReviewerFacts[] = [senior, junior, mid];
  const facts = (over: Partial<Omit<WorkflowContext, "actor">> = {}) => ({
    system,
    milestone,
    checkpoint: submitted,
    ...over,
  });

  it("flags a Tier 0 checkpoint with one qualified reviewer, and names the shortfall", () => {
    const tier0 = facts({ system: { ...system, tier: "TIER_0", reviewerIds: ["senior", "junior"] } });
    expect(noEligibleReviewer(tier0, reviewers)).toBe(true);
    expect(reviewerShortfall(tier0, reviewers)).toBe(
      "Needs 2 approvals from Mid or above, not an owner or evidence author; only 1 can.",
    );
    expect(noEligibleReviewer(facts({ system: { ...system, tier: "TIER_0" } }), reviewers)).toBe(false);
  });

  it("counts approvals already standing in the round, skips disabled accounts, and never flags done work", () => {
    const t0 = { ...system, tier: "TIER_0" as const, reviewerIds: ["senior", "junior"] };
    const approvedOnce = { ...submitted, reviews: [{ reviewerId: "gone", round: 1, decision: "APPROVE" as const }] };
    expect(noEligibleReviewer(facts({ system: t0, checkpoint: approvedOnce }), reviewers)).toBe(false);
    expect(
      noEligibleReviewer(facts({ system: { ...system, reviewerIds: ["senior"] } }), [{ ...senior, active: false }]),
    ).toBe(true);
    expect(
      noEligibleReviewer(
        facts({ system: { ...system, reviewerIds: [] }, checkpoint: { ...submitted, status: "APPROVED" } }),
        [],
      ),
    ).toBe(false);
  });

  it("judges a checkpoint not yet submitted by its next round", () => {
    const seniorOnly = { ...milestone, minReviewerSeniority: "SENIOR" as const };
    const fresh: CheckpointFacts = { status: "NOT_STARTED", round: 0, evidence: [], reviews: [] };
    expect(noEligibleReviewer(facts({ milestone: seniorOnly, checkpoint: fresh }), reviewers)).toBe(false);
    expect(
      reviewerPool(
        facts({ milestone: seniorOnly, checkpoint: fresh, system: { ...system, reviewerIds: ["junior", "mid"] } }),
        reviewers,
      ),
    ).toMatchObject({
      needed: 1,
      eligibleIds: [],
    });
  });

  it("states the rule a milestone really applies", () => {
    expect(effectiveRule({ tier: "TIER_0", aiAssisted: false }, milestone)).toBe("2 approvals from Mid or above");
    expect(effectiveRule({ tier: "TIER_2", aiAssisted: true }, milestone)).toBe("1 approval from Senior or above");
  });

  // The flag's promise: flagged ⇔ no sequence of submit and approvals by the assigned reviewers
  // reaches APPROVED. Every assigned reviewer tries to approve once; an approval never depends on
  // another reviewer's, so trying them all is the best any order can do.
  it("is raised exactly when the current assignments can never approve the checkpoint", () => {
    const ids = ["p0", "p1", "p2", "p3", "p4"];
    const person = (id: string) =>
      fc.record({
        id: fc.constant(id),
        role: fc.constantFrom("LEAD" as const, "ENGINEER" as const, "EXECUTIVE" as const),
        seniority: fc.constantFrom(...SENIORITY_ORDER),
        active: fc.boolean(),
      });
    const world = fc.record({
      people: fc.tuple(...ids.map(person)),
      tier: fc.constantFrom("TIER_0" as const, "TIER_1" as const, "TIER_2" as const),
      aiAssisted: fc.boolean(),
      ownerIds: fc.subarray(ids),
      reviewerIds: fc.subarray(ids),
      requiredApprovals: fc.integer({ min: 1, max: 3 }),
      minReviewerSeniority: fc.constantFrom(...SENIORITY_ORDER),
      status: fc.constantFrom(
        "NOT_STARTED" as const,
        "IN_PROGRESS" as const,
        "CHANGES_REQUESTED" as const,
        "SUBMITTED" as const,
      ),
      round: fc.integer({ min: 0, max: 2 }),
      authors: fc.subarray(ids),
      withdrawn: fc.boolean(),
      approvers: fc.subarray(ids, { maxLength: 2 }),
    });
    fc.assert(
      fc.property(world, (w) => {
        const round = w.status === "SUBMITTED" ? Math.max(1, w.round) : w.round;
        const sys: SystemFacts = {
          tier: w.tier,
          aiAssisted: w.aiAssisted,
          ownerIds: w.ownerIds,
          reviewerIds: w.reviewerIds,
        };
        const ms: MilestoneFacts = {
          requiredApprovals: w.requiredApprovals,
          minReviewerSeniority: w.minReviewerSeniority,
        };
        const checkpoint: CheckpointFacts = {
          status: w.status,
          round,
          evidence: w.authors.map((a, i) => ({ id: `e${i}`, submittedById: a, withdrawn: w.withdrawn && i === 0 })),
          reviews:
            w.status === "SUBMITTED"
              ? w.approvers.map((a) => ({ reviewerId: a, round, decision: "APPROVE" as const }))
              : [],
        };
        const reviewers: ReviewerFacts[] = w.people;
        fc.pre(
          w.status !== "SUBMITTED" ||
            new Set(w.approvers).size < Math.max(w.requiredApprovals, w.tier === "TIER_0" ? 2 : 1),
        );
        const flagged = noEligibleReviewer({ system: sys, milestone: ms, checkpoint }, reviewers);

        // Play it out: a lead from outside the assignments brings it to review, then every
        // assigned reviewer who can sign in tries to approve.
        const lead: Person = { id: "outside-lead", role: "LEAD", seniority: "PRINCIPAL" };
        let state = checkpoint;
        if (state.status !== "SUBMITTED") {
          if (!state.evidence.some((e) => !e.withdrawn)) {
            expect(decideAddEvidence({ actor: lead, system: sys, milestone: ms, checkpoint: state }).ok).toBe(true);
            state = {
              ...state,
              status: "IN_PROGRESS",
              evidence: [...state.evidence, { id: "lead-e", submittedById: lead.id, withdrawn: false }],
            };
          }
          const submit = decideSubmit({ actor: lead, system: sys, milestone: ms, checkpoint: state });
          if (!submit.ok) throw new Error(submit.reason);
          state = { ...state, status: submit.status, round: submit.round };
        }
        for (const reviewer of reviewers) {
          if (reviewer.active === false || state.status !== "SUBMITTED") continue;
          const outcome = decideReview(
            { actor: reviewer, system: sys, milestone: ms, checkpoint: state },
            "APPROVE",
            "",
          );
          if (!outcome.ok) continue;
          state = {
            ...state,
            status: outcome.status,
            reviews: [...state.reviews, { reviewerId: reviewer.id, round: state.round, decision: "APPROVE" }],
          };
        }
        expect(state.status === "APPROVED").toBe(!flagged);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("effective rules (Program settings)", () => {
  it("says what each kind of system needs, as approvalsNeeded and seniorityNeeded decide", () => {
    expect(effectiveRules({ requiredApprovals: 1, minReviewerSeniority: "MID" }).map((l) => l.text)).toEqual([
      "Tier 0: 2 approvals from Mid or above",
      "Tier 1, Tier 2: 1 approval from Mid or above",
      "Tier 0, AI-assisted: 2 approvals from Senior or above",
      "Tier 1, Tier 2, AI-assisted: 1 approval from Senior or above",
    ]);
    // A milestone already at Principal and two approvals: AI assistance and Tier 0 change nothing.
    expect(effectiveRules({ requiredApprovals: 2, minReviewerSeniority: "PRINCIPAL" }).map((l) => l.text)).toEqual([
      "Tier 0, Tier 1, Tier 2: 2 approvals from Principal or above",
      "Tier 0, Tier 1, Tier 2, AI-assisted: 2 approvals from Principal or above",
    ]);
  });

  it("agrees with the workflow for every tier, AI assistance and milestone policy", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(...SENIORITY_ORDER),
        fc.constantFrom("TIER_0", "TIER_1", "TIER_2" as const),
        fc.boolean(),
        (requiredApprovals, minReviewerSeniority, tier, aiAssisted) => {
          const milestone = { requiredApprovals, minReviewerSeniority };
          const lines = effectiveRules(milestone).filter((l) => l.aiAssisted === aiAssisted && l.tiers.includes(tier));
          expect(lines).toHaveLength(1);
          expect(lines[0]!.approvals).toBe(approvalsNeeded({ tier }, milestone));
          expect(lines[0]!.seniority).toBe(seniorityNeeded({ aiAssisted }, milestone));
        },
      ),
    );
  });
});
