// Archive and unarchive (docs/RULES.md rule 15): a lead sets a system aside with a reason; it
// leaves every figure, queue and default listing (lib/data/active-systems.ts) and keeps its
// checkpoints, evidence, reviews and audit history untouched. One transaction, audited.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import { refreshRollups } from "@/lib/data/rollup";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { slugSchema } from "@/lib/data/checkpoints.schema";
import { archiveSchema } from "@/lib/data/system-archive.schema";
import { db } from "@/lib/db";
import { NotFound, RuleViolation, ValidationError } from "@/lib/errors";

export interface ArchiveResult {
  key: string;
  archived: boolean;
  archivedAt: string | null;
  archivedReason: string | null;
}

export function archiveSystem(actor: Actor, rawKey: string, input: unknown): Promise<ArchiveResult> {
  return setArchived(actor, rawKey, input, true);
}

export function unarchiveSystem(actor: Actor, rawKey: string, input: unknown): Promise<ArchiveResult> {
  return setArchived(actor, rawKey, input, false);
}

async function setArchived(actor: Actor, rawKey: string, input: unknown, archive: boolean): Promise<ArchiveResult> {
  await authorize(actor, "system.manage", { type: "system", id: rawKey, systemKey: rawKey });
  const key = slugSchema.safeParse(rawKey);
  if (!key.success) throw new NotFound(`There is no system with the key “${rawKey}”.`);
  const parsed = archiveSchema.safeParse(input ?? {});
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { reason } = parsed.data;
  return db().$transaction(async (tx) => {
    const system = await tx.system.findUnique({ where: { key: key.data }, select: { id: true, archivedAt: true } });
    if (!system) throw new NotFound(`There is no system with the key “${key.data}”.`);
    if (archive === (system.archivedAt !== null))
      throw new RuleViolation(archive ? "This system is already archived." : "This system is not archived.");
    const archivedAt = archive ? new Date() : null;
    // The guard on archived_at makes two racing requests change it once.
    const { count } = await tx.system.updateMany({
      where: { id: system.id, archivedAt: archive ? null : { not: null } },
      data: { archivedAt, archivedReason: archive ? reason : null },
    });
    if (count === 0)
      throw new RuleViolation(archive ? "This system is already archived." : "This system is not archived.");
    // An archived system leaves the figures: its roll-up and tally cells go with it (and come back).
    await refreshRollups(tx, [system.id]);
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: archive ? "system.archive" : "system.unarchive",
      subjectType: "system",
      subjectId: system.id,
      systemKey: key.data,
      data: { key: key.data, reason },
    });
    return {
      key: key.data,
      archived: archive,
      archivedAt: archivedAt?.toISOString() ?? null,
      archivedReason: archive ? reason : null,
    };
  });
}
