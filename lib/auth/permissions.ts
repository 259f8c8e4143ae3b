// Who may do what (DESIGN.md section 1), in one place: every page, server action, route handler
// and lib/data command asks `can`. Deny by default: an action not listed here is refused.
import type { Role, Seniority } from "@/lib/generated/prisma/enums";

export interface Principal {
  id: string;
  role: Role;
  seniority: Seniority;
}

/** A system's assignments, for the actions that depend on them. */
export interface SystemSubject {
  ownerIds: readonly string[];
  reviewerIds: readonly string[];
}

export type Action =
  // reading: every signed-in role
  | "program.read"
  | "system.read"
  | "report.read"
  // reading: leads and executives
  | "audit.read"
  // leads only
  | "program.manage"
  | "system.manage"
  | "assignment.manage"
  | "user.manage"
  | "waiver.grant"
  | "token.revoke_any"
  // per system
  | "evidence.add"
  | "checkpoint.submit"
  | "checkpoint.review"
  // oneself
  | "token.manage_own";

type Rule = (principal: Principal, subject?: SystemSubject) => boolean;

const anyone: Rule = () => true;
const lead: Rule = (p) => p.role === "LEAD";
const leadOrExecutive: Rule = (p) => p.role === "LEAD" || p.role === "EXECUTIVE";
const ownerOrLead: Rule = (p, s) => p.role === "LEAD" || (p.role === "ENGINEER" && Boolean(s?.ownerIds.includes(p.id)));
// Reviewing is for assigned reviewers only: leads do not bypass separation of duties (rule 4).
const assignedReviewer: Rule = (p, s) => p.role !== "EXECUTIVE" && Boolean(s?.reviewerIds.includes(p.id));

const RULES: Record<Action, Rule> = {
  "program.read": anyone,
  "system.read": anyone,
  "report.read": anyone,
  "audit.read": leadOrExecutive,
  "program.manage": lead,
  "system.manage": lead,
  "assignment.manage": lead,
  "user.manage": lead,
  "waiver.grant": lead,
  "token.revoke_any": lead,
  "evidence.add": ownerOrLead,
  "checkpoint.submit": ownerOrLead,
  "checkpoint.review": assignedReviewer,
  // Executives are read-only, but a read-only API token is still theirs to create and revoke.
  "token.manage_own": anyone,
};

export function can(principal: Principal | null | undefined, action: Action, subject?: SystemSubject): boolean {
  if (!principal) return false;
  const rule = Object.hasOwn(RULES, action) ? RULES[action] : undefined;
  return rule ? rule(principal, subject) : false;
}

export const ROLE_LABEL: Record<Role, string> = { LEAD: "Program lead", ENGINEER: "Engineer", EXECUTIVE: "Executive" };
export const SENIORITY_LABEL: Record<Seniority, string> = { JUNIOR: "Junior", MID: "Mid", SENIOR: "Senior", PRINCIPAL: "Principal" };

