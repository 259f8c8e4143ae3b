import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CheckpointStatus } from "./schedule";
import {
  approvalsNeeded,
  approversInRound,
  currentEvidence,
  decideAddEvidence,
  decideReview,
  decideRevokeWaiver,
  decideSubmit,
  decideWaive,
  decideWaiverEnd,
  decideWithdrawEvidence,
  isStale,
  seniorityNeeded,
  SENIORITY_ORDER,
  type CheckpointFacts,
  type Person,
  type SystemFacts,
  type WorkflowContext,
} from "./checkpoint-workflow";

const lead: Person = { id: "lead", role: "LEAD", seniority: "PRINCIPAL" };
const exec: Person = { id: "exec", role: "EXECUTIVE", seniority: "PRINCIPAL" };
const owner: Person = { id: "owner", role: "ENGINEER", seniority: "SENIOR" };
const senior: Person = { id: "senior", role: "ENGINEER", seniority: "SENIOR" };
const senior2: Person = { id: "senior2", role: "ENGINEER", seniority: "PRINCIPAL" };
const mid: Person = { id: "mid", role: "ENGINEER", seniority: "MID" };
const stranger: Person = { id: "stranger", role: "ENGINEER", seniority: "PRINCIPAL" };

const system: SystemFacts = {
  tier: "TIER_1",
  aiAssisted: false,
  ownerIds: ["owner"],
  reviewerIds: ["senior", "senior2", "mid"],
};
const milestone = { requiredApprovals: 1, minReviewerSeniority: "MID" as const };
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

describe("who may act", () => {
  it("lets owners and leads add evidence and submit, and refuses everyone else", () => {
    const fresh: CheckpointFacts = { status: "NOT_STARTED", round: 0, evidence: [], reviews: [] };
    expect(decideAddEvidence(ctx(owner, { checkpoint: fresh }))).toEqual({ ok: true, status: "IN_PROGRESS", round: 0 });
    expect(decideAddEvidence(ctx(lead, { checkpoint: fresh })).ok).toBe(true);
    expect(decideAddEvidence(ctx(senior, { checkpoint: fresh }))).toMatchObject({ ok: false, kind: "forbidden" });
    expect(decideAddEvidence(ctx(exec, { checkpoint: fresh }))).toMatchObject({ ok: false, kind: "forbidden" });
  });

  it("refuses a review by anyone not assigned, leads included", () => {
    expect(decideReview(ctx(stranger), "APPROVE", "")).toMatchObject({
      kind: "forbidden",
      reason: "Only the system's assigned reviewers can sign off.",
    });
    expect(decideReview(ctx(lead), "APPROVE", "")).toMatchObject({ kind: "forbidden" });
    expect(decideReview(ctx(exec), "APPROVE", "")).toMatchObject({ kind: "forbidden" });
  });
});

describe("separation of duties (rule 4)", () => {
  it("refuses an owner who is also listed as reviewer", () => {
    const both = { ...system, reviewerIds: [...system.reviewerIds, "owner"] };
    expect(decideReview(ctx(owner, { system: both }), "APPROVE", "")).toMatchObject({
      kind: "rule",
      reason: "You own this system, so you cannot sign it off.",
    });
  });

  it("refuses the author of current evidence, but not of withdrawn evidence", () => {
    const authored = {
      ...submitted,
      evidence: [...submitted.evidence, { id: "e2", submittedById: "senior", withdrawn: false }],
    };
    expect(decideReview(ctx(senior, { checkpoint: authored }), "APPROVE", "")).toMatchObject({
      reason: "You added evidence to this checkpoint, so you cannot sign it off.",
    });
    const withdrawn = {
      ...submitted,
      evidence: [...submitted.evidence, { id: "e2", submittedById: "senior", withdrawn: true }],
    };
    expect(decideReview(ctx(senior, { checkpoint: withdrawn }), "APPROVE", "").ok).toBe(true);
  });
});

describe("seniority (rule 5)", () => {
  it("needs the milestone's minimum", () => {
    const seniorMilestone = { requiredApprovals: 1, minReviewerSeniority: "SENIOR" as const };
    expect(decideReview(ctx(mid, { milestone: seniorMilestone }), "APPROVE", "")).toMatchObject({
      kind: "rule",
      reason: "This milestone needs a senior reviewer (or more senior).",
    });
    expect(decideReview(ctx(senior, { milestone: seniorMilestone }), "APPROVE", "").ok).toBe(true);
  });

  it("needs SENIOR on every milestone of an AI-assisted system", () => {
    const ai = { ...system, aiAssisted: true };
    expect(seniorityNeeded(ai, milestone)).toBe("SENIOR");
    expect(decideReview(ctx(mid, { system: ai }), "APPROVE", "")).toMatchObject({
      reason: "This system ships AI-assisted changes, so it needs a senior reviewer (or more senior).",
    });
    expect(seniorityNeeded(ai, { minReviewerSeniority: "PRINCIPAL" })).toBe("PRINCIPAL");
  });
});

describe("quorum (rule 6)", () => {
  it("needs two distinct approvers on Tier 0", () => {
    const tier0 = { ...system, tier: "TIER_0" as const };
    expect(approvalsNeeded(tier0, milestone)).toBe(2);
    expect(decideReview(ctx(senior, { system: tier0 }), "APPROVE", "")).toEqual({
      ok: true,
      status: "SUBMITTED",
      round: 1,
    });
    const oneIn = { ...submitted, reviews: [{ reviewerId: "senior", round: 1, decision: "APPROVE" as const }] };
    expect(decideReview(ctx(senior, { system: tier0, checkpoint: oneIn }), "APPROVE", "")).toMatchObject({
      reason: "You have already reviewed this submission.",
    });
    expect(decideReview(ctx(senior2, { system: tier0, checkpoint: oneIn }), "APPROVE", "")).toEqual({
      ok: true,
      status: "APPROVED",
      round: 1,
    });
  });

  it("does not count approvals from an earlier round", () => {
    const tier0 = { ...system, tier: "TIER_0" as const };
    const old = { ...submitted, round: 2, reviews: [{ reviewerId: "senior", round: 1, decision: "APPROVE" as const }] };
    expect(decideReview(ctx(senior2, { system: tier0, checkpoint: old }), "APPROVE", "")).toMatchObject({
      status: "SUBMITTED",
    });
  });

  it("ends the round on a change request, which needs a comment", () => {
    expect(decideReview(ctx(senior), "REQUEST_CHANGES", "  ")).toMatchObject({ kind: "rule" });
    expect(decideReview(ctx(senior), "REQUEST_CHANGES", "Rollback plan is missing")).toEqual({
      ok: true,
      status: "CHANGES_REQUESTED",
      round: 1,
    });
  });
});

describe("stale sign-offs (rule 7)", () => {
  const approved: CheckpointFacts = {
    ...submitted,
    status: "APPROVED",
    reviews: [{ reviewerId: "senior", round: 1, decision: "APPROVE" }],
  };
  it("reopens an approved or submitted checkpoint when evidence is added or withdrawn", () => {
    expect(decideAddEvidence(ctx(owner, { checkpoint: approved }))).toEqual({
      ok: true,
      status: "IN_PROGRESS",
      round: 1,
    });
    expect(decideWithdrawEvidence(ctx(owner, { checkpoint: submitted }), "e1")).toEqual({
      ok: true,
      status: "IN_PROGRESS",
      round: 1,
    });
  });
  it("marks the round's approvals stale once reopened, and keeps them fresh while they stand", () => {
    const review = approved.reviews[0]!;
    expect(isStale(review, approved)).toBe(false);
    expect(isStale(review, { status: "IN_PROGRESS", round: 1 })).toBe(true);
    expect(isStale(review, { status: "SUBMITTED", round: 2 })).toBe(true);
    expect(isStale(review, { status: "WAIVED", round: 1 }, "SUBMITTED")).toBe(false);
  });
});

describe("submitting (rule 2)", () => {
  it("needs current evidence and opens a new round", () => {
    const empty: CheckpointFacts = {
      status: "IN_PROGRESS",
      round: 0,
      evidence: [{ id: "e1", submittedById: "owner", withdrawn: true }],
      reviews: [],
    };
    expect(decideSubmit(ctx(owner, { checkpoint: empty }))).toMatchObject({
      kind: "rule",
      reason: "Add at least one piece of evidence before submitting.",
    });
    expect(
      decideSubmit(
        ctx(owner, { checkpoint: { ...empty, evidence: [{ id: "e2", submittedById: "owner", withdrawn: false }] } }),
      ),
    ).toEqual({ ok: true, status: "SUBMITTED", round: 1 });
  });
});

describe("waivers (rule 8)", () => {
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const dates = { today: day("2026-11-27"), programEndsOn: day("2027-01-16") };
  it("are for leads, with a reason and an expiry within the program", () => {
    expect(decideWaive(ctx(owner), { reason: "x", expiresOn: day("2026-12-10"), ...dates })).toMatchObject({
      kind: "forbidden",
    });
    expect(decideWaive(ctx(lead), { reason: " ", expiresOn: day("2026-12-10"), ...dates })).toMatchObject({
      kind: "rule",
    });
    expect(decideWaive(ctx(lead), { reason: "x", expiresOn: day("2027-01-17"), ...dates })).toMatchObject({
      kind: "rule",
    });
    expect(decideWaive(ctx(lead), { reason: "x", expiresOn: day("2026-11-27"), ...dates })).toMatchObject({
      kind: "rule",
    });
    expect(decideWaive(ctx(lead), { reason: "x", expiresOn: day("2027-01-16"), ...dates })).toEqual({
      ok: true,
      status: "WAIVED",
      round: 1,
    });
  });
  it("return the checkpoint to its prior state when they end", () => {
    expect(decideWaiverEnd("SUBMITTED", 1)).toEqual({ ok: true, status: "SUBMITTED", round: 1 });
  });
});

describe("revoking a waiver (rule 8)", () => {
  const waived: CheckpointFacts = { ...submitted, status: "WAIVED", round: 2 };
  const inForce = { priorStatus: "CHANGES_REQUESTED" as const };
  it("returns the checkpoint to the status it had when it was waived, in the same round", () => {
    expect(
      decideRevokeWaiver(ctx(lead, { checkpoint: waived }), {
        reason: "Decommissioning was cancelled",
        waiver: inForce,
      }),
    ).toEqual({
      ok: true,
      status: "CHANGES_REQUESTED",
      round: 2,
    });
  });
  it("is for leads only: owners, reviewers and executives are refused as such", () => {
    for (const person of [owner, senior, exec, stranger]) {
      expect(decideRevokeWaiver(ctx(person, { checkpoint: waived }), { reason: "x", waiver: inForce })).toEqual({
        ok: false,
        kind: "forbidden",
        code: "lead_only",
        reason: "Only a program lead can revoke a waiver.",
      });
    }
  });
  it("needs a waiver in force and a reason", () => {
    expect(decideRevokeWaiver(ctx(lead, { checkpoint: submitted }), { reason: "x", waiver: null })).toMatchObject({
      kind: "rule",
      reason: expect.stringMatching(/no waiver in force/),
    });
    expect(decideRevokeWaiver(ctx(lead, { checkpoint: waived }), { reason: "x", waiver: null })).toMatchObject({
      kind: "rule",
      reason: expect.stringMatching(/no waiver in force/),
    });
    expect(decideRevokeWaiver(ctx(lead, { checkpoint: waived }), { reason: "  ", waiver: inForce })).toMatchObject({
      kind: "rule",
      reason: "Give the reason for revoking the waiver.",
    });
  });
});

// Property: whatever sequence of actions anyone attempts, the rules' invariants hold.
describe("no sequence of actions reaches a state the rules forbid", () => {
  const people: Person[] = [
    lead,
    exec,
    owner,
    senior,
    senior2,
    mid,
    stranger,
    { id: "junior", role: "ENGINEER", seniority: "JUNIOR" },
  ];
  const action = fc.oneof(
    fc.record({ type: fc.constant("add" as const), who: fc.nat(people.length - 1) }),
    fc.record({ type: fc.constant("withdraw" as const), who: fc.nat(people.length - 1), pick: fc.nat(10) }),
    fc.record({ type: fc.constant("submit" as const), who: fc.nat(people.length - 1) }),
    fc.record({ type: fc.constant("review" as const), who: fc.nat(people.length - 1), approve: fc.boolean() }),
    fc.record({ type: fc.constant("waive" as const), who: fc.nat(people.length - 1) }),
    fc.record({ type: fc.constant("endWaiver" as const) }),
    fc.record({ type: fc.constant("revokeWaiver" as const), who: fc.nat(people.length - 1) }),
  );
  const scenario = fc.record({
    tier: fc.constantFrom("TIER_0" as const, "TIER_1" as const, "TIER_2" as const),
    aiAssisted: fc.boolean(),
    requiredApprovals: fc.integer({ min: 1, max: 3 }),
    minReviewerSeniority: fc.constantFrom(...SENIORITY_ORDER),
    reviewers: fc.subarray(["senior", "senior2", "mid", "junior", "owner", "lead"]),
    actions: fc.array(action, { maxLength: 40 }),
  });

  it("holds for every generated history", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const sys: SystemFacts = {
          tier: s.tier,
          aiAssisted: s.aiAssisted,
          ownerIds: ["owner"],
          reviewerIds: s.reviewers,
        };
        const ms = { requiredApprovals: s.requiredApprovals, minReviewerSeniority: s.minReviewerSeniority };
        let cp: CheckpointFacts = { status: "NOT_STARTED", round: 0, evidence: [], reviews: [] };
        let prior: CheckpointStatus | null = null;
        let n = 0;
        for (const a of s.actions) {
          const actor = "who" in a ? people[a.who]! : lead;
          const c: WorkflowContext = { actor, system: sys, milestone: ms, checkpoint: cp };
          if (a.type === "add") {
            const d = decideAddEvidence(c);
            if (d.ok)
              cp = {
                ...cp,
                status: d.status,
                round: d.round,
                evidence: [...cp.evidence, { id: `e${++n}`, submittedById: actor.id, withdrawn: false }],
              };
          } else if (a.type === "withdraw") {
            const target = cp.evidence[a.pick % Math.max(1, cp.evidence.length)];
            const d = target ? decideWithdrawEvidence(c, target.id) : null;
            if (d?.ok)
              cp = {
                ...cp,
                status: d.status,
                evidence: cp.evidence.map((e) => (e.id === target!.id ? { ...e, withdrawn: true } : e)),
              };
          } else if (a.type === "submit") {
            const d = decideSubmit(c);
            if (d.ok) cp = { ...cp, status: d.status, round: d.round };
          } else if (a.type === "review") {
            const d = decideReview(c, a.approve ? "APPROVE" : "REQUEST_CHANGES", a.approve ? "" : "please fix");
            if (d.ok)
              cp = {
                ...cp,
                status: d.status,
                reviews: [
                  ...cp.reviews,
                  { reviewerId: actor.id, round: cp.round, decision: a.approve ? "APPROVE" : "REQUEST_CHANGES" },
                ],
              };
            if (d.ok) {
              // Every counted review came from an assigned, non-owner, non-author, senior-enough person.
              expect(sys.reviewerIds).toContain(actor.id);
              expect(sys.ownerIds).not.toContain(actor.id);
              expect(currentEvidence(cp).some((e) => e.submittedById === actor.id)).toBe(false);
              expect(SENIORITY_ORDER.indexOf(actor.seniority)).toBeGreaterThanOrEqual(
                SENIORITY_ORDER.indexOf(seniorityNeeded(sys, ms)),
              );
            }
          } else if (a.type === "waive") {
            const before = cp.status;
            const d = decideWaive(c, {
              reason: "r",
              expiresOn: new Date("2027-01-01"),
              today: new Date("2026-11-27"),
              programEndsOn: new Date("2027-01-16"),
            });
            if (d.ok) {
              expect(actor.role).toBe("LEAD");
              prior = before;
              cp = { ...cp, status: d.status };
            }
          } else if (a.type === "revokeWaiver") {
            const d = decideRevokeWaiver(c, { reason: "r", waiver: prior ? { priorStatus: prior } : null });
            if (d.ok) {
              expect(actor.role).toBe("LEAD");
              expect(d.status).toBe(prior);
              cp = { ...cp, status: d.status, round: d.round };
              prior = null;
            }
          } else if (a.type === "endWaiver" && cp.status === "WAIVED" && prior) {
            cp = { ...cp, status: decideWaiverEnd(prior, cp.round).status };
            prior = null;
          }

          // Invariants of docs/RULES.md, section 3.
          if (cp.status === "NOT_STARTED") expect(cp.evidence).toHaveLength(0);
          if (cp.status === "SUBMITTED" || cp.status === "APPROVED")
            expect(currentEvidence(cp).length).toBeGreaterThan(0);
          if (cp.status === "APPROVED")
            expect(approversInRound(cp).size).toBeGreaterThanOrEqual(approvalsNeeded(sys, ms));
          if (cp.status === "SUBMITTED") expect(approversInRound(cp).size).toBeLessThan(approvalsNeeded(sys, ms));
          if (cp.status === "CHANGES_REQUESTED")
            expect(cp.reviews.some((r) => r.round === cp.round && r.decision === "REQUEST_CHANGES")).toBe(true);
          const perRound = new Set(cp.reviews.map((r) => `${r.round}:${r.reviewerId}`));
          expect(perRound.size).toBe(cp.reviews.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
