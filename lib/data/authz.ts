// Refusals (docs/RULES.md, section 1): deny by default, and every refused attempt is an audit event,
// written in its own transaction so that the refusal is on record while the refused change is not.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import { can, type Action } from "@/lib/domain/permissions";
import { auditActor, type Actor } from "@/lib/data/actor";
import { db } from "@/lib/db";
import type { RefusalCode } from "@/lib/domain/refusal";
import { Forbidden } from "@/lib/errors";

const EXPLANATION: Partial<Record<Action, string>> = {
  "user.manage": "Only a program lead can manage users.",
  "system.manage": "Only a program lead can create or change systems.",
  "assignment.manage": "Only a program lead can change who owns and reviews a system.",
  "program.manage": "Only a program lead can change the program.",
  "token.revoke_any": "Only a program lead can see or revoke other people's tokens.",
  "token.list_all": "Only a program lead can see other people's tokens.",
  "token.revoke": "You can revoke only your own tokens.",
  "token.create": "You can create tokens only for yourself.",
  "audit.read": "The audit log is for program leads and executives.",
};

/** Records the refusal and throws Forbidden with a message that says what the user lacks. */
export async function denied(
  actor: Actor,
  action: Action | string,
  subject: { type: string; id: string; systemKey?: string },
  /** The refusal in the words of the rule that refused, when there is one. */
  message?: string,
  code: RefusalCode = "forbidden",
): Promise<never> {
  await db().$transaction(async (tx) => {
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "authz.denied",
      subjectType: subject.type,
      subjectId: subject.id,
      systemKey: subject.systemKey ?? null,
      data: { attempted: action, role: actor.kind === "user" ? actor.role : "system" },
    });
  });
  throw new Forbidden(message ?? EXPLANATION[action as Action] ?? "You are not allowed to do this.", code);
}

/** Passes when `can` allows; otherwise records the refusal and throws Forbidden. */
export async function authorize(
  actor: Actor,
  action: Action,
  subject: { type: string; id: string; systemKey?: string },
): Promise<void> {
  if (actor.kind === "system") return;
  if (can(actor, action)) return;
  await denied(actor, action, subject);
}
