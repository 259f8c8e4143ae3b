// CSV writing (RFC 4180) for the exports, with csv-stringify. Auditors open these files in
// spreadsheets, so a cell that a spreadsheet would run as a formula (= + - @, or a leading tab or
// carriage return) gets a leading apostrophe: the OWASP "CSV injection" defence. Lines end in
// CRLF, as the RFC says, and a field holding a line break of either kind is quoted.
import { stringify, type Options } from "csv-stringify/sync";

export type CsvValue = string | number | boolean | null | undefined | Date;

const FORMULA_START = /^[=+\-@\t\r]/;
const guard = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

const OPTIONS: Options = {
  record_delimiter: "\r\n",
  // csv-stringify quotes only the record delimiter itself; a lone LF or CR must be quoted too.
  quoted_match: /[\r\n]/,
  cast: {
    string: guard,
    // Numbers are ours, not the user's: a negative number is a number, not a formula.
    number: (value) => String(value),
    boolean: (value) => String(value),
    date: (value) => guard(value.toISOString()),
  },
};

/** Whole lines, each ending in CRLF. */
function lines(rows: readonly (readonly CsvValue[])[]): string {
  return stringify(rows as CsvValue[][], OPTIONS);
}

/** One field: formula-neutralised, then quoted when it holds a comma, quote, CR or LF. */
export function csvField(value: CsvValue): string {
  return lines([[value]]).slice(0, -2);
}

export function csvLine(values: readonly CsvValue[]): string {
  return lines([values]);
}

/** A whole document: the header row, then the rows. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  return lines([header, ...rows]);
}

/** "systems-2026-11-27.csv": the download's name carries the day it was taken. */
export function datedFilename(prefix: string, now = new Date()): string {
  return `${prefix}-${now.toISOString().slice(0, 10)}.csv`;
}

/** A CSV download response; private and never cached, since it is a signed-in user's data. */
export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
