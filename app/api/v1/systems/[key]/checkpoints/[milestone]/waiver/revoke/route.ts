import { apiRoute, json } from "@/lib/api/route";
import { revokeWaiver } from "@/lib/data/checkpoints/waivers";

export const POST = apiRoute<{ key: string; milestone: string }>(async ({ actor, params, json: body }) =>
  json(await revokeWaiver(actor, params.key, params.milestone, await body())),
);
