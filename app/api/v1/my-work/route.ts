// The caller's work in the groups My work shows: needs you now, waiting on others, later.
import { apiRoute, json } from "@/lib/api/route";
import { getMyWork } from "@/lib/data/my-work";

export const GET = apiRoute(async ({ actor }) => json(await getMyWork(actor)));
