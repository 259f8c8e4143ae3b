"use server";
// The change gate's forms. Each is a public POST endpoint: it reads the session itself; the
// lib/data command validates, authorizes, decides and audits.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { registerChange, reviewChange, updateChange } from "@/lib/data/change-commands";

const text = (form: FormData, key: string) => formText(form, key) ?? "";
const link = (form: FormData, key: string) => text(form, key).trim() || null;

export async function registerChangeAction(
  _: ActionResult<{ id: string }> | null,
  form: FormData,
): Promise<ActionResult<{ id: string }>> {
  try {
    const change = await registerChange(await actor(), {
      system: text(form, "system").trim(),
      title: text(form, "title"),
      url: text(form, "url").trim(),
      aiAssisted: form.get("aiAssisted") === "on",
      rollbackPlanUrl: link(form, "rollbackPlanUrl"),
      docsUrl: link(form, "docsUrl"),
      coAuthors: text(form, "coAuthors")
        .split(/[\s,]+/)
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    });
    revalidatePath("/changes");
    return {
      ok: true,
      message: `Change registered: ${change.decision.allowed ? "allowed" : "blocked until it is reviewed"}.`,
      data: { id: change.id },
    };
  } catch (error) {
    return actionError(error);
  }
}

export async function reviewChangeAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const decision = text(form, "decision");
  const id = text(form, "changeId");
  try {
    await reviewChange(await actor(), id, {
      decision,
      comment: text(form, "comment"),
      revision: Number(text(form, "revision")) || undefined,
    });
    revalidatePath(`/changes/${id}`);
    revalidatePath("/changes");
    return { ok: true, message: decision === "APPROVE" ? "Approved." : "Changes requested." };
  } catch (error) {
    return actionError(error);
  }
}

export async function updateChangeAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const id = text(form, "changeId");
  try {
    await updateChange(await actor(), id, {
      version: Number(text(form, "version")),
      url: text(form, "url").trim(),
      rollbackPlanUrl: link(form, "rollbackPlanUrl"),
      docsUrl: link(form, "docsUrl"),
    });
    revalidatePath(`/changes/${id}`);
    return { ok: true, message: "Links saved." };
  } catch (error) {
    return actionError(error);
  }
}
