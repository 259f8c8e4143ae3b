import { describe, expect, it } from "vitest";
import { publicPatterns, routePatterns } from "@/lib/observability/route-pattern";
import { requestIdFor, saneRequestId } from "@/lib/observability/request-id";
import { isLoopbackAddress } from "@/lib/observability/metrics-access";

describe("route patterns for metrics labels", () => {
  const patterns = routePatterns(
    publicPatterns({
      "/(app)/dashboard/page": "/(app)/dashboard",
      "/(app)/systems/page": "/(app)/systems",
      "/(app)/systems/[key]/page": "/(app)/systems/[key]",
      "/(app)/systems/new/page": "/(app)/systems/new",
      "/api/v1/systems/[key]/checkpoints/[milestone]/submit/route":
        "/api/v1/systems/[key]/checkpoints/[milestone]/submit",
      "/api/auth/[...nextauth]/route": "/api/auth/[...nextauth]",
      "/_not-found/page": "/_not-found",
      "/(app)/page": "/(app)",
    }),
  );

  it("labels a path by the route that serves it, not by the keys in it", () => {
    expect(patterns.match("/systems/billing-api")).toBe("/systems/[key]");
    expect(patterns.match("/api/v1/systems/billing/checkpoints/rollback/submit")).toBe(
      "/api/v1/systems/[key]/checkpoints/[milestone]/submit",
    );
    expect(patterns.match("/api/auth/callback/oidc")).toBe("/api/auth/[...nextauth]");
    expect(patterns.match("/")).toBe("/");
    expect(patterns.match("/dashboard")).toBe("/dashboard");
  });

  it("prefers a literal segment over a dynamic one", () => {
    expect(patterns.match("/systems/new")).toBe("/systems/new");
  });

  it("puts everything unknown under one label, so a scanner cannot blow up the series", () => {
    expect(patterns.match("/wp-admin/setup.php")).toBe("unmatched");
    expect(patterns.match("/_next/static/chunks/abc.js")).toBe("/_next/static");
  });
});

describe("request ids and addresses", () => {
  it("keeps a plain incoming X-Request-Id and replaces anything else", () => {
    expect(saneRequestId("lb-7f3a9c21")).toBe("lb-7f3a9c21");
    expect(saneRequestId("short")).toBeNull();
    expect(saneRequestId("has space and\nnewline")).toBeNull();
    expect(saneRequestId("x".repeat(129))).toBeNull();
    expect(requestIdFor("<script>alert(1)</script>")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("knows loopback addresses, IPv4-mapped ones included", () => {
    expect(isLoopbackAddress("127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("::1")).toBe(true);
    expect(isLoopbackAddress("10.0.0.5")).toBe(false);
    expect(isLoopbackAddress("::ffff:192.168.1.2")).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });
});
