import { describe, expect, it } from "vitest";
import { problemFromError } from "@/lib/api/problem";
import { Conflict, Forbidden, NotFound, RuleViolation, ValidationError } from "@/lib/errors";
import { decideReview, type WorkflowContext } from "@/lib/domain/checkpoint-workflow";

async function body(response: Response) {
  return { status: response.status, ...(await response.json()) } as Record<string, unknown>;
}

describe("problemFromError: a refusal's code reaches the problem body", () => {
  it("keeps the status's type URI and adds the rule's code", async () => {
    const problem = await body(problemFromError(new RuleViolation("needs a senior", "seniority_too_low")));
    expect(problem).toMatchObject({
      status: 422,
      type: "https://resetboard.dev/problems/rule-violation",
      code: "seniority_too_low",
      detail: "needs a senior",
    });
  });

  it("gives each kind of refusal its default code when none is more precise", async () => {
    expect((await body(problemFromError(new RuleViolation("no")))).code).toBe("rule_violation");
    expect((await body(problemFromError(new Forbidden("no")))).code).toBe("forbidden");
    expect((await body(problemFromError(new NotFound("no")))).code).toBe("not_found");
    expect((await body(problemFromError(new Conflict("no")))).code).toBe("conflict");
    const invalid = await body(problemFromError(new ValidationError("bad", { name: ["Required"] })));
    expect(invalid).toMatchObject({ status: 400, code: "invalid_request", errors: { name: ["Required"] } });
  });

  it("carries a stale version as its own code on a 409", async () => {
    const problem = await body(
      problemFromError(new Conflict("changed since you loaded it", undefined, "stale_version")),
    );
    expect(problem).toMatchObject({
      status: 409,
      type: "https://resetboard.dev/problems/conflict",
      code: "stale_version",
    });
  });

  it("gives an unexpected error no code and no detail of ours", async () => {
    const problem = await body(problemFromError(new Error("boom")));
    expect(problem.status).toBe(500);
    expect(problem.code).toBeUndefined();
  });

  it("carries a decide function's code, not a code guessed from its text", async () => {
    const ctx: WorkflowContext = {
      actor: { id: "o", role: "ENGINEER", seniority: "PRINCIPAL" },
      system: { tier: "TIER_1", aiAssisted: false, ownerIds: ["o"], reviewerIds: ["o"] },
      milestone: { requiredApprovals: 1, minReviewerSeniority: "MID" },
      checkpoint: { status: "SUBMITTED", round: 1, evidence: [], reviews: [] },
    };
    const outcome = decideReview(ctx, "APPROVE", "");
    expect(outcome).toMatchObject({ ok: false, code: "separation_of_duties" });
    if (outcome.ok) throw new Error("expected a refusal");
    const problem = await body(problemFromError(new RuleViolation(outcome.reason, outcome.code)));
    expect(problem.code).toBe("separation_of_duties");
  });
});
