import { describe, expect, it } from "vitest";
import {
  changeReviewEligibility,
  decideChange,
  decideChangeReview,
  linksChanged,
  renewalOf,
  seniorApprovalsNeeded,
  type ChangeFacts,
  type ChangeReviewFacts,
  type ChangeSystemFacts,
} from "./change-gate";

const now = new Date("2026-12-01T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

const midAuthor = { id: "author", name: "Mia Mid", seniority: "MID" as const };
const base: ChangeFacts = {
  author: midAuthor,
  coAuthorIds: [],
  aiAssisted: false,
  rollbackPlanUrl: "https://wiki.example.com/rollback",
  revision: 1,
  shippedAt: null,
  reviews: [],
};
const tier1Done: ChangeSystemFacts = { tier: "TIER_1", rollbackStatus: "APPROVED" };

const approve = (
  reviewerId: string,
  seniority: ChangeReviewFacts["seniority"],
  over: Partial<ChangeReviewFacts> = {},
): ChangeReviewFacts => ({
  reviewerId,
  reviewerName: reviewerId,
  seniority,
  decision: "APPROVE",
  comment: "",
  revision: 1,
  at: hoursAgo(1),
  ...over,
});

const gate = (change: Partial<ChangeFacts>, system: ChangeSystemFacts = tier1Done, ttl?: number) =>
  decideChange({ ...base, ...change }, system, { now, approvalTtlDays: ttl });

describe("rule 16.1: someone other than the author approves", () => {
  it("blocks a change nobody has approved and allows one a peer approved", () => {
    const blocked = gate({});
    expect(blocked.allowed).toBe(false);
    expect(blocked.missing).toEqual([{ requirement: "peer-approval", needed: 1, have: 0 }]);
    expect(blocked.reasons).toEqual(["It needs an approval from someone other than its author and co-authors."]);
    const allowed = gate({ reviews: [approve("peer", "MID")] });
    expect(allowed).toMatchObject({ allowed: true, missing: [] });
    expect(allowed.approvals.map((a) => a.reviewerId)).toEqual(["peer"]);
  });

  it("never counts the author's or a co-author's approval, even if one got recorded", () => {
    const d = gate({ coAuthorIds: ["pair"], reviews: [approve("author", "PRINCIPAL"), approve("pair", "PRINCIPAL")] });
    expect(d.allowed).toBe(false);
    expect(d.approvals).toEqual([]);
  });
});

describe("rule 16.2: AI-assisted work of a junior or mid author needs a senior", () => {
  it("keeps a MID's AI-assisted change on Tier 1 blocked with a MID approval, naming the missing senior sign-off", () => {
    const d = gate({ aiAssisted: true, reviews: [approve("peer", "MID")] });
    expect(d.allowed).toBe(false);
    expect(d.missing).toEqual([{ requirement: "senior-approval", needed: 1, have: 0 }]);
    expect(d.reasons[0]).toBe(
      "It is AI-assisted and its author is mid-level, so it needs an approval from a senior or principal reviewer.",
    );
    expect(gate({ aiAssisted: true, reviews: [approve("peer", "MID"), approve("senior", "SENIOR")] }).allowed).toBe(
      true,
    );
  });

  it("needs two senior approvals on Tier 0, and none when the author is senior or the change is not AI-assisted", () => {
    const tier0 = { tier: "TIER_0" as const, rollbackStatus: "WAIVED" };
    const one = gate(
      { aiAssisted: true, author: { ...midAuthor, seniority: "JUNIOR" }, reviews: [approve("s1", "SENIOR")] },
      tier0,
    );
    expect(one.missing).toEqual([{ requirement: "senior-approval", needed: 2, have: 1 }]);
    expect(one.reasons[0]).toContain("two approvals from a senior or principal reviewer on a Tier 0 system (1 so far)");
    expect(
      gate({ aiAssisted: true, reviews: [approve("s1", "SENIOR"), approve("s2", "PRINCIPAL")] }, tier0).allowed,
    ).toBe(true);
    expect(seniorApprovalsNeeded({ aiAssisted: true, author: { ...midAuthor, seniority: "SENIOR" } }, tier0)).toBe(0);
    expect(seniorApprovalsNeeded({ aiAssisted: false, author: midAuthor }, tier0)).toBe(0);
  });
});

describe("rule 16.3: a way back", () => {
  it("blocks without a rollback plan link", () => {
    const d = gate({ rollbackPlanUrl: null, reviews: [approve("peer", "SENIOR")] });
    expect(d.missing.map((m) => m.requirement)).toEqual(["rollback-plan"]);
  });

  it("needs a PRINCIPAL while the system's rollback milestone is not approved or waived", () => {
    const untested = { tier: "TIER_1" as const, rollbackStatus: "IN_PROGRESS" };
    const d = gate({ reviews: [approve("senior", "SENIOR")] }, untested);
    expect(d.allowed).toBe(false);
    expect(d.reasons).toEqual([
      "This system's rollback milestone is not approved or waived yet, so it needs a principal engineer's approval.",
    ]);
    expect(gate({ reviews: [approve("p", "PRINCIPAL")] }, untested).allowed).toBe(true);
    expect(gate({ reviews: [approve("senior", "SENIOR")] }, { tier: "TIER_1", rollbackStatus: "WAIVED" }).allowed).toBe(
      true,
    );
    expect(
      gate({ reviews: [approve("senior", "SENIOR")] }, { tier: "TIER_1", rollbackStatus: null }).missing[0]
        ?.requirement,
    ).toBe("principal-approval");
  });
});

describe("rule 16.4: a link edit makes earlier approvals stale", () => {
  it("stops counting approvals of an earlier revision and says why", () => {
    const d = gate({ revision: 2, reviews: [approve("peer", "SENIOR", { revision: 1 })] });
    expect(d.allowed).toBe(false);
    expect(d.reasons).toContain(
      "Earlier approvals no longer count: the change's links were edited after they were given.",
    );
  });

  it("detects any edited link, and only an edited one", () => {
    const links = {
      url: "https://git.example.com/pr/1",
      rollbackPlanUrl: "https://wiki.example.com/rb",
      docsUrl: null,
    };
    expect(linksChanged(links, { ...links })).toBe(false);
    expect(linksChanged(links, { ...links, docsUrl: "https://docs.example.com" })).toBe(true);
    expect(linksChanged(links, { ...links, rollbackPlanUrl: "https://wiki.example.com/rb2" })).toBe(true);
  });

  it("a request for changes blocks the revision it was given on, not the next", () => {
    const asked: ChangeReviewFacts = {
      ...approve("senior", "SENIOR"),
      decision: "REQUEST_CHANGES",
      comment: "Rollback plan skips the migration",
    };
    const d = gate({ reviews: [approve("peer", "MID"), asked] });
    expect(d.allowed).toBe(false);
    expect(d.reasons[0]).toBe(
      "senior asked for changes: “Rollback plan skips the migration”. Update the change's links to start a new review.",
    );
    expect(gate({ revision: 2, reviews: [asked, approve("peer", "MID", { revision: 2 })] }).allowed).toBe(true);
  });
});

describe("rule 16.5: approvals expire unless the change shipped", () => {
  it("drops an approval older than the time-to-live, and keeps it for a change that shipped in time", () => {
    const old = approve("peer", "SENIOR", { at: hoursAgo(8 * 24) });
    const d = gate({ reviews: [old] });
    expect(d.allowed).toBe(false);
    expect(d.reasons).toContain("peer: approval expired after 7 days; ask them to approve again.");
    expect(gate({ reviews: [old], shippedAt: hoursAgo(7 * 24) }).allowed).toBe(true);
    expect(gate({ reviews: [old] }, tier1Done, 10).allowed).toBe(true);
  });
});

describe("who may review a change", () => {
  const ctx = (
    id: string,
    seniority: "JUNIOR" | "MID" | "SENIOR" | "PRINCIPAL",
    over: Partial<ChangeFacts> & { state?: "OPEN" | "SHIPPED" } = {},
  ) => ({
    reviewer: { id, role: "ENGINEER", seniority },
    change: { ...base, state: "OPEN" as const, ...over },
    reviewerIds: ["author", "peer", "junior", "pair"],
  });

  it("refuses the author and co-authors as a rule (separation of duties), before anything else", () => {
    expect(decideChangeReview(ctx("author", "PRINCIPAL"), "APPROVE", "", { now })).toEqual({
      ok: false,
      kind: "rule",
      code: "separation_of_duties",
      reason: "You wrote this change, so you cannot review it.",
    });
    expect(decideChangeReview(ctx("pair", "SENIOR", { coAuthorIds: ["pair"] }), "APPROVE", "", { now })).toMatchObject({
      kind: "rule",
      code: "separation_of_duties",
      reason: "You are a co-author of this change, so you cannot review it.",
    });
  });

  it("refuses people who are not the system's reviewers, juniors, and reviews after shipping", () => {
    expect(decideChangeReview(ctx("stranger", "PRINCIPAL"), "APPROVE", "", { now })).toMatchObject({
      kind: "forbidden",
    });
    expect(decideChangeReview(ctx("junior", "JUNIOR"), "APPROVE", "", { now })).toMatchObject({
      kind: "rule",
      reason: "Reviewing a production change needs a mid-level engineer or more senior.",
    });
    expect(decideChangeReview(ctx("peer", "MID", { state: "SHIPPED" }), "APPROVE", "", { now })).toMatchObject({
      kind: "rule",
    });
    expect(decideChangeReview(ctx("peer", "MID"), "REQUEST_CHANGES", " ", { now })).toMatchObject({ kind: "rule" });
  });

  it("lets a reviewer review once per revision, and renew an approval that expired", () => {
    const fresh = approve("peer", "MID");
    expect(decideChangeReview(ctx("peer", "MID", { reviews: [fresh] }), "APPROVE", "", { now })).toMatchObject({
      reason: "You have already reviewed this version of the change.",
    });
    const expired = approve("peer", "MID", { at: hoursAgo(9 * 24) });
    expect(decideChangeReview(ctx("peer", "MID", { reviews: [expired] }), "APPROVE", "", { now })).toEqual({
      ok: true,
    });
    expect(renewalOf({ reviews: [expired], revision: 1 }, "peer")).toBe(1);
    expect(decideChangeReview(ctx("peer", "MID", { revision: 2, reviews: [fresh] }), "APPROVE", "", { now })).toEqual({
      ok: true,
    });
    expect(renewalOf({ reviews: [fresh], revision: 2 }, "peer")).toBe(0);
  });
});

describe("whether a change waits on a reviewer (My work)", () => {
  const reviewerIds = ["author", "mid", "senior", "principal", "junior", "pair"];
  const asks = (
    id: string,
    seniority: "JUNIOR" | "MID" | "SENIOR" | "PRINCIPAL",
    change: Partial<ChangeFacts> = {},
    system: ChangeSystemFacts = tier1Done,
  ) =>
    changeReviewEligibility(
      { reviewer: { id, role: "ENGINEER", seniority }, change: { ...base, state: "OPEN", ...change }, reviewerIds },
      system,
      { now },
    );

  it("asks a peer to approve a plain change, never its author, co-author or a junior", () => {
    expect(asks("mid", "MID")).toEqual({ canAct: true });
    expect(asks("author", "PRINCIPAL")).toMatchObject({ canAct: false, reason: /You wrote this change/ });
    expect(asks("pair", "SENIOR", { coAuthorIds: ["pair"] })).toMatchObject({ canAct: false });
    expect(asks("junior", "JUNIOR")).toMatchObject({ canAct: false });
  });

  it("asks only seniors once a mid's AI-assisted change has its peer approval (rule 16.2)", () => {
    const ai = { aiAssisted: true, reviews: [approve("mid", "MID")] };
    expect(gate(ai).allowed).toBe(false);
    expect(asks("senior", "SENIOR", ai)).toEqual({ canAct: true });
    const other = { ...ai, reviews: [approve("other-mid", "MID")] };
    expect(asks("mid", "MID", other)).toMatchObject({ canAct: false, reason: /more senior/ });
  });

  it("asks only a principal while the system's rollback is not proven (rule 16.3)", () => {
    const open: ChangeSystemFacts = { tier: "TIER_1", rollbackStatus: "IN_PROGRESS" };
    const peerDone = { reviews: [approve("senior", "SENIOR")] };
    expect(asks("principal", "PRINCIPAL", peerDone, open)).toEqual({ canAct: true });
    expect(asks("mid", "MID", peerDone, open)).toMatchObject({ canAct: false });
  });

  it("does not ask anyone when the change is already allowed, or waits on its author", () => {
    expect(asks("senior", "SENIOR", { reviews: [approve("mid", "MID")] })).toMatchObject({
      canAct: false,
      reason: /already allowed/,
    });
    const sentBack = { reviews: [approve("mid", "MID", { decision: "REQUEST_CHANGES", comment: "Fix it." })] };
    expect(asks("senior", "SENIOR", sentBack)).toMatchObject({ canAct: false, reason: /waits on its author/ });
  });

  it("whenever it asks, the reviewer's approval is accepted and brings the change closer to allowed", () => {
    const seniorities = ["JUNIOR", "MID", "SENIOR", "PRINCIPAL"] as const;
    for (const aiAssisted of [false, true])
      for (const author of seniorities)
        for (const tier of ["TIER_0", "TIER_1"] as const)
          for (const rollbackStatus of ["APPROVED", "IN_PROGRESS"])
            for (const first of [[], [approve("mid", "MID")], [approve("senior", "SENIOR")]])
              for (const seniority of seniorities) {
                const change = { aiAssisted, author: { ...midAuthor, seniority: author }, reviews: first };
                const system = { tier, rollbackStatus };
                const id = seniority === "MID" ? "mid2" : seniority.toLowerCase();
                const verdict = changeReviewEligibility(
                  {
                    reviewer: { id, role: "ENGINEER", seniority },
                    change: { ...base, ...change, state: "OPEN" },
                    reviewerIds: [...reviewerIds, "mid2"],
                  },
                  system,
                  { now },
                );
                if (!verdict.canAct) continue;
                const ctx = {
                  reviewer: { id, role: "ENGINEER", seniority },
                  change: { ...base, ...change, state: "OPEN" as const },
                  reviewerIds: [...reviewerIds, "mid2"],
                };
                expect(decideChangeReview(ctx, "APPROVE", "", { now }).ok).toBe(true);
                const before = gate(change, system).missing.reduce((n, m) => n + m.needed - m.have, 0);
                const after = gate({ ...change, reviews: [...first, approve(id, seniority, { at: now })] }, system);
                expect(after.missing.reduce((n, m) => n + m.needed - m.have, 0)).toBeLessThan(before);
              }
  });
});
