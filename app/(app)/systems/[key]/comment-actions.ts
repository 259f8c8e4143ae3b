"use server";
// Posting to a checkpoint's discussion. A public POST endpoint: it reads the session itself; the
// lib/data command authorizes (owners, reviewers, leads), validates, audits and notifies mentions.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { postComment } from "@/lib/data/comments";

const text = (form: FormData, key: string) => formText(form, key) ?? "";

export async function postCommentAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const key = text(form, "systemKey");
    const posted = await postComment(await actor(), key, text(form, "milestone"), { body: text(form, "body") });
    revalidatePath(`/systems/${key}`);
    const told = posted.mentioned.map((p) => p.name);
    return {
      ok: true,
      message: told.length
        ? `Comment posted; ${told.join(", ")} ${told.length === 1 ? "was" : "were"} notified.`
        : "Comment posted.",
    };
  } catch (error) {
    return actionError(error, form);
  }
}
