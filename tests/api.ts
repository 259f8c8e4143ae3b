// What the integration tests of route handlers, server actions and commands share. The session is
// stood in for, because lib/auth/session.ts reads a signed cookie that a test has none of; each
// file mocks it with
//   vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));
// and then signs someone in with `session.user = …`, or, for requests that run at once as
// different people, `identity.run(user, …)`.
import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import type { SessionUser } from "@/lib/auth/session";

export const session = { user: null as SessionUser | null };
export const identity = new AsyncLocalStorage<SessionUser>();

/** The person `identity.run` gives this async context, else `session.user`. */
const current = async () => identity.getStore() ?? session.user;

export const sessionModule = {
  getSessionUser: current,
  getRequestUser: current,
  requirePageUser: current,
  actorOf: (user: SessionUser) => ({
    kind: "user",
    id: user.id,
    email: user.email,
    role: user.role,
    seniority: user.seniority,
  }),
};

export type Handler = (request: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The handler a route file exports for `method`; `file` is relative to the repository. */
export async function routeHandler(file: string, method: string): Promise<Handler> {
  const handler = ((await import(path.resolve(file))) as Record<string, Handler | undefined>)[method];
  if (!handler) throw new Error(`${file} exports no ${method} handler`);
  return handler;
}
