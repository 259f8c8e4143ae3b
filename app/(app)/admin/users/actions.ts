"use server";
// Server actions of the users admin. Each is a public POST endpoint: it reads the session itself
// and the lib/data command authorizes (leads only) and audits.
import { revalidatePath } from "next/cache";
import { actionError, formText as text, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { revokeApiToken } from "@/lib/data/tokens";
import { createUser, setUserActive, transferAssignments, updateUser, type TransferResult } from "@/lib/data/users";

export async function createUserAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const password = text(form, "password");
    const user = await createUser(await actor(), {
      email: text(form, "email") ?? "",
      name: text(form, "name") ?? "",
      role: text(form, "role") as "LEAD",
      seniority: text(form, "seniority") as "MID",
      password: password ? password : undefined,
    });
    revalidatePath("/admin/users");
    return { ok: true, message: `Added ${user.name} (${user.email}).` };
  } catch (error) {
    return actionError(error, form);
  }
}

export async function updateUserAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const user = await updateUser(await actor(), {
      userId: text(form, "userId"),
      name: text(form, "name"),
      role: text(form, "role"),
      seniority: text(form, "seniority"),
    });
    revalidatePath("/admin/users");
    return { ok: true, message: `Saved ${user.name}.` };
  } catch (error) {
    return actionError(error, form);
  }
}

export async function setUserActiveAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const user = await setUserActive(await actor(), {
      userId: text(form, "userId"),
      active: text(form, "active") === "true",
    });
    revalidatePath("/admin/users");
    return {
      ok: true,
      message: user.active ? `${user.name} is active again.` : `${user.name} is deactivated and signed out.`,
    };
  } catch (error) {
    return actionError(error, form);
  }
}

export async function transferAssignmentsAction(
  _: ActionResult<TransferResult> | null,
  form: FormData,
): Promise<ActionResult<TransferResult>> {
  try {
    const result = await transferAssignments(await actor(), {
      fromUserId: text(form, "fromUserId"),
      toUserId: text(form, "toUserId"),
    });
    revalidatePath("/admin/users");
    const parts = [`Moved ${result.moved} assignment${result.moved === 1 ? "" : "s"}`];
    if (result.merged.length) parts.push(`${result.merged.length} already held`);
    if (result.skipped.length) parts.push(`${result.skipped.length} left in place`);
    return { ok: true, message: `${parts.join(", ")}.`, data: result };
  } catch (error) {
    return actionError(error, form);
  }
}

export async function revokeAnyTokenAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    await revokeApiToken(await actor(), text(form, "tokenId"));
    revalidatePath("/admin/users");
    return { ok: true, message: "Token revoked." };
  } catch (error) {
    return actionError(error, form);
  }
}
