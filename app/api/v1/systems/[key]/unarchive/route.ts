import { apiRoute, json } from "@/lib/api/route";
import { unarchiveSystem } from "@/lib/data/system-archive";

export const POST = apiRoute<{ key: string }>(async ({ actor, params, json: body }) =>
  json(await unarchiveSystem(actor, params.key, await body())),
);
