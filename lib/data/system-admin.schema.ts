// Inputs of the systems registry's write side (create, edit, assignments, due-date overrides),
// validated at the edge. The CSV import validates each row with the same field schemas.
import { z } from "zod";
import { Tier } from "@/lib/generated/prisma/enums";
import { SLUG_PATTERN, httpUrlSchema } from "@/lib/data/checkpoints.schema";
import { emailSchema } from "@/lib/data/users.schema";
import { isoDaySchema } from "@/lib/validation/date";
import { versionSchema } from "@/lib/validation/number";
import { multiLineText, singleLineText } from "@/lib/validation/text";

/**
 * A team is a display name ("Payments", "Fraud & Risk"): it starts with a letter or digit and
 * holds letters, digits, spaces and & / . , ' ( ) - only, so that filters and CSV round trips
 * never meet control characters, formulas or stray separators.
 */
export const TEAM_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} &/.,'()-]{0,99}$/u;

const optionalUrl = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  httpUrlSchema.optional(),
);

/** Keys that would collide with the registry's own pages (/systems/new, /systems/import). */
export const RESERVED_KEYS = ["new", "import", "export"] as const;

const keySchema = singleLineText("A key", "A key is required")
  .trim()
  .min(1, { error: "A key is required", abort: true })
  .regex(SLUG_PATTERN, "Use 1–63 lower-case letters, digits and hyphens, starting with a letter or digit")
  .refine(
    (key) => !(RESERVED_KEYS as readonly string[]).includes(key),
    "This key is reserved for a page of the registry; choose another",
  );

export const systemInputSchema = z.object({
  key: keySchema,
  name: singleLineText("A name", "A name is required")
    .trim()
    .min(1, { error: "A name is required", abort: true })
    .max(200, "A name has at most 200 characters"),
  team: singleLineText("A team", "A team is required")
    .trim()
    .min(1, { error: "A team is required", abort: true })
    .max(100, "A team has at most 100 characters")
    .regex(
      TEAM_PATTERN,
      "A team name starts with a letter or digit and uses letters, digits, spaces and & / . , ' ( ) - only",
    ),
  tier: z.enum(Tier, { error: "Tier must be TIER_0, TIER_1 or TIER_2" }),
  aiAssisted: z.boolean({ error: "aiAssisted must be true or false" }).default(false),
  description: multiLineText("A description", "A description is text")
    .trim()
    .max(2000, "A description has at most 2000 characters")
    .default(""),
  repoUrl: optionalUrl,
  runbookUrl: optionalUrl,
});

export type SystemInput = z.input<typeof systemInputSchema>;
export type SystemFields = z.output<typeof systemInputSchema>;

/** Editing keeps the key (it is the system's identity in links, the API and the audit trail). */
export const updateSystemSchema = systemInputSchema.omit({ key: true }).extend({
  /** The system's `updatedAt` the editor saw (optimistic concurrency). */
  expectedUpdatedAt: z.iso.datetime({ error: "Reload the page: the form is missing the version it was loaded at" }),
});

export const assignmentsSchema = z
  .object({
    owners: z.array(emailSchema, { error: "owners must be a list of email addresses" }).max(50, "At most 50 owners"),
    reviewers: z
      .array(emailSchema, { error: "reviewers must be a list of email addresses" })
      .max(50, "At most 50 reviewers"),
    /** The system's assignmentsVersion the editor saw (or the request's If-Match). */
    version: versionSchema("assignments").optional(),
    /** Why people are removed; the editor asks for it before a save that removes anyone. */
    reason: multiLineText("A reason").trim().max(2000, "A reason has at most 2000 characters").optional(),
  })
  .superRefine((value, ctx) => {
    const owners = new Set(value.owners);
    const both = [...new Set(value.reviewers.filter((email) => owners.has(email)))];
    if (both.length) {
      ctx.addIssue({
        code: "custom",
        path: ["reviewers"],
        message: `A person cannot both own and review a system: ${both.join(", ")}`,
      });
    }
  });

export type AssignmentsInput = z.input<typeof assignmentsSchema>;

export const dueDateOverrideSchema = z.object({
  dueOn: isoDaySchema("Choose a due date (YYYY-MM-DD)"),
  reason: multiLineText("A reason", "A reason is required")
    .trim()
    .min(1, "Say why the due date changes")
    .max(2000, "A reason has at most 2000 characters"),
  version: versionSchema().optional(),
});

export const clearDueDateOverrideSchema = z.object({
  version: versionSchema().optional(),
});
