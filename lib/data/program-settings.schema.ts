// Inputs of the program settings page (docs/RULES.md, section 2): the active program's name and start
// date, and each milestone's wording, schedule and sign-off policy. The due-day bound depends on
// the program's length, so the schema is built for the program being edited.
import { z } from "zod";
import { Seniority } from "@/lib/generated/prisma/enums";
import { slugSchema } from "@/lib/data/checkpoints.schema";
import { canonicalTimeZone } from "@/lib/domain/time-zone";
import { isoDaySchema } from "@/lib/validation/date";
import { versionSchema } from "@/lib/validation/number";
import { multiLineText, singleLineText } from "@/lib/validation/text";

/** More than five sign-offs on one checkpoint is a process nobody can keep up across 335 systems. */
export const MAX_REQUIRED_APPROVALS = 5;

const longText = (label: string, max: number) =>
  multiLineText(label).trim().max(max, `${label} has at most ${max} characters`);

const text = (label: string, max: number) =>
  singleLineText(label).trim().max(max, `${label} has at most ${max} characters`);

export function programSettingsSchema({ durationDays }: { durationDays: number }) {
  const milestone = z.object({
    key: slugSchema,
    name: text("A name", 200).min(1, "A name is required"),
    description: longText("A description", 2000).default(""),
    dueDay: z
      .number({ error: `The due day must be a whole number from 1 to ${durationDays}` })
      .int(`The due day must be a whole number from 1 to ${durationDays}`)
      .min(1, `The due day must be between 1 and ${durationDays}`)
      .max(durationDays, `The due day must be between 1 and ${durationDays} (the program lasts ${durationDays} days)`),
    requiredApprovals: z
      .number({ error: `Approvals must be a whole number from 1 to ${MAX_REQUIRED_APPROVALS}` })
      .int(`Approvals must be a whole number from 1 to ${MAX_REQUIRED_APPROVALS}`)
      .min(1, "At least one approval is required")
      .max(MAX_REQUIRED_APPROVALS, `At most ${MAX_REQUIRED_APPROVALS} approvals`),
    minReviewerSeniority: z.enum(Seniority, { error: "Choose junior, mid, senior or principal" }),
    evidenceHint: longText("An evidence hint", 2000).default(""),
  });
  return z
    .object({
      version: versionSchema("program"),
      name: text("The program name", 200).min(1, "The program name is required"),
      startsOn: isoDaySchema("The start date must be a date (YYYY-MM-DD)"),
      // The program's wall clock (docs/RULES.md, section 2). Optional: a save without it keeps the
      // stored zone. Stored in its canonical spelling.
      timeZone: text("The time zone", 64)
        .refine(
          (zone) => canonicalTimeZone(zone) !== null,
          "The time zone must be an IANA time zone name such as UTC, Europe/Berlin or America/New_York",
        )
        .transform((zone) => canonicalTimeZone(zone)!)
        .optional(),
      milestones: z.array(milestone).min(1, "The program has milestones to edit"),
    })
    .superRefine((value, ctx) => {
      const seen = new Set<string>();
      value.milestones.forEach((m, index) => {
        if (seen.has(m.key))
          ctx.addIssue({
            code: "custom",
            message: `The milestone ${m.key} is listed twice`,
            path: ["milestones", index, "key"],
          });
        seen.add(m.key);
      });
    });
}

export type ProgramSettingsInput = z.input<ReturnType<typeof programSettingsSchema>>;
export type ProgramSettings = z.output<ReturnType<typeof programSettingsSchema>>;
