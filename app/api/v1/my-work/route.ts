// The caller's work in the groups My work shows: needs you now, waiting on others, later; for a
// lead also the lead's queue, as My work and the dashboard's strip show it.
import { apiRoute, json } from "@/lib/api/route";
import { can } from "@/lib/domain/permissions";
import { getLeadQueue } from "@/lib/data/lead-queue";
import { getMyWork } from "@/lib/data/my-work";

export const GET = apiRoute(async ({ actor }) => {
  const [work, leadQueue] = await Promise.all([
    getMyWork(actor),
    actor.kind === "user" && can(actor, "system.manage") ? getLeadQueue(actor) : null,
  ]);
  return json({ ...work, leadQueue });
});
