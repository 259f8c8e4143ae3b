import { openApiDocument } from "@/lib/api/openapi";

// Public on purpose: describing the API reveals nothing a caller could not learn from it.
export function GET() {
  return Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
}
