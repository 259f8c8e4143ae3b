// Marks the caller's notifications read: `{"ids":[...]}` or `{"all":true}`.
import { apiRoute, json } from "@/lib/api/route";
import { markNotificationsRead } from "@/lib/data/notifications";

export const POST = apiRoute(async ({ actor, json: body }) => json(await markNotificationsRead(actor, await body())));
