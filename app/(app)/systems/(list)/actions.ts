"use server";
// Bulk actions of the systems registry. Each is a public POST endpoint: it reads the session
// itself, and the lib/data command authorizes (leads only; deny by default) and audits.
import { revalidatePath } from "next/cache";
import { actionError, formText as text, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { tierLabel } from "@/components/tier-label";
import { warningSentence } from "@/lib/data/assignment-warnings";
import { bulkAssignReviewer, bulkSetTeam, bulkSetTier, type BulkResult } from "@/lib/data/systems-bulk";

const systemsOf = (form: FormData) => form.getAll("systems").filter((v): v is string => typeof v === "string");
/** "key@updatedAt" pairs: what the page showed, for the optimistic concurrency check. */
const seenOf = (form: FormData) =>
  Object.fromEntries(
    form
      .getAll("seen")
      .filter((v): v is string => typeof v === "string" && v.includes("@"))
      .map((v) => [v.slice(0, v.indexOf("@")), v.slice(v.indexOf("@") + 1)]),
  );
/** Warnings spelled out in the notice; the rest are counted (the registry's filter lists them all). */
const SHOWN = 10;
const count = (n: number) => `${n} system${n === 1 ? "" : "s"}`;

function summary(verb: string, result: BulkResult, skippedWhy?: string): string {
  const parts = [`${verb} ${count(result.changed.length)}`];
  if (result.unchanged.length)
    parts.push(`${count(result.unchanged.length)} already ${result.unchanged.length === 1 ? "was" : "were"}`);
  if (result.skipped.length)
    parts.push(
      `skipped ${result.skipped.length}${skippedWhy ? ` ${skippedWhy}` : ""} (${result.skipped.map((s) => s.systemKey).join(", ")})`,
    );
  return `${parts.join("; ")}.`;
}

export async function bulkAssignReviewerAction(
  _: ActionResult<BulkResult> | null,
  form: FormData,
): Promise<ActionResult<BulkResult>> {
  try {
    const result = await bulkAssignReviewer(await actor(), {
      systems: systemsOf(form),
      reviewer: text(form, "reviewer"),
    });
    revalidatePath("/systems");
    const name = result.reviewer.name;
    const done = summary(`Assigned ${name} to`, result, `where ${name} is an owner`);
    const n = result.warnings.length;
    // The same warning as the single-system assignment form (docs/RULES.md rule 14).
    const message = n
      ? `${done} But ${n} milestone${n === 1 ? " has" : "s have"} no eligible reviewer — ${result.warnings.slice(0, SHOWN).map(warningSentence).join(" ")}${n > SHOWN ? ` And ${n - SHOWN} more.` : ""}`
      : done;
    return { ok: true, message, data: result };
  } catch (error) {
    return actionError(error, form);
  }
}

export async function bulkSetTeamAction(
  _: ActionResult<BulkResult> | null,
  form: FormData,
): Promise<ActionResult<BulkResult>> {
  try {
    const result = await bulkSetTeam(await actor(), {
      systems: systemsOf(form),
      seen: seenOf(form),
      team: text(form, "team"),
    });
    revalidatePath("/systems");
    return { ok: true, message: summary(`Moved to ${result.team}:`, result), data: result };
  } catch (error) {
    return actionError(error, form);
  }
}

export async function bulkSetTierAction(
  _: ActionResult<BulkResult> | null,
  form: FormData,
): Promise<ActionResult<BulkResult>> {
  try {
    const result = await bulkSetTier(await actor(), {
      systems: systemsOf(form),
      seen: seenOf(form),
      tier: text(form, "tier"),
    });
    revalidatePath("/systems");
    return { ok: true, message: summary(`Set ${tierLabel(result.tier as "TIER_0")} on`, result), data: result };
  } catch (error) {
    return actionError(error, form);
  }
}
