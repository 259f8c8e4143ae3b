"use server";
// A lead's due-date override of one checkpoint, and clearing it. Public POST endpoints: formAction
// reads the session itself; the lib/data command authorizes (leads only), validates and audits.
import { formText } from "@/lib/action-result";
import { clearDueDateOverride, overrideDueDate } from "@/lib/data/checkpoints/due-date";
import { formAction } from "@/lib/form-action";
import { formatShortDay } from "@/lib/format";

const text = (form: FormData, key: string) => formText(form, key) ?? "";
const version = (form: FormData) => Number(text(form, "version")) || undefined;

export const overrideDueDateAction = formAction({
  input: (form) => ({
    key: text(form, "systemKey"),
    milestone: text(form, "milestone"),
    override: { dueOn: text(form, "dueOn"), reason: text(form, "reason"), version: version(form) },
  }),
  run: (actor, { key, milestone, override }) => overrideDueDate(actor, key, milestone, override),
  revalidate: (_, { key }) => [`/systems/${key}`],
  success: (result) =>
    `Due date set to ${formatShortDay(result.dueOn)}; the reason shows on the milestone and is kept in the audit trail.`,
});

export const clearDueDateOverrideAction = formAction({
  input: (form) => ({ key: text(form, "systemKey"), milestone: text(form, "milestone"), version: version(form) }),
  run: (actor, { key, milestone, version }) => clearDueDateOverride(actor, key, milestone, { version }),
  revalidate: (_, { key }) => [`/systems/${key}`],
  success: (result) => `Due date back to the program's ${formatShortDay(result.dueOn)}.`,
});
