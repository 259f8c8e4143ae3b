import { apiRoute, json } from "@/lib/api/route";
import { archiveSystem } from "@/lib/data/system-archive";

export const POST = apiRoute<{ key: string }>(async ({ actor, params, json: body }) =>
  json(await archiveSystem(actor, params.key, await body())),
);
