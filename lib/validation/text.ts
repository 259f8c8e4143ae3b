// The one text primitive every input schema builds on (request bodies, forms, query strings).
// Postgres cannot store U+0000 and JSON cannot carry a lone UTF-16 surrogate (it is silently
// turned into U+FFFD), so both are refused at the edge with a message naming the field, rather
// than reaching the database as a 500 or being stored altered. Other C0 controls have no place
// in names, titles or filters; multi-line text keeps tab and newlines.
import { z } from "zod";

// C0 controls and DEL. Single-line text allows none; multi-line text allows tab, LF and CR
// (browsers submit a textarea's line breaks as CRLF).
const SINGLE_LINE_CONTROL = /[\u0000-\u001f\u007f]/;
const MULTI_LINE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Why `value` is not acceptable text, in words that follow the field's label; null when it is. */
export function textProblem(value: string, multiLine: boolean): string | null {
  if (!value.isWellFormed()) return "contains a broken character (a lone UTF-16 surrogate)";
  if (value.includes("\u0000")) return "cannot contain a NUL character";
  if ((multiLine ? MULTI_LINE_CONTROL : SINGLE_LINE_CONTROL).test(value)) {
    return multiLine
      ? "cannot contain control characters other than tab and line breaks"
      : "cannot contain line breaks, tabs or other control characters";
  }
  return null;
}

function safeText(label: string, multiLine: boolean, requiredMessage?: string) {
  return z.string({ error: requiredMessage ?? `${label} must be text` }).check((ctx) => {
    const problem = textProblem(ctx.value, multiLine);
    // abort: a length or pattern message about a string we refuse anyway would only confuse.
    if (problem) ctx.issues.push({ code: "custom", message: `${label} ${problem}`, input: ctx.value, abort: true });
  });
}

/** A name, title, key or filter: one line, no control characters, well-formed. */
export function singleLineText(label: string, requiredMessage?: string) {
  return safeText(label, false, requiredMessage);
}

/** A note, reason or description: tab and line breaks allowed, other controls refused. */
export function multiLineText(label: string, requiredMessage?: string) {
  return safeText(label, true, requiredMessage);
}
