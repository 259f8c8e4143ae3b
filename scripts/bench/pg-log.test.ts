import { describe, expect, it } from "vitest";
import { markerSql, parseJsonLog, parseParameters, statementOf, statementsBetween, type LogEntry } from "./pg-log";

describe("parseParameters", () => {
  it("reads quoted values, doubled quotes and NULLs in order", () => {
    expect(parseParameters("Parameters: $1 = 'abc', $2 = NULL, $3 = 'it''s', $4 = '10'")).toEqual([
      "abc",
      null,
      "it's",
      "10",
    ]);
  });

  it("keeps commas, equals signs and newlines inside a value", () => {
    expect(parseParameters("Parameters: $1 = 'a, $2 = b', $2 = 'x\ny'")).toEqual(["a, $2 = b", "x\ny"]);
  });

  it("is empty without a Parameters detail", () => {
    expect(parseParameters(undefined)).toEqual([]);
    expect(parseParameters("some other detail")).toEqual([]);
  });
});

describe("statementOf", () => {
  it("reads simple and extended protocol statements", () => {
    expect(statementOf({ message: "statement: BEGIN" })).toEqual({ sql: "BEGIN", params: [] });
    expect(
      statementOf({
        message: 'execute <unnamed>: SELECT "id" FROM "system" WHERE "key" = $1',
        detail: "Parameters: $1 = 'pay-api'",
      }),
    ).toEqual({
      sql: 'SELECT "id" FROM "system" WHERE "key" = $1',
      params: ["pay-api"],
    });
    expect(statementOf({ message: "execute s12: SELECT 1" })).toEqual({ sql: "SELECT 1", params: [] });
  });

  it("ignores other messages", () => {
    expect(statementOf({ message: "connection authorized: user=postgres" })).toBeNull();
    expect(statementOf({ message: "duration: 0.1 ms" })).toBeNull();
  });
});

describe("statementsBetween", () => {
  const app = (message: string, extra: Partial<LogEntry> = {}): LogEntry => ({
    dbname: "bench",
    application_name: "",
    message,
    ...extra,
  });
  const bench = (message: string): LogEntry => ({ dbname: "postgres", application_name: "resetboard-bench", message });
  const options = { dbname: "bench", benchApplication: "resetboard-bench" };

  it("returns the app's statements between the request's markers only", () => {
    const entries = [
      app("statement: SELECT 'before'"),
      bench(`statement: ${markerSql("begin", "r1")}`),
      app("execute <unnamed>: SELECT * FROM app_user WHERE id = $1", { detail: "Parameters: $1 = 'u1'" }),
      bench("statement: SELECT 'the bench itself'"),
      app("statement: SELECT 'another database'", { dbname: "other" }),
      app("connection received: host=127.0.0.1"),
      app("statement: COMMIT"),
      bench(`statement: ${markerSql("end", "r1")}`),
      app("statement: SELECT 'after'"),
    ];
    expect(statementsBetween(entries, "r1", options)).toEqual([
      { sql: "SELECT * FROM app_user WHERE id = $1", params: ["u1"] },
      { sql: "COMMIT", params: [] },
    ]);
  });

  it("is null until both markers are in the log", () => {
    expect(statementsBetween([bench(`statement: ${markerSql("begin", "r2")}`)], "r2", options)).toBeNull();
    expect(statementsBetween([], "r2", options)).toBeNull();
  });
});

describe("parseJsonLog", () => {
  it("skips a partly written last line", () => {
    const text = `${JSON.stringify({ message: "statement: SELECT 1" })}\n{"message": "statem`;
    expect(parseJsonLog(text)).toEqual([{ message: "statement: SELECT 1" }]);
  });
});
