// Counts the SQL statements that reach Postgres while a piece of code runs, for "no N+1" tests.
// It wraps pg.Client#query, the call every statement goes through: Prisma's pg adapter sends
// plain queries through its Pool (which hands them to a pooled Client) and transactions through
// a pooled Client directly, so the count is what went over the wire, not a guess.
// Use it around one request at a time: statements of other code running meanwhile count too.
import pg from "pg";

export interface SqlCount<T> {
  result: T;
  /** The statements' SQL text, in the order they were sent. */
  statements: string[];
}

export async function countSql<T>(fn: () => Promise<T>): Promise<SqlCount<T>> {
  const statements: string[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : (first as { text?: string } | null)?.text;
    if (text !== undefined) statements.push(text);
    return original.apply(this, args);
  };
  try {
    return { result: await fn(), statements };
  } finally {
    prototype.query = original;
  }
}
