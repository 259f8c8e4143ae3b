// The dependency-hygiene step of `npm test`: `npm audit` over what ships (no dev dependencies).
// It fails on a known high or critical vulnerability; an audit endpoint that cannot be reached
// (offline, or a registry mirror without the advisories API) is reported plainly and does not
// fail the run, because it says nothing about our dependencies.
import { spawnSync } from "node:child_process";

interface AuditReport {
  error?: { summary?: string; detail?: string };
  message?: string;
  statusCode?: number;
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<string, { severity: string; via: unknown[]; fixAvailable: unknown }>;
}

export type AuditOutcome = { kind: "clean" | "unreachable" | "vulnerable"; lines: string[] };

export function interpretAudit(stdout: string): AuditOutcome {
  let report: AuditReport;
  try {
    report = JSON.parse(stdout) as AuditReport;
  } catch {
    return { kind: "unreachable", lines: ["npm audit printed no report (is the registry reachable?)."] };
  }
  if (!report.metadata) {
    const why = [report.statusCode, report.message ?? report.error?.summary].filter(Boolean).join(" ");
    return {
      kind: "unreachable",
      lines: [
        `The registry's audit endpoint did not answer with a report (${why || "no detail"}): no advisories could be checked.`,
      ],
    };
  }
  const counts = report.metadata.vulnerabilities ?? {};
  const serious = Object.entries(report.vulnerabilities ?? {}).filter(
    ([, v]) => v.severity === "high" || v.severity === "critical",
  );
  if (serious.length === 0) {
    const total = Object.values(counts).reduce((a, b) => a + (typeof b === "number" ? b : 0), 0) - (counts.total ?? 0);
    return {
      kind: "clean",
      lines: [`No high or critical vulnerability in shipped dependencies (${Math.max(0, total)} of lower severity).`],
    };
  }
  return {
    kind: "vulnerable",
    lines: serious.map(
      ([name, v]) =>
        `${v.severity.toUpperCase()} ${name}${v.fixAvailable ? " (a fix is available: npm audit fix)" : ""}`,
    ),
  };
}

export function dependencyAudit(log: (line: string) => void): boolean {
  const result = spawnSync("npm", ["audit", "--omit=dev", "--audit-level=high", "--json"], {
    encoding: "utf8",
    timeout: 120_000,
  });
  const outcome = result.error
    ? { kind: "unreachable" as const, lines: [`npm audit did not run: ${result.error.message}`] }
    : interpretAudit(result.stdout);
  for (const line of outcome.lines) log(line);
  if (outcome.kind === "unreachable")
    log(
      "Dependency audit SKIPPED: the advisory database was unreachable. Run `npm audit --omit=dev` where the registry is reachable.",
    );
  return outcome.kind !== "vulnerable";
}
