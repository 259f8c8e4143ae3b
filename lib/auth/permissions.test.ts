import { describe, expect, it } from "vitest";
import { can, type Action, type Principal } from "./permissions";

const lead: Principal = { id: "lead", role: "LEAD", seniority: "PRINCIPAL" };
const exec: Principal = { id: "exec", role: "EXECUTIVE", seniority: "SENIOR" };
const owner: Principal = { id: "owner", role: "ENGINEER", seniority: "MID" };
const reviewer: Principal = { id: "reviewer", role: "ENGINEER", seniority: "SENIOR" };
const stranger: Principal = { id: "stranger", role: "ENGINEER", seniority: "PRINCIPAL" };
const system = { ownerIds: ["owner"], reviewerIds: ["reviewer"] };

const WRITES: Action[] = [
  "program.manage",
  "system.manage",
  "assignment.manage",
  "user.manage",
  "waiver.grant",
  "token.revoke_any",
  "evidence.add",
  "checkpoint.submit",
  "checkpoint.review",
];

describe("can", () => {
  it("denies everything to nobody", () => {
    expect(can(null, "program.read")).toBe(false);
  });

  it("denies an action it does not know", () => {
    expect(can(lead, "system.delete" as Action)).toBe(false);
    expect(can(lead, "toString" as Action)).toBe(false);
  });

  it("lets executives read but change nothing", () => {
    for (const action of ["program.read", "system.read", "report.read", "audit.read"] as Action[]) {
      expect(can(exec, action)).toBe(true);
    }
    for (const action of WRITES) expect(can(exec, action, { ownerIds: ["exec"], reviewerIds: ["exec"] })).toBe(false);
  });

  it("keeps the audit log from engineers", () => {
    expect(can(owner, "audit.read")).toBe(false);
  });

  it("lets owners and leads add evidence and submit, and no one else", () => {
    for (const action of ["evidence.add", "checkpoint.submit"] as Action[]) {
      expect(can(owner, action, system)).toBe(true);
      expect(can(lead, action, system)).toBe(true);
      expect(can(reviewer, action, system)).toBe(false);
      expect(can(stranger, action, system)).toBe(false);
      expect(can(owner, action)).toBe(false);
    }
  });

  it("lets only assigned reviewers review; a lead does not bypass it", () => {
    expect(can(reviewer, "checkpoint.review", system)).toBe(true);
    expect(can(owner, "checkpoint.review", system)).toBe(false);
    expect(can(stranger, "checkpoint.review", system)).toBe(false);
    expect(can(lead, "checkpoint.review", system)).toBe(false);
    expect(can(lead, "checkpoint.review", { ownerIds: [], reviewerIds: ["lead"] })).toBe(true);
  });

  it("keeps administration for leads", () => {
    for (const action of ["user.manage", "system.manage", "assignment.manage", "waiver.grant", "program.manage", "token.revoke_any"] as Action[]) {
      expect(can(lead, action)).toBe(true);
      expect(can(stranger, action)).toBe(false);
    }
  });
});
