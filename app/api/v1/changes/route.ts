import { apiRoute, json } from "@/lib/api/route";
import { registerChange } from "@/lib/data/change-commands";
import { listChanges } from "@/lib/data/changes";

export const GET = apiRoute(async ({ actor, request }) =>
  json(await listChanges(actor, Object.fromEntries(new URL(request.url).searchParams))),
);

export const POST = apiRoute(async ({ actor, json: body }) => json(await registerChange(actor, await body()), 201), {
  serviceAccounts: true,
});
