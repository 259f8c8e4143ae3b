// GET /api/v1/audit: the audit events after `after` (a sequence number), oldest first, with the
// filters `system`, `actor` (email), `action` (exact, or a prefix ending in a dot) and `limit`.
import { apiRoute, json } from "@/lib/api/route";
import { listAuditEvents } from "@/lib/data/audit";

export const GET = apiRoute(async ({ actor, request }) => {
  const query = new URL(request.url).searchParams;
  const param = (name: string) => query.get(name) ?? undefined;
  const result = await listAuditEvents(actor, {
    after: param("after"),
    limit: param("limit"),
    system: param("system"),
    actor: param("actor"),
    action: param("action"),
  });
  return json(result);
});
