// The system form's fields as the lib/data commands take them (a checkbox is "on" or absent).
import { formText } from "@/lib/action-result";

export function systemFormInput(form: FormData) {
  return {
    name: formText(form, "name") ?? "",
    team: formText(form, "team") ?? "",
    tier: formText(form, "tier") ?? "",
    aiAssisted: form.get("aiAssisted") === "on" || form.get("aiAssisted") === "true",
    description: formText(form, "description") ?? "",
    repoUrl: formText(form, "repoUrl") ?? "",
    runbookUrl: formText(form, "runbookUrl") ?? "",
  };
}
