// Query input of the audit log (API query string, the audit page's URL, tests). Sequence numbers
// are bigint in the database and travel as decimal strings, since JSON cannot carry a bigint.
import { z } from "zod";
import { SLUG_PATTERN } from "@/lib/data/checkpoints.schema";
import { emailSchema } from "@/lib/data/users.schema";
import { wholeNumberParam } from "@/lib/validation/number";
import { singleLineText } from "@/lib/validation/text";

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 500;
const MAX_SEQ = 2n ** 63n - 1n;

/** A query-string field left empty (an unfilled filter in a GET form) means "not given". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());

const seqSchema = z.union([z.string(), z.number(), z.bigint()]).transform((value, ctx) => {
  const text = String(value).trim();
  if (!/^\d{1,19}$/.test(text) || BigInt(text) > MAX_SEQ) {
    ctx.addIssue({ code: "custom", message: "must be an event sequence number (a whole number, 0 or more)" });
    return z.NEVER;
  }
  return BigInt(text);
});

// Actions are dotted lowercase names (`review.approve`); one ending in a dot (or `*`) is a prefix.
const ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.|\.\*|\*)?$/;

export type ActionFilter = { exact: string } | { prefix: string };

const filterFields = {
  system: optional(
    singleLineText("The system")
      .trim()
      .toLowerCase()
      .regex(SLUG_PATTERN, "must be a system key (lowercase letters, digits and dashes)"),
  ),
  actor: optional(emailSchema),
  action: optional(
    singleLineText("The action")
      .trim()
      .toLowerCase()
      .max(100, "has at most 100 characters")
      .regex(ACTION, "must be an action such as review.approve, or a prefix ending in a dot such as review.")
      .transform((action): ActionFilter => {
        const prefix = action.endsWith("*") ? action.slice(0, -1) : action.endsWith(".") ? action : null;
        return prefix === null ? { exact: action } : { prefix };
      }),
  ),
};

const limitSchema = (fallback: number) =>
  optional(wholeNumberParam("limit", { min: 1, max: AUDIT_MAX_LIMIT })).transform((limit) => limit ?? fallback);

/** GET /api/v1/audit: the events after `after`, oldest first. */
export const listAuditEventsSchema = z.object({
  ...filterFields,
  after: optional(seqSchema).transform((after) => after ?? 0n),
  limit: limitSchema(AUDIT_DEFAULT_LIMIT),
});

export type ListAuditEventsInput = z.input<typeof listAuditEventsSchema>;

export const AUDIT_PAGE_SIZE = 50;

/** The audit page: newest first, one page before `before` or after `after` (not both). */
export const auditPageSchema = z
  .object({
    ...filterFields,
    before: optional(seqSchema),
    after: optional(seqSchema),
    limit: limitSchema(AUDIT_PAGE_SIZE),
  })
  .refine((input) => input.before === undefined || input.after === undefined, {
    message: "give either before or after, not both",
    path: ["before"],
  });

export type AuditPageInput = z.input<typeof auditPageSchema>;
