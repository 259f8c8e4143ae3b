"use server";
// API tokens of the signed-in user: create (the token is returned once) and revoke.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { requireActionActor } from "@/lib/auth/action-actor";
import { createApiToken, revokeApiToken } from "@/lib/data/tokens";

export async function createTokenAction(_: ActionResult<{ token: string }> | null, form: FormData): Promise<ActionResult<{ token: string }>> {
  try {
    const actor = await requireActionActor();
    // A signed-in actor is always a user; the token is for themself.
    const userId = actor.kind === "user" ? actor.id : "";
    const { token, apiToken } = await createApiToken(actor, userId, { name: formText(form, "name") });
    revalidatePath("/settings");
    return { ok: true, message: `Created “${apiToken.name}”. Copy it now: it is not shown again.`, data: { token } };
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
