// Anchoring the audit chain's head outside the database, and proving later that the chain still
// holds it (lib/audit/anchor.ts has the format and the reasoning).
import "server-only";
import { checkAnchor, createAnchor, readAnchor, type AnchorCheck, type AuditAnchor } from "@/lib/audit/anchor";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { authorize } from "@/lib/data/authz";
import { verifyAuditChain } from "@/lib/data/audit";
import type { Actor } from "@/lib/data/actor";
import { RuleViolation } from "@/lib/errors";

function anchorKey(): string {
  const key = env().AUDIT_ANCHOR_KEY;
  if (!key)
    throw new RuleViolation(
      "AUDIT_ANCHOR_KEY is not set: audit anchors are signed with it (at least 32 random characters, kept outside the database).",
    );
  return key;
}

/** A signed anchor of the chain's current head. */
export async function anchorAuditHead(actor: Actor): Promise<AuditAnchor> {
  await authorize(actor, "audit.read", { type: "audit_event", id: "chain" });
  const key = anchorKey();
  const head = await db().auditEvent.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true, at: true },
  });
  if (!head) throw new RuleViolation("The audit chain is empty: there is no head to anchor yet.");
  return createAnchor(head, key);
}

/** Whether the current chain verifies and still contains the anchored head. */
export async function verifyAgainstAnchor(
  actor: Actor,
  anchorText: string,
): Promise<AnchorCheck & { events?: number }> {
  const read = readAnchor(anchorText, anchorKey());
  if (!read.ok) return read;
  const chain = await verifyAuditChain(actor);
  const event = await db().auditEvent.findUnique({
    where: { seq: BigInt(read.anchor.seq) },
    select: { seq: true, hash: true },
  });
  return {
    ...checkAnchor(read.anchor, event, chain.ok, chain.ok ? undefined : BigInt(chain.brokenAt)),
    events: chain.events,
  };
}
