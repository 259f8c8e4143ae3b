import { apiRoute, json } from "@/lib/api/route";
import { setAssignments } from "@/lib/data/system-admin";

export const PUT = apiRoute<{ key: string }>(async ({ actor, params, json: body }) => json(await setAssignments(actor, params.key, await body())));
