"use server";
// The program settings page's save. A public POST endpoint like any server action: it reads the
// session itself (formAction); updateProgramSettings authorizes (leads only), validates, checks the version
// and audits.
import { formText } from "@/lib/action-result";
import { updateProgramSettings } from "@/lib/data/program-settings";
import { ValidationError } from "@/lib/errors";
import { formAction } from "@/lib/form-action";

const MILESTONE_FIELD =
  /^milestones\.(\d{1,3})\.(key|name|description|dueDay|requiredApprovals|minReviewerSeniority|evidenceHint)$/;
const NUMBERS = new Set(["dueDay", "requiredApprovals"]);

/** The form's flat fields ("milestones.3.dueDay") as the command's input; numbers stay numbers. */
function settingsInput(form: FormData) {
  const milestones: Record<string, unknown>[] = [];
  for (const [name, value] of form.entries()) {
    const match = MILESTONE_FIELD.exec(name);
    if (!match || typeof value !== "string") continue;
    const [, index, field] = match as unknown as [string, string, string];
    // An empty number field is a missing value, which the schema names, not a zero.
    (milestones[Number(index)] ??= {})[field] = NUMBERS.has(field)
      ? value.trim() === ""
        ? undefined
        : Number(value)
      : value;
  }
  return {
    version: Number(formText(form, "version")),
    name: formText(form, "name"),
    startsOn: formText(form, "startsOn"),
    timeZone: formText(form, "timeZone"),
    milestones: milestones.filter(Boolean),
  };
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

export const saveProgramSettingsAction = formAction({
  input: settingsInput,
  run: updateProgramSettings,
  // Due dates move on every page, so the whole app is revalidated, and only when something changed.
  revalidate: (result) => (result.changed ? [{ layout: "/" }] : []),
  success: (result) => {
    if (!result.changed) return { message: "Nothing changed, so nothing was saved.", data: result };
    const moved =
      result.checkpointsMoved || result.overridesKept
        ? ` ${plural(result.checkpointsMoved, "checkpoint")} moved to the new due dates`
        : "";
    const kept = result.overridesKept ? `; ${plural(result.overridesKept, "overridden due date")} kept as set` : "";
    return { message: `Program settings saved.${moved}${kept}${moved ? "." : ""}`, data: result };
  },
  // Many fields: say how many need attention; each is marked at its field.
  refusal: (error) => {
    if (!(error instanceof ValidationError) || !Object.keys(error.errors).length) return undefined;
    const fields = Object.keys(error.errors).length;
    return {
      ok: false,
      message: `Nothing was saved: ${plural(fields, "field")} need${fields === 1 ? "s" : ""} attention (marked below).`,
      errors: error.errors,
    };
  },
});
