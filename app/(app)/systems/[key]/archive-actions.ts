"use server";
// Archive and unarchive from the system page (leads). Public POST endpoints: formAction reads the
// session itself; the lib/data command authorizes, validates and audits.
import { formText } from "@/lib/action-result";
import { archiveSystem, unarchiveSystem } from "@/lib/data/system-archive";
import { formAction } from "@/lib/form-action";

const archiveAction = (command: typeof archiveSystem, message: string) =>
  formAction({
    input: (form) => ({ key: formText(form, "systemKey") ?? "", reason: formText(form, "reason") ?? "" }),
    run: (actor, { key, reason }) => command(actor, key, { reason }),
    revalidate: (_, { key }) => [`/systems/${key}`, "/systems"],
    success: () => message,
    echoValues: false,
  });

export const archiveSystemAction = archiveAction(
  archiveSystem,
  "System archived: it has left the figures, queues and default listings.",
);

export const unarchiveSystemAction = archiveAction(
  unarchiveSystem,
  "System restored to the figures, queues and listings.",
);
