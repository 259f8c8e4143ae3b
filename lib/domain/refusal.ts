// A refusal from a decide function: a stable `code` that pages and API clients switch on, and a
// `reason` in the user's words (docs/ARCHITECTURE.md, section 3). Text is for people and may be
// reworded; a code, once published in the problem body, is a contract and is never renamed.
export const REFUSAL_CODES = [
  // who you are
  "forbidden",
  "read_only",
  "not_assigned",
  "not_owner",
  "lead_only",
  // separation of duties and the sign-off policy
  "separation_of_duties",
  "evidence_author",
  "seniority_too_low",
  "already_reviewed",
  "comment_required",
  // the state the thing is in
  "wrong_status",
  "already_submitted",
  "already_approved",
  "already_waived",
  "waived",
  "no_evidence",
  "evidence_not_found",
  "already_withdrawn",
  "no_waiver_in_force",
  "reason_required",
  "waiver_expiry_past",
  "waiver_outlasts_program",
  "change_shipped",
  "account_disabled",
  // generic kinds, when nothing more precise applies
  "rule_violation",
  "invalid_request",
  "unauthenticated",
  "not_found",
  "conflict",
  "stale_version",
  "precondition_required",
  // a repeated Idempotency-Key whose first request committed but whose answer was lost
  "idempotency_carried_out",
  // the server was at capacity and turned the request away before handling it (503, Retry-After)
  "busy",
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

export type Refusal = { ok: false; kind: "forbidden" | "rule"; code: RefusalCode; reason: string };

export const forbidden = (code: RefusalCode, reason: string): Refusal => ({
  ok: false,
  kind: "forbidden",
  code,
  reason,
});
export const rule = (code: RefusalCode, reason: string): Refusal => ({ ok: false, kind: "rule", code, reason });

/**
 * The sign-off refusals a person involved with the review deserves to see explained (they own it,
 * wrote its evidence, lack the seniority, or already reviewed): information, not an error.
 */
export const SIGN_OFF_EXPLAINED: ReadonlySet<RefusalCode> = new Set<RefusalCode>([
  "separation_of_duties",
  "evidence_author",
  "seniority_too_low",
  "already_reviewed",
]);
