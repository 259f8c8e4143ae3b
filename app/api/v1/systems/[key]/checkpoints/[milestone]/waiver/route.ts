import { apiRoute, json } from "@/lib/api/route";
import { grantWaiver } from "@/lib/data/checkpoints/waivers";

export const POST = apiRoute<{ key: string; milestone: string }>(async ({ actor, params, json: body }) =>
  json(await grantWaiver(actor, params.key, params.milestone, await body()), 201),
);
