"use server";
// API tokens of the signed-in user: create (the token is returned once) and revoke; and ending
// every one of their browser sessions.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { requireActionActor } from "@/lib/auth/action-actor";
import { signOutEverywhere } from "@/lib/data/sessions";
import { createApiToken, revokeApiToken } from "@/lib/data/tokens";
import { formatDateTime } from "@/lib/format";

export async function createTokenAction(
  _: ActionResult<{ token: string }> | null,
  form: FormData,
): Promise<ActionResult<{ token: string }>> {
  try {
    const actor = await requireActionActor();
    // A signed-in actor is always a user; the token is for themself.
    const userId = actor.kind === "user" ? actor.id : "";
    const days = formText(form, "expiresInDays");
    const expiresInDays =
      days === "never"
        ? null
        : days === undefined || days === ""
          ? undefined
          : /^\d{1,3}$/.test(days)
            ? Number(days)
            : days;
    const { token, apiToken } = await createApiToken(actor, userId, { name: formText(form, "name"), expiresInDays });
    revalidatePath("/settings");
    const expiry = apiToken.expiresAt ? `It expires on ${formatDateTime(apiToken.expiresAt)}.` : "It never expires.";
    return {
      ok: true,
      message: `Created “${apiToken.name}”. ${expiry} Copy it now: it is not shown again.`,
      data: { token },
    };
  } catch (error) {
    return actionError(error, form);
  }
}

export async function revokeTokenAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    await revokeApiToken(await requireActionActor(), formText(form, "tokenId"));
    revalidatePath("/settings");
    return { ok: true, message: "Token revoked." };
  } catch (error) {
    return actionError(error, form);
  }
}

export async function signOutEverywhereAction(_: ActionResult | null): Promise<ActionResult> {
  try {
    await signOutEverywhere(await requireActionActor());
    // This browser's session has ended too; the form then clears its cookie and leaves.
    return { ok: true, message: "Signed out everywhere." };
  } catch (error) {
    return actionError(error);
  }
}
