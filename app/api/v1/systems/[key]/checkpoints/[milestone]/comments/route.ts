import { apiRoute, json } from "@/lib/api/route";
import { listComments, postComment } from "@/lib/data/comments";

export const GET = apiRoute<{ key: string; milestone: string }>(async ({ actor, params }) =>
  json({ items: await listComments(actor, params.key, params.milestone) }),
);

export const POST = apiRoute<{ key: string; milestone: string }>(async ({ actor, params, json: body }) =>
  json(await postComment(actor, params.key, params.milestone, await body()), 201),
);
