// The input of a checkpoint comment (docs/RULES.md, section 7), shared by the API and the form.
import { z } from "zod";
import { COMMENT_MAX_LENGTH } from "@/lib/domain/mentions";
import { multiLineText } from "@/lib/validation/text";

export const commentSchema = z.object({
  body: multiLineText("The comment", "Write a comment")
    .trim()
    .min(1, "Write a comment")
    .max(COMMENT_MAX_LENGTH, `A comment is at most ${COMMENT_MAX_LENGTH} characters`),
});
