import { describe, expect, it } from "vitest";
import { summarizeAuditEvent } from "@/lib/audit/summary";

describe("summarizeAuditEvent", () => {
  it("says what happened to a checkpoint, with its milestone and the status it moved to", () => {
    expect(
      summarizeAuditEvent({
        action: "review.approve",
        data: {
          milestone: "rollback",
          approvals: 2,
          required: 2,
          seniority: "SENIOR",
          from: "SUBMITTED",
          to: "APPROVED",
        },
      }),
    ).toBe("rollback: Approved (2 of 2) · as senior · Submitted → Approved");
    expect(
      summarizeAuditEvent({
        action: "evidence.add",
        data: {
          milestone: "inventory",
          kind: "ROLLBACK_TEST",
          title: "Drill  on\nstaging",
          from: "IN_PROGRESS",
          to: "IN_PROGRESS",
        },
      }),
    ).toBe("inventory: Added rollback test “Drill on staging”");
    expect(
      summarizeAuditEvent({
        action: "checkpoint.submit",
        data: { round: 2, evidence: 1, from: "IN_PROGRESS", to: "SUBMITTED" },
      }),
    ).toBe("Submitted round 2 with 1 evidence link · In progress → Submitted");
  });

  it("reads sign-ins and refusals", () => {
    expect(summarizeAuditEvent({ action: "auth.sign_in", data: { method: "password", ip: "10.0.0.1" } })).toBe(
      "Signed in with password · from 10.0.0.1",
    );
    expect(summarizeAuditEvent({ action: "authz.denied", data: { attempted: "user.manage", role: "ENGINEER" } })).toBe(
      "Refused user.manage · as engineer",
    );
  });

  it("clips long text and falls back to the simple fields of an unknown action", () => {
    const long = "x".repeat(200);
    expect(summarizeAuditEvent({ action: "review.request_changes", data: { comment: long } })).toHaveLength(
      "Requested changes “”".length + 80,
    );
    expect(summarizeAuditEvent({ action: "future.thing", data: { b: 2, a: "one", nested: { c: 1 } } })).toBe(
      "a: one, b: 2",
    );
  });

  it("copes with data that is not an object, or lacks the expected fields", () => {
    expect(summarizeAuditEvent({ action: "review.approve", data: null })).toBe("Approved");
    expect(summarizeAuditEvent({ action: "something.else", data: [1, 2] })).toBe("");
    expect(summarizeAuditEvent({ action: "toString", data: {} })).toBe("");
  });
});

describe("program settings events", () => {
  it("say what changed, before and after, and how many due dates moved", () => {
    expect(
      summarizeAuditEvent({
        action: "milestone.update",
        data: {
          milestone: "rollback",
          version: 3,
          changes: { dueDay: { from: 60, to: 64 }, name: { from: "Rollback", to: "Rollback tested" } },
        },
      }),
    ).toBe("rollback: Changed dueDay 60 → 64, name “Rollback” → “Rollback tested”");
    expect(
      summarizeAuditEvent({
        action: "program.update",
        data: { changes: { startsOn: { from: "2026-10-18", to: "2026-10-20" } } },
      }),
    ).toBe("Changed the program: startsOn “2026-10-18” → “2026-10-20”");
    expect(
      summarizeAuditEvent({
        action: "checkpoint.reschedule",
        data: { checkpointsMoved: 334, overridesKept: 1, milestones: ["rollback"] },
      }),
    ).toBe("Moved 334 checkpoint due dates · of rollback · 1 overridden kept");
    expect(
      summarizeAuditEvent({
        action: "waiver.revoke",
        data: { milestone: "rollback", reason: "Back in scope", from: "WAIVED", to: "SUBMITTED" },
      }),
    ).toBe("rollback: Revoked the waiver “Back in scope” · Waived → Submitted");
  });
});
