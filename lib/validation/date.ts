// Calendar days (YYYY-MM-DD) within a window the program could ever use. Dates far outside it are
// typing mistakes ("0001-01-01", "20260-01-01") that would show nonsense on every chart; the
// commands that know the program narrow the window further (its span ± a few years).
import { z } from "zod";

/** The widest window any date input may take, whatever the program. */
export const EARLIEST_DAY = "2000-01-01";
export const LATEST_DAY = "2100-12-31";

/** A calendar day string, bounded to the global window. */
export function isoDaySchema(message: string) {
  return z.iso
    .date(message)
    .refine((day) => day >= EARLIEST_DAY && day <= LATEST_DAY, `${message}: between ${EARLIEST_DAY} and ${LATEST_DAY}`);
}

/** How far around the program's own span a date the program schedules (due date, waiver) may be. */
export const PROGRAM_DATE_MARGIN_YEARS = 2;
