"use server";
// API tokens of the signed-in user: create (the token is returned once) and revoke; and ending
// every one of their browser sessions.
import { formText } from "@/lib/action-result";
import { signOutEverywhere } from "@/lib/data/sessions";
import { createApiToken, revokeApiToken } from "@/lib/data/tokens";
import { formAction } from "@/lib/form-action";
import { formatDateTime } from "@/lib/format";

/** "never", a whole number of days, or left to the schema to name what is wrong with it. */
function expiresInDays(days: string | undefined) {
  if (days === "never") return null;
  if (days === undefined || days === "") return undefined;
  return /^\d{1,3}$/.test(days) ? Number(days) : days;
}

export const createTokenAction = formAction({
  input: (form) => ({ name: formText(form, "name"), expiresInDays: expiresInDays(formText(form, "expiresInDays")) }),
  // A signed-in actor is always a user; the token is for themself.
  run: (actor, input) => createApiToken(actor, actor.kind === "user" ? actor.id : "", input),
  revalidate: ["/settings"],
  success: ({ token, apiToken }) => {
    const expiry = apiToken.expiresAt ? `It expires on ${formatDateTime(apiToken.expiresAt)}.` : "It never expires.";
    return { message: `Created “${apiToken.name}”. ${expiry} Copy it now: it is not shown again.`, data: { token } };
  },
});

export const revokeTokenAction = formAction({
  input: (form) => formText(form, "tokenId"),
  run: revokeApiToken,
  revalidate: ["/settings"],
  success: () => "Token revoked.",
});

export const signOutEverywhereAction = formAction({
  input: () => undefined,
  run: (actor) => signOutEverywhere(actor),
  // This browser's session has ended too; the form then clears its cookie and leaves.
  success: () => "Signed out everywhere.",
  echoValues: false,
});
