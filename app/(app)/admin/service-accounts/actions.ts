"use server";
// Service accounts for deploy pipelines: created and revoked by leads. formAction reads the
// session itself; lib/data authorizes, validates and audits.
import { formText } from "@/lib/action-result";
import { createServiceAccount, revokeServiceAccount } from "@/lib/data/service-accounts";
import { formAction } from "@/lib/form-action";

const list = (form: FormData, key: string) =>
  (formText(form, key) ?? "")
    .split(/[\n,]+/)
    .map((v) => v.trim())
    .filter(Boolean);

const revalidate = ["/admin/service-accounts"];

export const createServiceAccountAction = formAction({
  input: (form) => ({ name: formText(form, "name") ?? "", systems: list(form, "systems"), teams: list(form, "teams") }),
  run: createServiceAccount,
  revalidate,
  success: ({ token, account }) => ({
    message: `Created ${account.name}. Copy its token now: it is shown only once.`,
    data: { token },
  }),
  echoValues: false,
});

export const revokeServiceAccountAction = formAction({
  input: (form) => formText(form, "id"),
  run: revokeServiceAccount,
  revalidate,
  success: () => "Service account revoked; its token no longer works.",
  echoValues: false,
});
