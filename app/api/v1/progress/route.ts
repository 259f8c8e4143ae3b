import { apiRoute, json } from "@/lib/api/route";
import { getProgress } from "@/lib/data/progress";
import { weekOverWeekChange } from "@/lib/data/progress-snapshots";
import { NotFound } from "@/lib/errors";

export const GET = apiRoute(async ({ actor }) => {
  const report = await getProgress(actor);
  if (!report) throw new NotFound("There is no active program.");
  // A GET writes nothing: the week's snapshot is frozen by the pages, computed here if missing.
  return json({ ...report, weekOverWeek: await weekOverWeekChange(report, new Date(), { freeze: false }) });
});
