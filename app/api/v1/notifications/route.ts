// The caller's notifications, newest first; `?unread=true` for the unread ones only.
import { apiRoute, json } from "@/lib/api/route";
import { listNotifications } from "@/lib/data/notifications";

export const GET = apiRoute(async ({ request, actor }) =>
  json(await listNotifications(actor, Object.fromEntries(new URL(request.url).searchParams))),
);
