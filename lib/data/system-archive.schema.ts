// Archiving and unarchiving a system (docs/RULES.md rule 15) both take a reason.
import { z } from "zod";
import { multiLineText } from "@/lib/validation/text";

export const archiveSchema = z.object({
  reason: multiLineText("The reason", "Give the reason.")
    .trim()
    .min(1, "Give the reason.")
    .max(500, "Keep the reason under 500 characters."),
});
