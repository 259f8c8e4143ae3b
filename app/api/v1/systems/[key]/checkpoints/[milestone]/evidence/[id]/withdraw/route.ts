import { apiRoute, json } from "@/lib/api/route";
import { withdrawEvidence } from "@/lib/data/checkpoints/evidence";

// The body is optional here: {reason?, version?}.
export const POST = apiRoute<{ key: string; milestone: string; id: string }>(async ({ actor, params, json: body }) =>
  json(await withdrawEvidence(actor, params.key, params.milestone, params.id, (await body({ optional: true })) ?? {})),
);
