// GET /api/v1/systems: the registry, filtered, sorted and paged in Postgres (contracts.md):
// `team`, `tier`, `health` (repeated or comma lists), `owner`, `reviewer` (emails), `milestone`
// with `mstatus`, `q`, `sort`, `dir`, `page`, `pageSize` (at most 200). Bad parameters are a 400.
import { apiRoute, json } from "@/lib/api/route";
import { listSystems } from "@/lib/data/systems";
import { queryRecord } from "@/lib/data/systems.schema";

export const GET = apiRoute(async ({ actor, request }) => {
  const { items, page, pageSize, total } = await listSystems(actor, queryRecord(new URL(request.url).searchParams));
  return json({ items, page, pageSize, total });
});
