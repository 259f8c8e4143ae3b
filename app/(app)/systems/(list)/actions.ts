"use server";
// Bulk actions of the systems registry. Each is a public POST endpoint: it reads the session
// itself (formAction), and the lib/data command authorizes (leads only; deny by default) and audits.
import { formText as text } from "@/lib/action-result";
import { tierLabel } from "@/components/tier-label";
import { warningSentence } from "@/lib/data/assignment-warnings";
import { bulkAssignReviewer, bulkSetTeam, bulkSetTier, type BulkResult } from "@/lib/data/systems-bulk";
import { formAction } from "@/lib/form-action";

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

const revalidate = ["/systems"];

export const bulkAssignReviewerAction = formAction({
  input: (form) => ({ systems: systemsOf(form), reviewer: text(form, "reviewer") }),
  run: bulkAssignReviewer,
  revalidate,
  success: (result) => {
    const name = result.reviewer.name;
    const done = summary(`Assigned ${name} to`, result, `where ${name} is an owner`);
    const n = result.warnings.length;
    // The same warning as the single-system assignment form (docs/RULES.md rule 14).
    const message = n
      ? `${done} But ${n} milestone${n === 1 ? " has" : "s have"} no eligible reviewer — ${result.warnings.slice(0, SHOWN).map(warningSentence).join(" ")}${n > SHOWN ? ` And ${n - SHOWN} more.` : ""}`
      : done;
    return { message, data: result as BulkResult };
  },
});

export const bulkSetTeamAction = formAction({
  input: (form) => ({ systems: systemsOf(form), seen: seenOf(form), team: text(form, "team") }),
  run: bulkSetTeam,
  revalidate,
  success: (result) => ({ message: summary(`Moved to ${result.team}:`, result), data: result as BulkResult }),
});

export const bulkSetTierAction = formAction({
  input: (form) => ({ systems: systemsOf(form), seen: seenOf(form), tier: text(form, "tier") }),
  run: bulkSetTier,
  revalidate,
  success: (result) => ({
    message: summary(`Set ${tierLabel(result.tier as "TIER_0")} on`, result),
    data: result as BulkResult,
  }),
});
