// The program settings' gate. The page streams behind loading.tsx, and a response that has begun
// streaming can no longer answer 403, so the refusal (recorded in the audit trail) happens here,
// before the stream starts. The save action authorizes itself again.
import type { ReactNode } from "react";
import { forbidden } from "next/navigation";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { authorizeProgramSettings } from "@/lib/data/program-settings";
import { Forbidden } from "@/lib/errors";

export default async function ProgramSettingsLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  try {
    await authorizeProgramSettings(actorOf(user));
  } catch (error) {
    if (error instanceof Forbidden) forbidden();
    throw error;
  }
  return children;
}
