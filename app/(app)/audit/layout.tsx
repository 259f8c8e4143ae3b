// The audit section's gate. The page streams behind loading.tsx, and a response that has begun
// streaming can no longer answer 403, so the refusal happens here, before the stream starts. The
// page still authorizes its own reads.
import type { ReactNode } from "react";
import { forbidden } from "next/navigation";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { authorizeAuditRead } from "@/lib/data/audit";
import { Forbidden } from "@/lib/errors";

export default async function AuditLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  try {
    await authorizeAuditRead(actorOf(user));
  } catch (error) {
    if (error instanceof Forbidden) forbidden();
    throw error;
  }
  return children;
}
