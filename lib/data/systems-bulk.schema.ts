// Inputs of the registry's bulk actions (leads): the selected systems' keys and what to set.
import { z } from "zod";
import { SLUG_PATTERN } from "@/lib/data/checkpoints.schema";
import { TEAM_PATTERN } from "@/lib/data/system-admin.schema";
import { Tier } from "@/lib/generated/prisma/enums";
import { emailSchema } from "@/lib/data/users.schema";
import { singleLineText } from "@/lib/validation/text";

export const BULK_MAX_SYSTEMS = 500;

const systems = z
  .array(singleLineText("A system key").regex(SLUG_PATTERN, "is not a system key"), {
    error: "Select at least one system",
  })
  .min(1, "Select at least one system")
  .max(BULK_MAX_SYSTEMS, `Select at most ${BULK_MAX_SYSTEMS} systems at once`)
  .transform((keys) => [...new Set(keys)]);

/**
 * What the lead saw: each selected system's updatedAt on the page. A team or tier change is
 * refused (409) when a system changed since, rather than overwriting what someone else just set.
 */
const seen = z
  .record(
    singleLineText("A system key").regex(SLUG_PATTERN),
    z.iso.datetime({ offset: true, error: "must be a timestamp" }),
  )
  .optional();

export const bulkAssignReviewerSchema = z.object({ systems, reviewer: emailSchema });
export const bulkSetTeamSchema = z.object({
  systems,
  seen,
  // The same rule as the system form and the import, so bulk cannot store a team they would refuse.
  team: singleLineText("Team", "Team is required")
    .trim()
    .min(1, "Team is required")
    .max(100, "A team name has at most 100 characters")
    .regex(
      TEAM_PATTERN,
      "A team name starts with a letter or digit and uses letters, digits, spaces and & / . , ' ( ) - only",
    ),
});
export const bulkSetTierSchema = z.object({
  systems,
  seen,
  tier: z.enum(Tier, { error: `Tier must be one of ${Object.values(Tier).join(", ")}` }),
});
