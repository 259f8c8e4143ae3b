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
  const rendered = await renderMetrics();
  if (!rendered) {
    // A partial sum would read as a drop in every counter; a failed scrape is honest.
    return problem(
      503,
      "Metrics unavailable",
      "The server's processes did not report their counters in time; try again.",
    );
  }
  return new Response(rendered.body, {
    headers: { "Content-Type": rendered.contentType, "Cache-Control": "no-store" },
  });
}
