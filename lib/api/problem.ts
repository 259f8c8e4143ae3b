// RFC 9457 problem details: every API error has this shape (docs/RULES.md, section 10).
import { isDatabaseUnavailable } from "@/lib/db-unavailable";
import { Conflict, DomainError, ValidationError, isInvalidDataError } from "@/lib/errors";
import { logger } from "@/lib/log";

const log = logger("api");

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Record<string, string[]>;
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

export function problem(status: number, title: string, detail: string, errors?: Record<string, string[]>): Response {
  const body: Problem = { type: TYPES[status] ?? "about:blank", title, status, detail, ...(errors ? { errors } : {}) };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store" },
  });
}

export function problemFromError(error: unknown): Response {
  if (error instanceof ValidationError) return problem(400, error.title, error.message, error.errors);
  if (error instanceof Conflict) return problem(409, error.title, error.message, error.errors);
  if (error instanceof DomainError) return problem(error.status, error.title, error.message);
  if (isInvalidDataError(error)) {
    log.warn({ err: error }, "a value the database refused reached it past validation");
    return problem(400, "Invalid request", "A value in the request cannot be stored (for example a NUL or a broken character, or a number out of range).");
  }
  if (isDatabaseUnavailable(error)) {
    // Expected during an outage: fail fast with "try again", and no stack trace per request.
    log.warn({ reason: error instanceof Error ? error.message : String(error) }, "request refused: the database is unavailable");
    const response = problem(503, "Service unavailable", "The database is unavailable right now; nothing was changed. Try again in a minute.");
    response.headers.set("Retry-After", "5");
    return response;
  }
  // Unexpected: the details go to the log, never to the caller.
  log.error({ err: error }, "unhandled error in an API route");
  return problem(500, "Internal error", "Something went wrong on our side. Try again; if it persists, tell the program's operators.");
}
