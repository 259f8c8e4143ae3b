// Who is acting. Every lib/data command takes one and authorizes it itself: a signed-in user,
// or the operator's CLI and the seed acting as the system (trusted: they hold the database).
import type { Role, Seniority } from "@/lib/generated/prisma/enums";

export type Actor =
  { kind: "system"; label: string } | { kind: "user"; id: string; email: string; role: Role; seniority: Seniority };

export const cliActor = (label = "cli"): Actor => ({ kind: "system", label });

export function auditActor(actor: Actor): { actorId: string | null; actorEmail: string | null } {
  return actor.kind === "user" ? { actorId: actor.id, actorEmail: actor.email } : { actorId: null, actorEmail: null };
}
