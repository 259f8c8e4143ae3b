import { apiRoute, json } from "@/lib/api/route";
import { addEvidence } from "@/lib/data/checkpoints/evidence";

export const POST = apiRoute<{ key: string; milestone: string }>(async ({ actor, params, json: body }) =>
  json(await addEvidence(actor, params.key, params.milestone, await body()), 201),
);
