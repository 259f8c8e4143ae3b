import { apiRoute, json } from "@/lib/api/route";
import { reviewCheckpoint } from "@/lib/data/checkpoints/review";

export const POST = apiRoute<{ key: string; milestone: string }>(async ({ actor, params, json: body }) =>
  json(await reviewCheckpoint(actor, params.key, params.milestone, await body()), 201),
);
