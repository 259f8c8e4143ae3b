// Inputs of the change gate, validated at the edge (docs/RULES.md rules 12 and 16).
import { z } from "zod";
import { singleLineText, multiLineText } from "@/lib/validation/text";
import { wholeNumber, wholeNumberParam } from "@/lib/validation/number";
import { httpUrlSchema, slugSchema } from "@/lib/data/checkpoints.schema";
import { emailSchema } from "@/lib/data/users.schema";

const title = singleLineText("A title", "A title is required")
  .trim()
  .min(1, "A title is required")
  .max(200, "A title has at most 200 characters");
const optionalLink = httpUrlSchema.nullable().optional();

export const registerChangeSchema = z.object({
  system: slugSchema,
  title,
  url: httpUrlSchema,
  aiAssisted: z.boolean({ error: "aiAssisted must be true or false" }),
  /** Optional so a pipeline can register early; the gate blocks until there is one. */
  rollbackPlanUrl: optionalLink,
  docsUrl: optionalLink,
  plannedAt: z.iso.datetime({ offset: true, error: "plannedAt must be an ISO date-time" }).optional(),
  coAuthors: z.array(emailSchema).max(10, "At most 10 co-authors").default([]),
  /** Only service accounts name the author; a person registers their own change. */
  author: emailSchema.optional(),
});

export const updateChangeSchema = z
  .object({
    version: wholeNumber("version", { min: 1 }),
    title: title.optional(),
    url: httpUrlSchema.optional(),
    rollbackPlanUrl: optionalLink,
    docsUrl: optionalLink,
  })
  .refine(
    (v) => v.title !== undefined || v.url !== undefined || v.rollbackPlanUrl !== undefined || v.docsUrl !== undefined,
    {
      message: "Send at least one of title, url, rollbackPlanUrl, docsUrl",
      path: ["_"],
    },
  );

export const changeReviewSchema = z
  .object({
    decision: z.enum(["APPROVE", "REQUEST_CHANGES"], { error: "decision must be APPROVE or REQUEST_CHANGES" }),
    comment: multiLineText("A comment").max(4000, "A comment has at most 4000 characters").default(""),
    /** The links revision you reviewed; a 409 when the links changed since. */
    revision: wholeNumber("revision", { min: 1 }).optional(),
  })
  .refine((v) => v.decision === "APPROVE" || v.comment.trim().length > 0, {
    message: "Say what needs to change",
    path: ["comment"],
  });

export const changeOutcomeSchema = z.object({ incidentUrl: httpUrlSchema.optional() });

export const CHANGE_STATUSES = ["blocked", "allowed", "shipped", "rolled_back"] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export const listChangesSchema = z.object({
  system: slugSchema.optional(),
  status: z.enum(CHANGE_STATUSES, { error: `status must be one of ${CHANGE_STATUSES.join(", ")}` }).optional(),
  limit: wholeNumberParam("limit", { min: 1, max: 200 }).default(50),
  /** Paging: the id of the last change of the previous page; the list goes on with older ones. */
  before: z.uuid({ error: "before must be the id of a change" }).optional(),
});

export const changeIdSchema = z.uuid();

export const createServiceAccountSchema = z
  .object({
    name: singleLineText("A name", "A name is required")
      .trim()
      .min(1, "A name is required")
      .max(100, "A name has at most 100 characters"),
    systems: z.array(slugSchema).max(500).default([]),
    teams: z.array(singleLineText("A team").trim().min(1).max(100)).max(100).default([]),
  })
  .refine((v) => v.systems.length + v.teams.length > 0, {
    message: "Scope the account to at least one system or team",
    path: ["systems"],
  });

export type RegisterChangeInput = z.input<typeof registerChangeSchema>;
