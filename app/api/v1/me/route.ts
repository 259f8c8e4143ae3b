// Who am I: the caller's user (session or API token), so a script can check which account a
// token acts as. It reads nothing beyond the authentication lookup itself, which also makes it
// the benchmark's framework floor (BENCHMARKS.md): an authenticated dynamic route with one query.
import { apiRoute, json } from "@/lib/api/route";

export const GET = apiRoute(async ({ user }) =>
  json({ email: user.email, name: user.name, role: user.role, seniority: user.seniority }),
);
