// The navigation's "My work" count on every signed-in page, as ONE counting statement: the page's
// full list (lib/data/my-work.ts) is loaded only on /my-work. It counts what getMyWork's `waiting`
// counts — sign-offs waiting for you this round, and your checkpoints sent back with changes
// requested — and an integration test holds the two together.
import "server-only";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { activeSystem } from "@/lib/data/rollup";
import { db } from "@/lib/db";

export const countMyWork = cache(async (actor: Actor): Promise<number> => {
  if (actor.kind !== "user") return 0;
  const [row] = await db().$queryRaw<[{ n: number }]>`
    SELECT count(*)::int AS n
      FROM checkpoint c
      JOIN milestone m ON m.id = c.milestone_id
      JOIN program p ON p.id = m.program_id AND p.active
      JOIN system s ON s.id = c.system_id
      JOIN assignment a ON a.system_id = c.system_id AND a.user_id = ${actor.id}::uuid
     WHERE ${activeSystem("s")}
       AND ((a.kind = 'REVIEWER' AND c.status = 'SUBMITTED'
             AND NOT EXISTS (SELECT 1 FROM review r WHERE r.checkpoint_id = c.id AND r.reviewer_id = a.user_id AND r.round = c.round))
         OR (a.kind = 'OWNER' AND c.status = 'CHANGES_REQUESTED'))`;
  return row.n;
});
