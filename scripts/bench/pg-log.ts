// Reads Postgres' JSON log (log_destination=jsonlog, log_statement=all) to find the SQL that one
// request executed: the bench brackets each request with marker statements from its own
// connection, and everything the app's connections logged in between is that request's SQL,
// with its bound parameters. Counted from the log, not guessed; replayed for the data floor.

export interface LogEntry {
  dbname?: string;
  application_name?: string;
  backend_type?: string;
  session_id?: string;
  message?: string;
  detail?: string;
}

export interface Statement {
  sql: string;
  params: (string | null)[];
}

/** One JSON object per line; a partly written last line (the collector is still writing) is skipped. */
export function parseJsonLog(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as LogEntry);
    } catch {
      // incomplete line
    }
  }
  return entries;
}

/**
 * `Parameters: $1 = 'a''b', $2 = NULL` → ["a'b", null]. Postgres quotes every non-null value as
 * a literal (doubling quotes), so values are text and the server infers their types on replay,
 * as it did for the app's untyped parameters.
 */
export function parseParameters(detail: string | undefined): (string | null)[] {
  if (!detail) return [];
  const start = detail.indexOf("Parameters:");
  if (start < 0) return [];
  const params: (string | null)[] = [];
  const pattern = /\$(\d+) = (?:'((?:[^']|'')*)'|(NULL))(?:, |$)/gy;
  pattern.lastIndex = start + "Parameters:".length + 1;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(detail))) {
    const index = Number(match[1]) - 1;
    params[index] = match[3] === "NULL" ? null : match[2]!.replaceAll("''", "'");
  }
  return params;
}

/** The statement an entry logged (simple or extended protocol), or null for any other message. */
export function statementOf(entry: LogEntry): Statement | null {
  const match = /^(?:statement|execute [^:]*): ([\s\S]*)$/.exec(entry.message ?? "");
  if (!match) return null;
  return { sql: match[1]!, params: parseParameters(entry.detail) };
}

export const MARKER_PREFIX = "resetboard-bench-marker";

export function markerSql(kind: "begin" | "end", id: string): string {
  return `SELECT '${MARKER_PREFIX}:${kind}:${id}'`;
}

/**
 * The statements the app ran between `begin:id` and `end:id`: those in database `dbname` from any
 * connection except the bench's own (`benchApplication`).
 */
export function statementsBetween(
  entries: readonly LogEntry[],
  id: string,
  options: { dbname: string; benchApplication: string },
): Statement[] | null {
  const begin = entries.findIndex((e) => e.message === `statement: ${markerSql("begin", id)}`);
  const end = entries.findIndex((e, i) => i > begin && e.message === `statement: ${markerSql("end", id)}`);
  if (begin < 0 || end < 0) return null;
  const statements: Statement[] = [];
  for (const entry of entries.slice(begin + 1, end)) {
    if (entry.dbname !== options.dbname || entry.application_name === options.benchApplication) continue;
    const statement = statementOf(entry);
    if (statement) statements.push(statement);
  }
  return statements;
}
