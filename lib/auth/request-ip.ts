// The client address for the per-IP sign-in limit. X-Forwarded-For is written by the client
// unless a proxy we trust appends to it, so we read the entry our nearest trusted proxy added.
export function clientIp(headers: Headers | Record<string, string | string[] | undefined>, trustedHops: number): string {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  const hops = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (hops.length === 0) return "unknown";
  // With no trusted proxy the last entry is whatever the client (or Next itself) put there.
  const index = Math.max(0, hops.length - Math.max(1, trustedHops));
  return (hops[index] ?? "unknown").slice(0, 64);
}
