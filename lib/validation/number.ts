// The one whole-number primitive for versions, page numbers, limits and counts. Every such column
// is a Postgres integer, so anything past 2^31 - 1 would fail in the database as a 500; floats,
// negatives and 1e309 (which JSON.parse turns into Infinity) are refused here instead.
import { z } from "zod";

export const MAX_INT = 2_147_483_647;

/** A whole number from `min` to `max` (at most 2^31 - 1) in a JSON body. */
export function wholeNumber(label: string, { min = 0, max = MAX_INT }: { min?: number; max?: number } = {}) {
  const range = `${label} must be a whole number from ${min} to ${max}`;
  return z.number({ error: range }).int(range).min(min, range).max(Math.min(max, MAX_INT), range);
}

/**
 * The same from a query string or form field: only plain decimal digits, so "1.5", "-1",
 * "1e3", "0x10" and " " are refused rather than coerced into something else.
 */
export function wholeNumberParam(label: string, options: { min?: number; max?: number } = {}) {
  const inner = wholeNumber(label, options);
  return z.union([z.number(), z.string()], { error: `${label} must be a whole number` }).transform((value, ctx) => {
    const text = typeof value === "number" ? String(value) : value.trim();
    if (!/^\d{1,10}$/.test(text)) {
      ctx.addIssue({ code: "custom", message: `${label} must be a whole number` });
      return z.NEVER;
    }
    const parsed = inner.safeParse(Number(text));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
      return z.NEVER;
    }
    return parsed.data;
  });
}

/** The `version` a write carries: the version the caller saw (optimistic concurrency). */
export function versionSchema(what = "checkpoint") {
  return wholeNumber(`version (the ${what} version you saw)`, { min: 1 });
}
