"use server";
// Service accounts for deploy pipelines: created and revoked by leads. Each action reads the
// session itself; lib/data authorizes, validates and audits.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { createServiceAccount, revokeServiceAccount } from "@/lib/data/service-accounts";

const list = (form: FormData, key: string) =>
  (formText(form, key) ?? "")
    .split(/[\n,]+/)
    .map((v) => v.trim())
    .filter(Boolean);

export async function createServiceAccountAction(
  _: ActionResult<{ token: string }> | null,
  form: FormData,
): Promise<ActionResult<{ token: string }>> {
  try {
    const { token, account } = await createServiceAccount(await actor(), {
      name: formText(form, "name") ?? "",
      systems: list(form, "systems"),
      teams: list(form, "teams"),
    });
    revalidatePath("/admin/service-accounts");
    return {
      ok: true,
      message: `Created ${account.name}. Copy its token now: it is shown only once.`,
      data: { token },
    };
  } catch (error) {
    return actionError(error);
  }
}

export async function revokeServiceAccountAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    await revokeServiceAccount(await actor(), formText(form, "id"));
    revalidatePath("/admin/service-accounts");
    return { ok: true, message: "Service account revoked; its token no longer works." };
  } catch (error) {
    return actionError(error);
  }
}
