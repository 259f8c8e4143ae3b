// Inputs of the checkpoint workflow, validated at the edge (docs/RULES.md, rule 12 and section 10).
import { z } from "zod";
import { isoDaySchema } from "@/lib/validation/date";
import { versionSchema } from "@/lib/validation/number";
import { multiLineText, singleLineText } from "@/lib/validation/text";

export const EVIDENCE_KINDS = [
  "DOC",
  "RUNBOOK",
  "ROLLBACK_TEST",
  "PULL_REQUEST",
  "DASHBOARD",
  "TICKET",
  "OTHER",
] as const;

/** System and milestone keys: the same pattern the database's CHECK constraints hold. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const slugSchema = singleLineText("A key").regex(SLUG_PATTERN, "is not a valid key");

/**
 * Rule 12: only http(s) links, refused rather than repaired: no surrounding or embedded
 * whitespace or control characters (" javascript:" and tab tricks), no other scheme.
 */
export const httpUrlSchema = z
  .string({ error: "A link is required" })
  .max(2048, "A link has at most 2048 characters")
  .superRefine((value, ctx) => {
    if (!value.isWellFormed()) {
      ctx.addIssue({ code: "custom", message: "A link contains a broken character (a lone UTF-16 surrogate)" });
      return;
    }
    const control = [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
    if (control || /\s/.test(value)) {
      ctx.addIssue({ code: "custom", message: "A link cannot contain spaces or control characters" });
      return;
    }
    if (!/^https?:\/\//i.test(value)) {
      ctx.addIssue({ code: "custom", message: "Only http:// and https:// links are accepted" });
      return;
    }
    try {
      const url = new URL(value);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
      if (!url.hostname) throw new Error();
    } catch {
      ctx.addIssue({ code: "custom", message: "This is not a valid web address" });
    }
  })
  // Stored as the parsed form, so the scheme is lower-case as the database's CHECK requires.
  .transform((value) => new URL(value).href);

const version = versionSchema();

export const addEvidenceSchema = z.object({
  url: httpUrlSchema,
  title: singleLineText("A title", "A title is required")
    .trim()
    .min(1, "A title is required")
    .max(200, "A title has at most 200 characters"),
  kind: z.enum(EVIDENCE_KINDS, { error: `kind must be one of ${EVIDENCE_KINDS.join(", ")}` }),
  note: multiLineText("A note").max(2000, "A note has at most 2000 characters").default(""),
  version: version.optional(),
});

export const withdrawEvidenceSchema = z.object({
  reason: multiLineText("A reason").max(2000, "A reason has at most 2000 characters").default(""),
  version: version.optional(),
});

export const submitSchema = z.object({ version });

export const reviewSchema = z
  .object({
    decision: z.enum(["APPROVE", "REQUEST_CHANGES"], { error: "decision must be APPROVE or REQUEST_CHANGES" }),
    comment: multiLineText("A comment").max(4000, "A comment has at most 4000 characters").default(""),
    version,
  })
  .refine((value) => value.decision === "APPROVE" || value.comment.trim().length > 0, {
    message: "Say what needs to change",
    path: ["comment"],
  });

export const waiverSchema = z.object({
  reason: multiLineText("A reason", "A reason is required")
    .trim()
    .min(1, "A reason is required")
    .max(2000, "A reason has at most 2000 characters"),
  expiresOn: isoDaySchema("expiresOn must be a date (YYYY-MM-DD)"),
  version: version.optional(),
});

export const revokeWaiverSchema = z.object({
  reason: multiLineText("A reason", "A reason is required")
    .trim()
    .min(1, "A reason is required")
    .max(2000, "A reason has at most 2000 characters"),
  version,
});

export type AddEvidenceInput = z.input<typeof addEvidenceSchema>;
export type ReviewInput = z.input<typeof reviewSchema>;
