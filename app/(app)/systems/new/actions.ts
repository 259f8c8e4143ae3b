"use server";
// Creating a system from /systems/new. A public POST endpoint: formAction reads the session itself
// and the lib/data command authorizes (leads only), validates and audits.
import { createSystem } from "@/lib/data/system-admin";
import { formAction } from "@/lib/form-action";
import { systemFormInput } from "@/lib/system-form-input";

export const createSystemAction = formAction({
  input: (form) => ({ key: form.get("key"), ...systemFormInput(form) }),
  run: createSystem,
  revalidate: ["/systems"],
  success: (system) => ({ message: `Created ${system.name}.`, data: { key: system.key } }),
});
