// PUT /api/v1/systems/{key}/assignments (leads): replaces owners and reviewers. The assignments
// version the caller saw comes in the body (`version`) or as If-Match; without either it is a 428.
import { apiRoute, json } from "@/lib/api/route";
import { setAssignments } from "@/lib/data/system-admin";

export const PUT = apiRoute<{ key: string }>(async ({ actor, params, request, json: body }) =>
  json(await setAssignments(actor, params.key, await body(), request.headers.get("if-match"))),
);
