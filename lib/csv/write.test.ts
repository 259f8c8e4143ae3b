import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "./parse";
import { csvField, csvLine, datedFilename, toCsv } from "./write";

describe("csvField", () => {
  it("leaves plain text alone", () => {
    expect(csvField("payments-api")).toBe("payments-api");
    expect(csvField("")).toBe("");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });

  it("quotes fields with commas, quotes and line breaks, doubling quotes (RFC 4180)", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r\nlf")).toBe('"cr\r\nlf"');
  });

  it("neutralises cells a spreadsheet would run as a formula", () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField("+1+1")).toBe("'+1+1");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tcmd")).toBe("'\tcmd");
    expect(csvField("\r=1")).toBe('"\'\r=1"');
  });

  it("writes numbers, booleans and dates as values", () => {
    expect(csvField(-3)).toBe("-3");
    expect(csvField(12)).toBe("12");
    expect(csvField(true)).toBe("true");
    expect(csvField(new Date("2026-11-27T10:00:00Z"))).toBe("2026-11-27T10:00:00.000Z");
  });
});

describe("csv documents", () => {
  it("ends every line with CRLF", () => {
    expect(csvLine(["a", "b,c"])).toBe('a,"b,c"\r\n');
    expect(
      toCsv(
        ["key", "name"],
        [
          ["x", "X"],
          ["y", "=Y"],
        ],
      ),
    ).toBe("key,name\r\nx,X\r\ny,'=Y\r\n");
  });

  it("writes what the import's parser reads back, formula cells with their apostrophe", () => {
    const field = fc.string({
      unit: fc.constantFrom("a", " ", ",", '"', "\r", "\n", "é", "=", "+", "-", "@", "\t", "x"),
      maxLength: 8,
    });
    const table = fc.array(fc.array(field, { minLength: 2, maxLength: 2 }), { maxLength: 8 });
    fc.assert(
      fc.property(table, (rows) => {
        const expected = rows.map((row) => row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)));
        expect(parseCsv(toCsv(["key", "name"], rows))).toEqual([["key", "name"], ...expected]);
      }),
      { numRuns: 500 },
    );
  });

  it("names the file after the day", () => {
    expect(datedFilename("systems", new Date("2026-11-27T23:59:00Z"))).toBe("systems-2026-11-27.csv");
  });
});
