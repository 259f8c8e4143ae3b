// Ending browser sessions on the server. Sessions are signed tokens the server does not store, so
// a sign-out records the session's id (until the token would have expired anyway) and the session
// getter refuses it from the next request on; "Sign out everywhere" moves the user's
// `sessionsValidAfter` forward, which ends every session signed in before it. API tokens are not
// sessions: they stay until revoked or expired.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import { auditActor, type Actor } from "@/lib/data/actor";
import { db } from "@/lib/db";
import { Unauthenticated } from "@/lib/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Sign-out of one session: `sessionId` and `expiresAt` come from the session's own token. */
export async function endSession(userId: string, sessionId: string, expiresAt: Date): Promise<void> {
  if (!UUID.test(sessionId)) return;
  await db().$transaction(async (tx) => {
    // Ended sessions past their expiry are refused by their signature's age anyway.
    await tx.endedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
    if (!user) return;
    await tx.endedSession.upsert({
      where: { id: sessionId },
      create: { id: sessionId, userId, expiresAt },
      update: {},
    });
    await appendAuditEvent(tx, {
      actorId: user.id,
      actorEmail: user.email,
      action: "auth.sign_out",
      subjectType: "user",
      subjectId: user.id,
      data: {},
    });
  });
}

/** Whether this session was signed out. */
export async function sessionEnded(sessionId: string): Promise<boolean> {
  if (!UUID.test(sessionId)) return false;
  return (await db().endedSession.count({ where: { id: sessionId } })) > 0;
}

/** The Settings control: the signed-in person ends every one of their own browser sessions. */
export async function signOutEverywhere(actor: Actor): Promise<void> {
  if (actor.kind !== "user") throw new Unauthenticated("Sign in to end your sessions.");
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { sessionsValidAfter: new Date() } });
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "auth.sign_out_everywhere",
      subjectType: "user",
      subjectId: actor.id,
      data: {},
    });
  });
}
