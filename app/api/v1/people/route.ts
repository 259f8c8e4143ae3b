// GET /api/v1/people?q=…&limit=…: people assigned to systems whose name or e-mail contains `q`
// (any case), those starting with it first, then by name; at most `limit` (default 20, at most
// 50). What the registry's person pickers suggest as the user types. Bad parameters are a 400.
import { apiRoute, json } from "@/lib/api/route";
import { searchPeople } from "@/lib/data/people-search";

export const GET = apiRoute(async ({ actor, request }) => {
  const params = new URL(request.url).searchParams;
  return json({ items: await searchPeople(actor, Object.fromEntries(params)) });
});
