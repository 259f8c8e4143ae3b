// The one session getter (docs/ARCHITECTURE.md, section 3): identity comes from here and nowhere else. A browser session
// or an API token (Authorization: Bearer) names a user, who is then re-checked against the
// database on every request, so deactivation or revocation takes effect at the next request.
import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import type { Actor } from "@/lib/data/actor";
import type { SignedInUser } from "@/lib/data/sign-in";
import { authenticateApiToken } from "@/lib/data/tokens";
import { sessionEnded } from "@/lib/data/sessions";
import { findSessionUser } from "@/lib/data/users";

export type SessionUser = SignedInUser;

/** The signed-in user of this request's browser session, or null. */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = (await getServerSession(authOptions())) as {
    user?: { id?: string };
    authAt?: number;
    sid?: string;
  } | null;
  const id = session?.user?.id;
  if (!id || typeof session.authAt !== "number") return null;
  // A signed-out session's cookie may still be presented (copied, or replayed): refuse it.
  if (typeof session.sid === "string" && (await sessionEnded(session.sid))) return null;
  return findSessionUser(id, session.authAt);
});

/**
 * The user a request acts as: the bearer token's when the request carries one (an invalid
 * token is not silently replaced by a cookie), otherwise the browser session's.
 */
export const getRequestUser = cache(async (): Promise<SessionUser | null> => {
  const authorization = (await headers()).get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ? authenticateApiToken(match[1]) : null;
  }
  return getSessionUser();
});

export function actorOf(user: SessionUser): Actor {
  return { kind: "user", id: user.id, email: user.email, role: user.role, seniority: user.seniority };
}

/** For pages: the signed-in user, or a redirect to the sign-in page. */
export async function requirePageUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/signin");
  return user;
}
