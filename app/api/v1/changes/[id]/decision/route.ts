import { apiRoute, json } from "@/lib/api/route";
import { getChangeDecision } from "@/lib/data/changes";

export const GET = apiRoute<{ id: string }>(
  async ({ actor, params }) => json(await getChangeDecision(actor, params.id)),
  { serviceAccounts: true },
);
