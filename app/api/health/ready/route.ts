import { readiness } from "@/lib/data/health";

// Readiness, beside liveness (/api/health): a load balancer sends traffic only once this is 200.
export const dynamic = "force-dynamic";

export async function GET() {
  const result = await readiness();
  const body = result.ready
    ? { status: "ready", db: "ok", migrations: "current" }
    : result.db === "unreachable"
      ? { status: "not-ready", db: "unreachable" }
      : { status: "not-ready", db: "ok", migrations: "pending", pending: result.pending };
  return Response.json(body, { status: result.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
