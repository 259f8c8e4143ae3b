import { apiRoute, json } from "@/lib/api/route";
import { getSystemDetail } from "@/lib/data/checkpoints/system-detail";

export const GET = apiRoute<{ key: string }>(async ({ actor, params }) =>
  json(await getSystemDetail(actor, params.key)),
);
