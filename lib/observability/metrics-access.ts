// Who may read GET /api/metrics: a scraper with the metrics token, or a request that reached the
// production server straight from this host. The address comes from the TCP connection as the
// server saw it (request context), never from a header a client could write; a reverse proxy on
// the same host makes its requests carry X-Forwarded-For, and those need the token.
import { timingSafeEqual } from "node:crypto";
import type { RequestContext } from "@/lib/observability/request-context";

export type MetricsAccess = "token" | "loopback" | "denied";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function metricsAccess(
  headers: Headers,
  context: RequestContext | undefined,
  token: string | undefined,
): MetricsAccess {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  if (token && bearer && sameSecret(bearer, token)) return "token";
  if (context?.directLoopback) return "loopback";
  return "denied";
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/, "");
  return plain === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}
