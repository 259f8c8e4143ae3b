import { apiRoute, json } from "@/lib/api/route";
import { updateChange } from "@/lib/data/change-commands";
import { getChange } from "@/lib/data/changes";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => json(await getChange(actor, params.id)));

export const PATCH = apiRoute<{ id: string }>(async ({ actor, params, json: body }) =>
  json(await updateChange(actor, params.id, await body())),
);
