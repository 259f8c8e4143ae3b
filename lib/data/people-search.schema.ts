// GET /api/v1/people's query: what a person picker sends as the user types.
import { z } from "zod";
import { singleLineText } from "@/lib/validation/text";

export const PEOPLE_SEARCH_MAX = 50;

export const peopleSearchSchema = z.object({
  /** Part of a name or an e-mail address, any case; empty lists the first people by name. */
  q: singleLineText("The search").trim().max(100, "The search has at most 100 characters").default(""),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit is at least 1")
    .max(PEOPLE_SEARCH_MAX, `limit is at most ${PEOPLE_SEARCH_MAX}`)
    .default(20),
});

export type PeopleSearchInput = z.input<typeof peopleSearchSchema>;
