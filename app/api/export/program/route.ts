// The whole program for auditors as CSV: every system × milestone with its status, due date and
// the approvals that currently count. Any signed-in user may export what they can read.
import { apiRoute } from "@/lib/api/route";
import { programCsv } from "@/lib/data/systems-export";
import { csvResponse, datedFilename } from "@/lib/csv/write";

export const GET = apiRoute(async ({ actor }) => csvResponse(await programCsv(actor), datedFilename("program-audit")));
