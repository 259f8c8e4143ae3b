// GET /api/v1/audit/verify: walks the whole hash chain and names the first broken event.
import { apiRoute, json } from "@/lib/api/route";
import { verifyAuditChain } from "@/lib/data/audit";

export const GET = apiRoute(async ({ actor }) => json(await verifyAuditChain(actor)));
