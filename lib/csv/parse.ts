// An RFC 4180 CSV parser for the systems import: quoted fields (which may hold commas, quotes
// doubled as "" and line breaks), CRLF or LF (or a lone CR) between records, and a UTF-8 byte
// order mark at the start, which spreadsheets add. A quote inside an unquoted field is kept as
// text (`27" monitor`); anything after a closing quote other than a separator is an error.
// Why not csv-parse: measured with csv-parse 6.1 and again with 7.0.3, it either refuses a stray
// quote in an unquoted field (strict: INVALID_OPENING_QUOTE on `27" monitor`) or silently accepts
// text after a closing quote (`relax_quotes`: `"b"c` becomes the value `"b"c`); the import needs
// both behaviours at once. Its files are at most 5 MB, read whole, so streaming buys nothing.
// (The writer, lib/csv/write.ts, does use csv-stringify; write.test.ts reads its output back here.)

export class CsvParseError extends Error {
  constructor(
    message: string,
    /** The 1-based record (row) where the problem starts. */
    readonly row: number,
  ) {
    super(`Row ${row}: ${message}`);
  }
}

/**
 * Parses CSV text into records of fields. A final line break does not start an empty record;
 * a blank line in the middle is a record with one empty field (callers usually skip those).
 */
export function parseCsv(input: string): string[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  // Whether the current record has begun (so "a\n" is one record and "" is none).
  let started = false;

  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = "";
    started = false;
  };

  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === "" && !fieldStartedUnquoted(text, i)) {
      // A quoted field: read to the closing quote, turning "" into ".
      const row = records.length + 1;
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        field += c;
        i++;
      }
      if (!closed) throw new CsvParseError('a quoted field is never closed (a missing ")', row);
      started = true;
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") {
        throw new CsvParseError(
          `unexpected text after a closing quote (${JSON.stringify(text.slice(i, i + 10))})`,
          row,
        );
      }
      continue;
    }
    if (ch === ",") {
      record.push(field);
      field = "";
      started = true;
      i++;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      continue;
    }
    field += ch;
    started = true;
    i++;
  }
  if (started || field !== "" || record.length) endRecord();
  return records;
}

/** True when a quote at `i` is inside a field that already began without one (kept as text). */
function fieldStartedUnquoted(text: string, i: number): boolean {
  const previous = i === 0 ? undefined : text[i - 1];
  return previous !== undefined && previous !== "," && previous !== "\r" && previous !== "\n";
}
