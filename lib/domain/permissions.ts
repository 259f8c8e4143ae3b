// Who may do what (docs/RULES.md, section 1), in one place: a pure table of role → actions, so
// lib/data (which enforces it) and lib/auth (which reads the session) both depend on lib/domain
// and not on each other. In one place: every page, server action, route handler
// and lib/data command asks `can`. Deny by default: an action not listed here is refused.
// The checkpoint workflow's per-system decisions (evidence, submit, sign-off, waiver) depend on
// assignments and state, and live with the rest of its rules in lib/domain/checkpoint-workflow.ts.
import type { Role, Seniority } from "@/lib/generated/prisma/enums";

export interface Principal {
  id: string;
  role: Role;
  seniority: Seniority;
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
  | "token.list_all"
  | "token.revoke_any"
  // oneself: one's own API tokens (tokens.ts checks that the token is the actor's own)
  | "token.create"
  | "token.revoke";

type Rule = (principal: Principal) => boolean;

const anyone: Rule = () => true;
const lead: Rule = (p) => p.role === "LEAD";
const leadOrExecutive: Rule = (p) => p.role === "LEAD" || p.role === "EXECUTIVE";

const RULES: Record<Action, Rule> = {
  "program.read": anyone,
  "system.read": anyone,
  "report.read": anyone,
  "audit.read": leadOrExecutive,
  "program.manage": lead,
  "system.manage": lead,
  "assignment.manage": lead,
  "user.manage": lead,
  "token.list_all": lead,
  "token.revoke_any": lead,
  // Executives are read-only, but a read-only API token is still theirs to create and revoke.
  "token.create": anyone,
  "token.revoke": anyone,
};

export function can(principal: Principal | null | undefined, action: Action): boolean {
  if (!principal) return false;
  const rule = Object.hasOwn(RULES, action) ? RULES[action] : undefined;
  return rule ? rule(principal) : false;
}

// The people-facing words live in one table (lib/labels.ts); re-exported for existing imports.
export { ROLE_LABEL, SENIORITY_LABEL } from "@/lib/labels";
