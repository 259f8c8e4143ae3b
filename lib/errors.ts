// The expected refusals (docs/ARCHITECTURE.md, section 3): their message is meant for the user
// and maps to an HTTP status. Anything else is a bug, logged with context, shown generically.
import type { ZodError } from "zod";
import type { RefusalCode } from "@/lib/domain/refusal";

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** What clients and pages switch on (lib/domain/refusal.ts); each kind has a default. */
  abstract readonly code: RefusalCode;
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly title = "Invalid request";
  readonly code = "invalid_request";
  constructor(
    message: string,
    readonly errors: Record<string, string[]> = {},
  ) {
    super(message);
  }

  static fromZod(error: ZodError): ValidationError {
    const errors: Record<string, string[]> = {};
    for (const issue of error.issues) {
      const key = issue.path.length ? issue.path.join(".") : "_";
      (errors[key] ??= []).push(issue.message);
    }
    const summary = Object.entries(errors)
      .map(([field, messages]) => (field === "_" ? messages.join("; ") : `${field}: ${messages.join("; ")}`))
      .join("; ");
    return new ValidationError(summary, errors);
  }
}

export class Unauthenticated extends DomainError {
  readonly status = 401;
  readonly title = "Sign-in required";
  readonly code = "unauthenticated";
}

export class Forbidden extends DomainError {
  readonly status = 403;
  readonly title = "Not allowed";
  constructor(
    message: string,
    readonly code: RefusalCode = "forbidden",
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  readonly status = 404;
  readonly title = "Not found";
  readonly code = "not_found";
}

export class Conflict extends DomainError {
  readonly status = 409;
  readonly title = "Conflict";
  /** A conflict about one field (a duplicate key) names it, so a form can show it there. */
  constructor(
    message: string,
    readonly errors?: Record<string, string[]>,
    readonly code: RefusalCode = "conflict",
  ) {
    super(message);
  }
}

/** A write that needs the version (or If-Match) it is based on, sent without one: 428. */
export class PreconditionRequired extends DomainError {
  readonly status = 428;
  readonly title = "Precondition required";
  readonly code = "precondition_required";
}

export class RuleViolation extends DomainError {
  readonly status = 422;
  readonly title = "Refused by a program rule";
  constructor(
    message: string,
    readonly code: RefusalCode = "rule_violation",
  ) {
    super(message);
  }
}

/** Prisma's unique-constraint violation, which becomes a Conflict (docs/ARCHITECTURE.md, section 3). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

// Postgres "data exception" errors (SQLSTATE class 22: 22021 invalid byte sequence, 22P05
// untranslatable character, 22003 out of range, …) and Prisma's own value-shape refusals are
// caused by the request's values, never by our code: they are a 400, not a 500. The schemas
// refuse such input first; this is the backstop for a field one of them misses.
const INVALID_VALUE_PRISMA_CODES = new Set(["P2000", "P2006", "P2007", "P2020", "P2033"]);

export function isInvalidDataError(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 5) return false;
  const record = error as Record<string, unknown>;
  for (const key of ["code", "originalCode"]) {
    const code = record[key];
    if (
      typeof code === "string" &&
      (/^22[0-9A-Z]{3}$/.test(code) || (depth === 0 && INVALID_VALUE_PRISMA_CODES.has(code)))
    )
      return true;
  }
  // The driver adapter's error travels in `cause` and in Prisma's `meta.driverAdapterError`.
  return ["cause", "meta", "driverAdapterError"].some((key) => isInvalidDataError(record[key], depth + 1));
}
