// The navigation's "My work" count on every signed-in page: what the person can act on now
// (docs/RULES.md, rule 14), decided by the eligibility rule in lib/domain — never restated in SQL.
// It is the same cached read as the /my-work page (React `cache`), so that page pays for it once.
import "server-only";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { getMyWork } from "@/lib/data/my-work";

export const countMyWork = cache(async (actor: Actor): Promise<number> => (await getMyWork(actor)).count);
