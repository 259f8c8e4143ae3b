// The expected refusals (docs/ARCHITECTURE.md, section 3): their message is meant for the user
// and maps to an HTTP status. Anything else is a bug, logged with context, shown generically.
import type { ZodError } from "zod";

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly title = "Invalid request";
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
}

export class Forbidden extends DomainError {
  readonly status = 403;
  readonly title = "Not allowed";
}

export class NotFound extends DomainError {
  readonly status = 404;
  readonly title = "Not found";
}

export class Conflict extends DomainError {
  readonly status = 409;
  readonly title = "Conflict";
  /** A conflict about one field (a duplicate key) names it, so a form can show it there. */
  constructor(
    message: string,
    readonly errors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

export class RuleViolation extends DomainError {
  readonly status = 422;
  readonly title = "Refused by a program rule";
}

/** Prisma's unique-constraint violation, which becomes a Conflict (docs/ARCHITECTURE.md, section 3). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
