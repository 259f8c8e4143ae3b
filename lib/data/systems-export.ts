// The registry's CSV exports, built from the same reads as the table so that an export holds
// exactly what the view shows (every matching row, not just the page).
import "server-only";
import type { Actor } from "@/lib/data/actor";
import { listAllSystems, programExportRows } from "@/lib/data/systems";
import type { ListSystemsInput } from "@/lib/data/systems.schema";
import { toCsv } from "@/lib/csv/write";

const names = (people: { name: string; email: string }[]) => people.map((p) => `${p.name} <${p.email}>`).join("; ");

export const SYSTEMS_CSV_HEADER = [
  "key",
  "name",
  "team",
  "tier",
  "ai_assisted",
  "owners",
  "reviewers",
  "approved",
  "waived",
  "total",
  "current_milestone",
  "next_due_milestone",
  "next_due_on",
  "health",
  "last_activity",
] as const;

export async function systemsCsv(actor: Actor, input: ListSystemsInput): Promise<string> {
  const items = await listAllSystems(actor, input);
  return toCsv(
    SYSTEMS_CSV_HEADER,
    items.map((s) => [
      s.key,
      s.name,
      s.team,
      s.tier,
      s.aiAssisted,
      names(s.owners),
      names(s.reviewers),
      s.progress.approved,
      s.progress.waived,
      s.progress.total,
      s.currentMilestone?.key ?? "",
      s.nextDue?.milestone ?? "",
      s.nextDue?.dueOn ?? "",
      s.health,
      s.lastActivity ?? "",
    ]),
  );
}

export async function programCsv(actor: Actor): Promise<string> {
  const rows = await programExportRows(actor);
  return toCsv(
    [
      "system_key",
      "system_name",
      "team",
      "tier",
      "milestone",
      "milestone_name",
      "status",
      "due_on",
      "waived_until",
      "approvers",
      "approver_emails",
    ],
    rows.map((r) => [
      r.systemKey,
      r.systemName,
      r.team,
      r.tier,
      r.milestone,
      r.milestoneName,
      r.status,
      r.dueOn,
      r.waivedUntil ?? "",
      r.approvers.map((a) => a.name).join("; "),
      r.approvers.map((a) => a.email).join("; "),
    ]),
  );
}
