// For server actions: the signed-in person as an Actor, or Unauthenticated. A server action is a
// public POST endpoint, so each one asks here itself rather than trusting the page that shows it.
import "server-only";
import { actorOf, getSessionUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/data/actor";
import { Unauthenticated } from "@/lib/errors";

export async function requireActionActor(): Promise<Actor> {
  const user = await getSessionUser();
  if (!user) throw new Unauthenticated("Your session has ended; sign in again.");
  return actorOf(user);
}
