// Every command's input parse: a zod failure becomes a ValidationError (400 with errors per field,
// docs/RULES.md, section 10), so no command words or shapes its own.
import "server-only";
import { ValidationError } from "@/lib/errors";
import type { z } from "zod";

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  return parsed.data;
}
