// The people a picker offers as the user types (the registry's owner and reviewer filters, its
// bulk "assign reviewer"): active people (never a service account) assigned to at least one
// system, matched on any part of their name or e-mail. A page used to carry every such person
// in its HTML and again in its React payload (over a thousand at 10,000 systems); now it carries
// none and asks for the few that match.
import "server-only";
import type { Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { parse } from "@/lib/data/parse";
import { peopleSearchSchema } from "@/lib/data/people-search.schema";
import { isPersonSql } from "@/lib/data/people";
import { db } from "@/lib/db";

export interface PersonOption {
  email: string;
  name: string;
}

export async function searchPeople(actor: Actor, input: unknown): Promise<PersonOption[]> {
  await authorize(actor, "system.read", { type: "system", id: "*" });
  const { q, limit } = parse(peopleSearchSchema, input);
  // strpos rather than LIKE: the search is taken literally, `%` and `_` included.
  const needle = q.toLowerCase();
  return db().$queryRaw<PersonOption[]>`
    SELECT u.email, u.name FROM app_user u
     WHERE u.active AND ${isPersonSql("u")} AND EXISTS (SELECT 1 FROM assignment a WHERE a.user_id = u.id)
       AND (${needle} = '' OR strpos(lower(u.name), ${needle}) > 0 OR strpos(lower(u.email), ${needle}) > 0)
     ORDER BY (strpos(lower(u.name), ${needle}) = 1 OR strpos(lower(u.email), ${needle}) = 1) DESC, u.name, u.email
     LIMIT ${limit}`;
}
