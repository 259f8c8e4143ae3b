"use server";
// API tokens of the signed-in user: create (the token is returned once) and revoke.
import { revalidatePath } from "next/cache";
import { actionError, type ActionResult } from "@/lib/action-result";
import { actorOf, getSessionUser } from "@/lib/auth/session";
import { createApiToken, revokeApiToken } from "@/lib/data/tokens";
import { Unauthenticated } from "@/lib/errors";

export async function createTokenAction(_: ActionResult<{ token: string }> | null, form: FormData): Promise<ActionResult<{ token: string }>> {
  try {
    const user = await getSessionUser();
    if (!user) throw new Unauthenticated("Your session has ended; sign in again.");
    const { token, apiToken } = await createApiToken(actorOf(user), user.id, { name: form.get("name") });
    revalidatePath("/settings");
    return { ok: true, message: `Created “${apiToken.name}”. Copy it now: it is not shown again.`, data: { token } };
  } catch (error) {
    return actionError(error);
  }
}

export async function revokeTokenAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const user = await getSessionUser();
    if (!user) throw new Unauthenticated("Your session has ended; sign in again.");
    await revokeApiToken(actorOf(user), form.get("tokenId"));
    revalidatePath("/settings");
    return { ok: true, message: "Token revoked." };
  } catch (error) {
    return actionError(error);
  }
}
