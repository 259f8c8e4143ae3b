import { apiRoute, json } from "@/lib/api/route";
import { submitCheckpoint } from "@/lib/data/checkpoints/submit";

export const POST = apiRoute<{ key: string; milestone: string }>(async ({ actor, params, json: body }) =>
  json(await submitCheckpoint(actor, params.key, params.milestone, await body())),
);
