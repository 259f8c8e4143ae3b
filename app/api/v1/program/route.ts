import { apiRoute, json } from "@/lib/api/route";
import { getProgramDetail } from "@/lib/data/program";
import { NotFound } from "@/lib/errors";

export const GET = apiRoute(async ({ actor }) => {
  const program = await getProgramDetail(actor);
  if (!program) throw new NotFound("There is no active program.");
  return json(program);
});
