"use server";
// Server actions of the users admin. Each is a public POST endpoint: formAction reads the session
// itself and the lib/data command authorizes (leads only) and audits.
import { formText as text } from "@/lib/action-result";
import { revokeApiToken } from "@/lib/data/tokens";
import { createUser, setUserActive, transferAssignments, updateUser, type TransferResult } from "@/lib/data/users";
import { formAction } from "@/lib/form-action";

const revalidate = ["/admin/users"];

export const createUserAction = formAction({
  input: (form) => ({
    email: text(form, "email") ?? "",
    name: text(form, "name") ?? "",
    role: text(form, "role") as "LEAD",
    seniority: text(form, "seniority") as "MID",
    password: text(form, "password") || undefined,
  }),
  run: createUser,
  revalidate,
  success: (user) => `Added ${user.name} (${user.email}).`,
});

export const updateUserAction = formAction({
  input: (form) => ({
    userId: text(form, "userId"),
    name: text(form, "name"),
    role: text(form, "role"),
    seniority: text(form, "seniority"),
  }),
  run: updateUser,
  revalidate,
  success: (user) => `Saved ${user.name}.`,
});

export const setUserActiveAction = formAction({
  input: (form) => ({ userId: text(form, "userId"), active: text(form, "active") === "true" }),
  run: setUserActive,
  revalidate,
  success: (user) => (user.active ? `${user.name} is active again.` : `${user.name} is deactivated and signed out.`),
});

export const transferAssignmentsAction = formAction<unknown, TransferResult, TransferResult>({
  input: (form) => ({ fromUserId: text(form, "fromUserId"), toUserId: text(form, "toUserId") }),
  run: transferAssignments,
  revalidate,
  success: (result) => {
    const parts = [`Moved ${result.moved} assignment${result.moved === 1 ? "" : "s"}`];
    if (result.merged.length) parts.push(`${result.merged.length} already held`);
    if (result.skipped.length) parts.push(`${result.skipped.length} left in place`);
    return { message: `${parts.join(", ")}.`, data: result };
  },
});

export const revokeAnyTokenAction = formAction({
  input: (form) => text(form, "tokenId"),
  run: revokeApiToken,
  revalidate,
  success: () => "Token revoked.",
});
