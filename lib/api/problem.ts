// RFC 9457 problem details: every API error has this shape (docs/RULES.md, section 10).
import {
  isDatabaseUnavailable,
  OUTCOME_UNKNOWN_MESSAGE,
  OutcomeUnknownError,
  SAVED_BUT_UNANSWERED_MESSAGE,
} from "@/lib/db-unavailable";
import { currentRequest } from "@/lib/observability/request-context";
import { Conflict, DomainError, ValidationError, isInvalidDataError } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { RefusalCode } from "@/lib/domain/refusal";

const log = logger("api");

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /**
   * A stable refusal code (lib/domain/refusal.ts) that a client switches on; `type` names the
   * kind by status, `code` the rule within it ("separation_of_duties", "stale_version", …).
   */
  code?: RefusalCode;
  errors?: Record<string, string[]>;
  /**
   * Only on a 503 of a request that changes something: "unknown" when the connection was lost
   * while committing (look before retrying), "saved" when the change was committed and only the
   * answer failed (do not send it again).
   */
  outcome?: "unknown" | "saved";
}

const TYPES: Record<number, string> = {
  400: "https://resetboard.dev/problems/invalid-request",
  401: "https://resetboard.dev/problems/unauthenticated",
  403: "https://resetboard.dev/problems/forbidden",
  404: "https://resetboard.dev/problems/not-found",
  409: "https://resetboard.dev/problems/conflict",
  415: "https://resetboard.dev/problems/unsupported-media-type",
  422: "https://resetboard.dev/problems/rule-violation",
  428: "https://resetboard.dev/problems/precondition-required",
  429: "https://resetboard.dev/problems/too-many-requests",
  500: "https://resetboard.dev/problems/internal",
  503: "https://resetboard.dev/problems/unavailable",
};

// The code a refusal carries when nothing more precise was given: the kind its status names.
const DEFAULT_CODES: Partial<Record<number, RefusalCode>> = {
  400: "invalid_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "rule_violation",
  428: "precondition_required",
};

export function problem(
  status: number,
  title: string,
  detail: string,
  errors?: Record<string, string[]>,
  extensions: Pick<Problem, "outcome" | "code"> = {},
): Response {
  const body: Problem = {
    type: TYPES[status] ?? "about:blank",
    title,
    status,
    detail,
    ...(errors ? { errors } : {}),
    ...((extensions.code ?? DEFAULT_CODES[status]) ? { code: extensions.code ?? DEFAULT_CODES[status] } : {}),
    ...(extensions.outcome ? { outcome: extensions.outcome } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store" },
  });
}

export function problemFromError(error: unknown): Response {
  if (error instanceof ValidationError)
    return problem(400, error.title, error.message, error.errors, { code: error.code });
  if (error instanceof Conflict) return problem(409, error.title, error.message, error.errors, { code: error.code });
  if (error instanceof DomainError)
    return problem(error.status, error.title, error.message, undefined, { code: error.code });
  if (isInvalidDataError(error)) {
    log.warn({ err: error }, "a value the database refused reached it past validation");
    return problem(
      400,
      "Invalid request",
      "A value in the request cannot be stored (for example a NUL or a broken character, or a number out of range).",
    );
  }
  if (error instanceof OutcomeUnknownError) {
    log.warn(
      { reason: (error.cause as Error | undefined)?.message },
      "the database went away while a change was being committed",
    );
    // "outcome": "unknown" lets a client tell this 503 from one where nothing was written.
    const response = problem(503, "Outcome unknown", OUTCOME_UNKNOWN_MESSAGE, undefined, { outcome: "unknown" });
    response.headers.set("Retry-After", "5");
    return response;
  }
  if (isDatabaseUnavailable(error) && currentRequest()?.committed) {
    log.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      "the database went away after a change was committed",
    );
    const response = problem(503, "Saved, but not answered", SAVED_BUT_UNANSWERED_MESSAGE, undefined, {
      outcome: "saved",
    });
    response.headers.set("Retry-After", "5");
    return response;
  }
  if (isDatabaseUnavailable(error)) {
    // Expected during an outage: fail fast with "try again", and no stack trace per request.
    log.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      "request refused: the database is unavailable",
    );
    const response = problem(
      503,
      "Service unavailable",
      "The database is unavailable right now; nothing was changed. Try again in a minute.",
    );
    response.headers.set("Retry-After", "5");
    return response;
  }
  // Unexpected: the details go to the log, never to the caller.
  log.error({ err: error }, "unhandled error in an API route");
  return problem(
    500,
    "Internal error",
    "Something went wrong on our side. Try again; if it persists, tell the program's operators.",
  );
}
