// What the audit step makes of npm audit's report: only a real high or critical advisory fails.
import { describe, expect, it } from "vitest";
import { interpretAudit } from "./dependency-audit";

describe("interpretAudit", () => {
  it("fails on a high vulnerability in a shipped dependency, naming it", () => {
    const report = {
      metadata: { vulnerabilities: { info: 0, low: 1, moderate: 0, high: 1, critical: 0, total: 2 } },
      vulnerabilities: {
        "left-pad": { severity: "high", via: [], fixAvailable: true },
        tiny: { severity: "low", via: [], fixAvailable: false },
      },
    };
    const outcome = interpretAudit(JSON.stringify(report));
    expect(outcome.kind).toBe("vulnerable");
    expect(outcome.lines).toEqual(["HIGH left-pad (a fix is available: npm audit fix)"]);
  });

  it("passes when only lower severities are known", () => {
    const report = {
      metadata: { vulnerabilities: { info: 0, low: 2, moderate: 1, high: 0, critical: 0, total: 3 } },
      vulnerabilities: { a: { severity: "moderate", via: [], fixAvailable: false } },
    };
    expect(interpretAudit(JSON.stringify(report)).kind).toBe("clean");
  });

  it("says the endpoint was unreachable instead of failing, when npm audit printed an error", () => {
    const outcome = interpretAudit(
      JSON.stringify({
        message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
        statusCode: 405,
        error: { summary: "" },
      }),
    );
    expect(outcome.kind).toBe("unreachable");
    expect(outcome.lines[0]).toContain("405");
    expect(interpretAudit("").kind).toBe("unreachable");
  });
});
