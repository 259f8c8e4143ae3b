import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvParseError, parseCsv } from "./parse";

/** A deliberately simple RFC 4180 writer, independent of lib/csv/write.ts, for the round trip. */
function write(
  rows: string[][],
  options: { eol: "\r\n" | "\n"; quoteAll: boolean; bom: boolean; trailing: boolean },
): string {
  const cell = (value: string, alone: boolean) =>
    // A record of one empty field must be quoted, or it reads as a blank line.
    options.quoteAll || /[",\r\n]/.test(value) || (alone && value === "") ? `"${value.replace(/"/g, '""')}"` : value;
  const body = rows.map((row) => row.map((value) => cell(value, row.length === 1)).join(",")).join(options.eol);
  return `${options.bom ? "\uFEFF" : ""}${body}${options.trailing ? options.eol : ""}`;
}

describe("parseCsv", () => {
  it("reads plain records with LF or CRLF and ignores one final line break", () => {
    expect(parseCsv("a,b,c\n1,2,3\n")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
    expect(parseCsv("a,b\r\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseCsv("")).toEqual([]);
  });

  it("reads quoted fields with separators, doubled quotes and line breaks", () => {
    expect(parseCsv('key,description\npay,"Pays, refunds and ""chargebacks""\r\nover two lines"\n')).toEqual([
      ["key", "description"],
      ["pay", 'Pays, refunds and "chargebacks"\r\nover two lines'],
    ]);
    expect(parseCsv('"",x,""\n')).toEqual([["", "x", ""]]);
  });

  it("strips a UTF-8 byte order mark and keeps empty fields", () => {
    expect(parseCsv("\uFEFFkey,name\nk,,\n")).toEqual([
      ["key", "name"],
      ["k", "", ""],
    ]);
  });

  it("keeps a quote inside an unquoted field as text", () => {
    expect(parseCsv('27" monitor,x')).toEqual([['27" monitor', "x"]]);
  });

  it("says which row holds an unclosed quote or text after a closing quote", () => {
    expect(() => parseCsv('a\n"b,c\n')).toThrow(CsvParseError);
    expect(() => parseCsv('a\n"b,c\n')).toThrow(/Row 2: a quoted field is never closed/);
    expect(() => parseCsv('a\n"b"c,d\n')).toThrow(/Row 2: unexpected text after a closing quote/);
  });

  it("round-trips any table through a writer, whatever the line endings, quoting, BOM and final line break", () => {
    const field = fc.string({
      unit: fc.constantFrom("a", "b", " ", ",", '"', "\r", "\n", "é", "=", "\t", "x"),
      maxLength: 8,
    });
    const table = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 });
    const options = fc.record({
      eol: fc.constantFrom("\r\n" as const, "\n" as const),
      quoteAll: fc.boolean(),
      bom: fc.boolean(),
      trailing: fc.boolean(),
    });
    fc.assert(
      fc.property(table, options, (rows, opts) => {
        expect(parseCsv(write(rows, opts))).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });
});
