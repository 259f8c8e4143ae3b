import { describe, expect, it } from "vitest";
import { can, type Action, type Principal } from "./permissions";

const lead: Principal = { id: "lead", role: "LEAD", seniority: "PRINCIPAL" };
const exec: Principal = { id: "exec", role: "EXECUTIVE", seniority: "SENIOR" };
const owner: Principal = { id: "owner", role: "ENGINEER", seniority: "MID" };
const stranger: Principal = { id: "stranger", role: "ENGINEER", seniority: "PRINCIPAL" };

const WRITES: Action[] = [
  "program.manage",
  "system.manage",
  "assignment.manage",
  "user.manage",
  "token.list_all",
  "token.revoke_any",
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
    for (const action of WRITES) expect(can(exec, action)).toBe(false);
  });

  it("keeps the audit log from engineers", () => {
    expect(can(owner, "audit.read")).toBe(false);
  });

  it("keeps administration for leads", () => {
    for (const action of [
      "user.manage",
      "system.manage",
      "assignment.manage",
      "program.manage",
      "token.list_all",
      "token.revoke_any",
    ] as Action[]) {
      expect(can(lead, action)).toBe(true);
      expect(can(stranger, action)).toBe(false);
    }
  });

  it("lets every role create and revoke its own API tokens", () => {
    for (const who of [lead, exec, owner]) {
      expect(can(who, "token.create")).toBe(true);
      expect(can(who, "token.revoke")).toBe(true);
    }
  });
});
