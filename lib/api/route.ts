// The wrapper every /api/v1 route handler uses: it resolves who is calling (session or bearer
// token), refuses anonymous calls with 401, parses JSON bodies (malformed → 400), and maps
// refusals to problem+json. Authorization stays with the lib/data command the handler calls.
import { actorOf, getRequestUser, type SessionUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/data/actor";
import { problem, problemFromError } from "@/lib/api/problem";
import { ValidationError } from "@/lib/errors";

export interface ApiContext<P> {
  request: Request;
  user: SessionUser;
  actor: Actor;
  params: P;
  /** The JSON body; a 400 problem when it is missing or malformed. */
  json(): Promise<unknown>;
}

const MAX_BODY_BYTES = 64 * 1024;

export function apiRoute<P = Record<string, string>>(handler: (context: ApiContext<P>) => Promise<Response>) {
  return async (request: Request, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      const user = await getRequestUser();
      if (!user) {
        return problem(401, "Sign-in required", "Sign in, or send an API token as `Authorization: Bearer <token>`.");
      }
      const params = await segment.params;
      return await handler({
        request,
        user,
        actor: actorOf(user),
        params,
        async json() {
          const text = await request.text();
          if (text.length > MAX_BODY_BYTES) throw new ValidationError(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
          try {
            return JSON.parse(text) as unknown;
          } catch {
            throw new ValidationError("The request body is not valid JSON.");
          }
        },
      });
    } catch (error) {
      return problemFromError(error);
    }
  };
}

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
