// The executive report's figures as CSV (section, figure, value), for spreadsheets and archives.
import { apiRoute } from "@/lib/api/route";
import { getProgress } from "@/lib/data/progress";
import { progressCsvRows } from "@/lib/data/progress-csv";
import { weekOverWeekChange } from "@/lib/data/progress-snapshots";
import { csvResponse, datedFilename, toCsv } from "@/lib/csv/write";
import { NotFound } from "@/lib/errors";

export const GET = apiRoute(async ({ actor }) => {
  const report = await getProgress(actor);
  if (!report) throw new NotFound("There is no active program.");
  const rows = progressCsvRows(report, await weekOverWeekChange(report));
  return csvResponse(
    toCsv(["section", "figure", "value"], rows),
    datedFilename("resetboard-report", new Date(report.asOf)),
  );
});
