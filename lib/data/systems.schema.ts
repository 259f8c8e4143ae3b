import { z } from "zod";

export const SYSTEMS_PAGE_SIZE = 50;

/** Query-string input of the systems list; anything malformed falls back to the defaults. */
export const listSystemsSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export type ListSystemsInput = z.input<typeof listSystemsSchema>;
