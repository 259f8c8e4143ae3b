import { apiRoute, json } from "@/lib/api/route";
import { reviewChange } from "@/lib/data/change-commands";

export const POST = apiRoute<{ id: string }>(async ({ actor, params, json: body }) =>
  json(await reviewChange(actor, params.id, await body()), 201),
);
