import { apiRoute, json } from "@/lib/api/route";
import { recordChangeOutcome } from "@/lib/data/change-commands";

export const POST = apiRoute<{ id: string }>(
  async ({ actor, params, json: body }) =>
    json(await recordChangeOutcome(actor, params.id, "ROLLED_BACK", await body({ optional: true })), 201),
  { serviceAccounts: true },
);
