import { apiRoute, json } from "@/lib/api/route";
import { createSystem } from "@/lib/data/system-admin";

export const POST = apiRoute(async ({ actor, json: body }) => json(await createSystem(actor, await body()), 201));
