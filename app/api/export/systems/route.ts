// The current /systems view as CSV: the same URL parameters as the page, every matching row (not
// only the page shown), in the view's order. Any signed-in user may export what they can read.
import { apiRoute } from "@/lib/api/route";
import { systemsCsv } from "@/lib/data/systems-export";
import { queryRecord } from "@/lib/data/systems.schema";
import { csvResponse, datedFilename } from "@/lib/csv/write";

export const GET = apiRoute(async ({ actor, request }) => {
  const csv = await systemsCsv(actor, queryRecord(new URL(request.url).searchParams));
  return csvResponse(csv, datedFilename("systems"));
});
