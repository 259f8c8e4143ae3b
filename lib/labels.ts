// People-facing words for every enum the interface shows: one table, so that a code word such
// as "SENIOR" or "ROLLBACK_TEST" never reaches a page or a message. Pure, so lib/domain may use it.
import type { Decision, Role, Seniority, Tier } from "@/lib/domain/checkpoint-workflow";
import type { CheckpointStatus, Health } from "@/lib/domain/schedule";

export const STATUS_LABEL: Record<CheckpointStatus, string> = {
  NOT_STARTED: "Not started",
  IN_PROGRESS: "In progress",
  SUBMITTED: "Submitted",
  CHANGES_REQUESTED: "Changes requested",
  APPROVED: "Approved",
  WAIVED: "Waived",
};

export const HEALTH_LABEL: Record<Health, string> = {
  OVERDUE: "Overdue",
  AT_RISK: "At risk",
  ON_TRACK: "On track",
  DONE: "Done",
};

export const SENIORITY_LABEL: Record<Seniority, string> = {
  JUNIOR: "Junior",
  MID: "Mid-level",
  SENIOR: "Senior",
  PRINCIPAL: "Principal",
};

export const ROLE_LABEL: Record<Role, string> = { LEAD: "Program lead", ENGINEER: "Engineer", EXECUTIVE: "Executive" };

export const TIER_LABEL: Record<Tier, string> = { TIER_0: "Tier 0", TIER_1: "Tier 1", TIER_2: "Tier 2" };

export const DECISION_LABEL: Record<Decision, string> = { APPROVE: "Approved", REQUEST_CHANGES: "Changes requested" };

export const EVIDENCE_KIND_LABEL = {
  DOC: "Document",
  RUNBOOK: "Runbook",
  ROLLBACK_TEST: "Rollback test",
  PULL_REQUEST: "Pull request",
  DASHBOARD: "Dashboard",
  TICKET: "Ticket",
  OTHER: "Other",
} as const satisfies Record<string, string>;

export const ASSIGNMENT_KIND_LABEL = { OWNER: "Owner", REVIEWER: "Reviewer" } as const;

/** A label for a value that may come from an untyped DTO field; unknown values read as themselves, de-shouted. */
export function labelOf(table: Record<string, string>, value: string): string {
  return table[value] ?? value.replace(/_/g, " ").toLowerCase();
}

/** "senior" in running text ("needs a senior reviewer"). */
export function seniorityWord(seniority: string): string {
  return labelOf(SENIORITY_LABEL, seniority).toLowerCase();
}
