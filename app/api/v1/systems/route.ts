// GET /api/v1/systems: the registry, filtered, sorted and paged in Postgres:
// `team`, `tier`, `health` (repeated or comma lists), `owner`, `reviewer` (emails), `milestone`
// with `mstatus`, `q`, `sort`, `dir`, `page`, `pageSize` (at most 200). Bad parameters are a 400.
// POST /api/v1/systems (leads): a new system with a checkpoint for every milestone.
import { apiRoute, json } from "@/lib/api/route";
import { createSystem } from "@/lib/data/system-admin";
import { listSystems } from "@/lib/data/systems";
import { queryRecord } from "@/lib/data/systems.schema";

export const GET = apiRoute(async ({ actor, request }) => {
  const { items, page, pageSize, total } = await listSystems(actor, queryRecord(new URL(request.url).searchParams));
  return json({ items, page, pageSize, total });
});

export const POST = apiRoute(async ({ actor, json: body }) => json(await createSystem(actor, await body()), 201));
