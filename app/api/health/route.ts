import { databaseReachable } from "@/lib/data/health";

// Always evaluated per request: a cached health answer would hide an outage.
export const dynamic = "force-dynamic";

export async function GET() {
  const ok = await databaseReachable();
  return Response.json(ok ? { status: "ok", db: "ok" } : { status: "error", db: "unreachable" }, {
    status: ok ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
