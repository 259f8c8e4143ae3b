import { problem } from "@/lib/api/problem";
import { renderMetrics } from "@/lib/data/metrics";
import { env } from "@/lib/env";
import { metricsAccess } from "@/lib/observability/metrics-access";
import { currentRequest } from "@/lib/observability/request-context";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  if (metricsAccess(request.headers, currentRequest(), env().METRICS_TOKEN) === "denied") {
    return problem(
      403,
      "Not allowed",
      "Metrics are served to this host's loopback address, or with `Authorization: Bearer <METRICS_TOKEN>`.",
    );
  }
  const { contentType, body } = await renderMetrics();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
