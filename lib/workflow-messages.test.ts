import { describe, expect, it } from "vitest";
import {
  evidenceWithdrawnMessage,
  reviewedMessage,
  reviewersWhoCanSign,
  submittedMessage,
  type CheckpointAfter,
  type SystemPeople,
} from "./workflow-messages";

const rosa = { email: "rosa@x", name: "Rosa Martinez", seniority: "SENIOR" as const };
const ian = { email: "ian@x", name: "Ian Cho", seniority: "PRINCIPAL" as const };
const mo = { email: "mo@x", name: "Mo Mid", seniority: "MID" as const };
const owner = { email: "olga@x", name: "Olga Owner", seniority: "SENIOR" as const };
const people: SystemPeople = { owners: [owner], reviewers: [rosa, ian, mo] };

const checkpoint = (over: Partial<CheckpointAfter> = {}): CheckpointAfter => ({
  name: "Senior engineering sign-off",
  status: "SUBMITTED",
  round: 1,
  requiredApprovals: 2,
  minReviewerSeniority: "SENIOR",
  evidence: [{ submittedBy: { email: owner.email }, withdrawn: false }],
  reviews: [],
  waiver: null,
  ...over,
});

describe("workflow messages", () => {
  it("names the reviewers who can still sign, in people's words", () => {
    expect(submittedMessage(checkpoint(), people)).toBe(
      "Submitted “Senior engineering sign-off” — waiting on 2 approvals from senior-or-above reviewers: Rosa Martinez, Ian Cho.",
    );
  });

  it("leaves out evidence authors and reviewers who already approved this round", () => {
    const cp = checkpoint({
      evidence: [{ submittedBy: { email: rosa.email }, withdrawn: false }],
      reviews: [{ reviewer: { email: ian.email }, decision: "APPROVE", round: 1, stale: false }],
    });
    expect(reviewersWhoCanSign(cp, people)).toEqual([]);
    expect(reviewedMessage(cp, people)).toContain(
      "waiting on 1 approval, but no assigned reviewer can sign it off yet",
    );
  });

  it("says when the quorum cannot be reached by the reviewers assigned", () => {
    expect(submittedMessage(checkpoint(), { owners: [owner], reviewers: [rosa, mo] })).toContain(
      "Only 1 of them can sign it",
    );
  });

  it("never shows a code word", () => {
    const text = [
      submittedMessage(checkpoint({ minReviewerSeniority: "MID" }), people),
      evidenceWithdrawnMessage("APPROVED", checkpoint({ status: "IN_PROGRESS" })),
    ].join(" ");
    expect(text).not.toMatch(/\b[A-Z]{2,}(_[A-Z]+)*\b/);
    expect(text).toContain("it is now in progress and its approvals are stale");
  });
});
