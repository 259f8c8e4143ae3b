"use server";
// Editing a system and its assignments. Each is a public POST endpoint: formAction reads the
// session itself and the lib/data command authorizes (leads only), validates, checks the version
// and audits.
import { formText } from "@/lib/action-result";
import { setAssignments, updateSystem } from "@/lib/data/system-admin";
import { formAction } from "@/lib/form-action";
import { systemFormInput } from "@/lib/system-form-input";

export const updateSystemAction = formAction<
  { key: string; fields: Parameters<typeof updateSystem>[2] },
  Awaited<ReturnType<typeof updateSystem>>,
  { key: string; updatedAt?: string }
>({
  input: (form) => ({
    key: formText(form, "key") ?? "",
    fields: { ...systemFormInput(form), expectedUpdatedAt: formText(form, "expectedUpdatedAt") ?? "" },
  }),
  run: (actor, { key, fields }) => updateSystem(actor, key, fields),
  revalidate: (system) => [`/systems/${system.key}`],
  success: (system) => ({ message: "Saved.", data: { key: system.key, updatedAt: system.updatedAt } }),
});

const emails = (form: FormData, name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");

export const setAssignmentsAction = formAction({
  input: (form) => ({
    key: formText(form, "systemKey") ?? "",
    assignments: {
      owners: emails(form, "owners"),
      reviewers: emails(form, "reviewers"),
      version: Number(formText(form, "version")) || undefined,
      reason: formText(form, "reason"),
    },
  }),
  run: (actor, { key, assignments }) => setAssignments(actor, key, assignments),
  revalidate: (_, { key }) => [`/systems/${key}`],
  success: ({ warnings }) =>
    warnings.length
      ? `Assignments saved, but ${warnings.length} milestone${warnings.length === 1 ? " has" : "s have"} no eligible reviewer — ${warnings.join(" ")}`
      : "Assignments saved.",
});
