// What the server knows about the request being handled, reachable from any code it runs
// (logs pick up the request id, the API wrapper records the actor). One AsyncLocalStorage per
// process, kept on globalThis: the production server (scripts/serve.ts) and Next's compiled
// route bundles load this module separately and must share the same store.
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext {
  requestId: string;
  /**
   * True only when the production server saw the TCP connection come from a loopback address
   * with no proxy header: a reverse proxy on the same host makes every request look local.
   */
  directLoopback: boolean;
  /** Set by the API wrapper once it knows who is calling. */
  actorId?: string;
  /**
   * Set when one of the request's transactions has committed: a database failure after that
   * (building the answer) must not be reported as "nothing was changed".
   */
  committed?: boolean;
  /**
   * The Idempotency-Key this request claimed: the first transaction to commit marks its record
   * in the same transaction, so an answer lost afterwards never lets the key run the command twice.
   */
  idempotency?: { userId: string; key: string; marked: boolean };
}

const holder = globalThis as unknown as { resetboardRequestContext?: AsyncLocalStorage<RequestContext> };

export const requestContextStorage: AsyncLocalStorage<RequestContext> = (holder.resetboardRequestContext ??=
  new AsyncLocalStorage<RequestContext>());

export function currentRequest(): RequestContext | undefined {
  return requestContextStorage.getStore();
}

/** Notes who is calling, for the request's log line (the API wrapper calls this once it knows). */
export function recordActor(actorId: string): void {
  const context = currentRequest();
  if (context) context.actorId = actorId;
}

/** Notes that a transaction of this request committed (lib/db calls this). */
export function recordCommit(): void {
  const context = currentRequest();
  if (context) context.committed = true;
}
