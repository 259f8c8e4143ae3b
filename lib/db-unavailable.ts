// Recognises "the database is not there right now" among the errors a query can throw (refused
// or dropped connections, a pool that timed out waiting, Postgres shutting down or starting up,
// a cancelled statement), so that callers answer 503 "try again" instead of a 500 "bug".

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// Prisma's codes for an unreachable or vanished server, and a timed-out pool.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// Postgres SQLSTATEs: class 08 (connection exception), admin/crash shutdown, starting up,
// and 57014 (statement cancelled by statement_timeout).
const SQLSTATE = /^(08\d{3}|57P01|57P02|57P03|57014|53300)$/;
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /can't reach database server/i,
  /server closed the connection unexpectedly/i,
  /the database system is (starting up|shutting down)/i,
  /terminating connection due to administrator command/i,
  /query read timeout/i,
  /Client has encountered a connection error/i,
  // Prisma's interactive transaction ran out of time (a slow or restarting database, or every
  // pooled connection busy): it was rolled back, so "try again" is the honest answer.
  /on an expired transaction/i,
  /Unable to start a transaction in the given time/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const { code, message, kind, originalCode } = current as {
      code?: unknown;
      message?: unknown;
      kind?: unknown;
      originalCode?: unknown;
    };
    for (const value of [code, originalCode]) {
      if (typeof value === "string" && (NETWORK_CODES.has(value) || PRISMA_CODES.has(value) || SQLSTATE.test(value)))
        return true;
    }
    if (kind === "DatabaseNotReachable" || kind === "SocketTimeout" || kind === "ConnectionClosed") return true;
    if (typeof message === "string" && MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The connection was lost after a transaction's work was done, while Postgres was committing it:
 * the change may have been saved or not, and only a fresh read can tell. Said as such to the
 * caller instead of "nothing was changed", which would be a guess.
 */
export class OutcomeUnknownError extends Error {
  constructor(cause: unknown) {
    super("The connection to the database was lost while a change was being committed.", { cause });
    this.name = "OutcomeUnknownError";
  }
}

export const OUTCOME_UNKNOWN_MESSAGE =
  "The database went away while your change was being saved, so it may or may not have been saved. Reload to see whether it is there before you try again.";

export const SAVED_BUT_UNANSWERED_MESSAGE =
  "Your change was saved, but the database went away before the answer could be put together. Reload to see it; do not send it again.";
