// The client address for the per-IP sign-in limit. With no trusted proxy (TRUSTED_PROXY_HOPS=0)
// it is the connection's own address: X-Forwarded-For is written by the client, so rotating it
// would defeat the limit. Behind N proxies we trust, each appends the address it received from,
// so the N-th entry from the right is the one the outermost trusted proxy saw.
import { PEER_ADDRESS_HEADER } from "@/lib/auth/peer-address";

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string {
  const raw = headers instanceof Headers ? headers.get(name) : headers[name];
  return Array.isArray(raw) ? raw.join(",") : (raw ?? "");
}

export function clientIp(headers: HeaderBag, trustedHops: number): string {
  const peer = header(headers, PEER_ADDRESS_HEADER).trim();
  if (trustedHops <= 0) return (peer || "unknown").slice(0, 64);
  const hops = header(headers, "x-forwarded-for")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  // Fewer entries than trusted proxies: the request skipped some of them; the nearest we know.
  const index = hops.length - trustedHops;
  return ((index >= 0 ? hops[index] : hops[0]) || peer || "unknown").slice(0, 64);
}
