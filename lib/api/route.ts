// The wrapper every /api/v1 route handler uses: it resolves who is calling (session or bearer
// token), refuses anonymous calls with 401, parses JSON bodies (malformed → 400), and maps
// refusals to problem+json. Authorization stays with the lib/data command the handler calls.
import { randomUUID } from "node:crypto";
import { actorOf, getRequestUser, type SessionUser } from "@/lib/auth/session";
import { isServiceAccountEmail } from "@/lib/domain/service-account";
import { denied } from "@/lib/data/authz";
import type { Actor } from "@/lib/data/actor";
import { problem, problemFromError } from "@/lib/api/problem";
import { claimIdempotencyKey, requestFingerprint } from "@/lib/data/idempotency";
import { ValidationError } from "@/lib/errors";
import { currentRequest, recordActor, requestContextStorage } from "@/lib/observability/request-context";

export interface ApiContext<P> {
  request: Request;
  user: SessionUser;
  actor: Actor;
  params: P;
  /** The JSON body; a 400 problem when it is malformed (or missing, unless optional). */
  json(options?: { optional?: boolean }): Promise<unknown>;
}

const MAX_BODY_BYTES = 64 * 1024;
// No request of ours nests more than a few levels; a deeply nested body is refused before any
// schema walks it (unknown keys are otherwise stripped, so it could pass as an empty object).
const MAX_JSON_DEPTH = 16;

/** How deeply `value` nests arrays and objects, counted without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

export interface ApiRouteOptions {
  /** The change gate's endpoints accept service-account tokens; every other route refuses them (403, audited). */
  serviceAccounts?: boolean;
}

export function apiRoute<P = Record<string, string>>(
  handler: (context: ApiContext<P>) => Promise<Response>,
  options: ApiRouteOptions = {},
) {
  return async (request: Request, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      const user = await getRequestUser();
      if (!user) {
        return problem(401, "Sign-in required", "Sign in, or send an API token as `Authorization: Bearer <token>`.");
      }
      if (!options.serviceAccounts && isServiceAccountEmail(user.email)) {
        const route = `${request.method} ${new URL(request.url).pathname}`;
        await denied(
          actorOf(user),
          "service_account.route",
          { type: "route", id: route },
          "A service account token may only register changes, record their outcomes and read their decisions.",
        );
      }
      recordActor(user.id);
      const key = request.method === "POST" ? request.headers.get("idempotency-key") : null;
      if (key === null) return await run(user, request, segment);
      if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
        return problem(400, "Invalid request", "Idempotency-Key must be 1 to 200 visible ASCII characters.");
      }
      const path = new URL(request.url).pathname;
      // The handler reads the body later; a clone leaves it unread for that.
      const fingerprint = requestFingerprint(request.method, path, await request.clone().text());
      const claim = await claimIdempotencyKey(user.id, key, request.method, path, fingerprint);
      if (claim.kind === "replay") {
        const { status, body } = claim.response;
        return json(body, status, {
          "Idempotent-Replayed": "true",
          ...(status >= 400 ? { "Content-Type": "application/problem+json" } : {}),
        });
      }
      if (claim.kind === "mismatch") {
        return problem(
          422,
          "Idempotency-Key reused",
          "This Idempotency-Key was already used for another request (a different method, path or body). Use a new key for a new request.",
        );
      }
      if (claim.kind === "in_progress")
        return problem(409, "Conflict", "A request with this Idempotency-Key is still being processed; retry shortly.");
      if (claim.kind === "carried_out")
        return problem(
          409,
          "Already carried out",
          "The first request with this Idempotency-Key was saved, but its answer was lost. Do not send it again: read the resource to see the result.",
          undefined,
          { outcome: "saved", code: "idempotency_carried_out" },
        );
      // The command's transaction marks the claim as it commits (lib/db.ts reads this).
      const idempotency = { userId: user.id, key, marked: false };
      const handle = async () => {
        try {
          const response = await run(user, request, segment);
          const text = await response.clone().text();
          await claim.complete({ status: response.status, body: text ? (JSON.parse(text) as unknown) : null });
          return response;
        } catch (error) {
          // Inside the request's context, which knows whether a transaction already committed.
          return problemFromError(error);
        }
      };
      const context = currentRequest();
      if (context) {
        context.idempotency = idempotency;
        return await handle();
      }
      return await requestContextStorage.run({ requestId: randomUUID(), directLoopback: false, idempotency }, handle);
    } catch (error) {
      return problemFromError(error);
    }
  };

  async function run(user: SessionUser, request: Request, segment: { params: Promise<P> }): Promise<Response> {
    try {
      const params = await segment.params;
      return await handler({
        request,
        user,
        actor: actorOf(user),
        params,
        async json(options) {
          const text = await request.text();
          if (options?.optional && text.trim() === "") return undefined;
          if (text.length > MAX_BODY_BYTES)
            throw new ValidationError(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
          let parsed: unknown;
          try {
            parsed = JSON.parse(text) as unknown;
          } catch {
            throw new ValidationError("The request body is not valid JSON.");
          }
          if (depthOf(parsed) > MAX_JSON_DEPTH)
            throw new ValidationError(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
          return parsed;
        },
      });
    } catch (error) {
      return problemFromError(error);
    }
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}
