// CSV writing (RFC 4180) for the exports. Auditors open these files in spreadsheets, so a cell
// that a spreadsheet would run as a formula (= + - @, or a leading tab or carriage return) gets a
// leading apostrophe: the OWASP "CSV injection" defence. Lines end in CRLF, as the RFC says.
export type CsvValue = string | number | boolean | null | undefined | Date;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: formula-neutralised, then quoted when it holds a comma, quote, CR or LF. */
export function csvField(value: CsvValue): string {
  let text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value);
  // Numbers are ours, not the user's: a negative number is a number, not a formula.
  if (typeof value !== "number" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** A whole document: the header row, then the rows. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  let out = csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out;
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
