// The import page's engine: POST a CSV file with mode=preview (a JSON report, nothing written)
// or mode=apply (NDJSON: progress events while the one transaction runs, then the result).
// Not part of the public API; it authorizes itself before reading the file or streaming.
import { problem, problemFromError } from "@/lib/api/problem";
import { actorOf, getSessionUser } from "@/lib/auth/session";
import { assignmentWarnings } from "@/lib/data/assignment-warnings";
import { applyImport, authorizeImport, MAX_IMPORT_BYTES, previewImport } from "@/lib/data/import";

export async function POST(request: Request): Promise<Response> {
  try {
    const user = await getSessionUser();
    if (!user) return problem(401, "Sign-in required", "Your session has ended; sign in again.");
    // Cookies are SameSite=Lax already; a cross-site form post is refused here as well.
    const origin = request.headers.get("origin");
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    // `Origin: null` (a sandboxed or file page) is not a URL, and not this site either.
    const originHost = origin ? (URL.canParse(origin) ? new URL(origin).host : null) : host;
    if (originHost !== host) {
      return problem(403, "Not allowed", "Imports are accepted from this site's own pages only.");
    }
    const actor = actorOf(user);
    await authorizeImport(actor);
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > MAX_IMPORT_BYTES + 64 * 1024)
      return problem(400, "Invalid request", `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
    const form = await request.formData().catch(() => null);
    const file = form?.get("file");
    if (!form || !(file instanceof File))
      return problem(400, "Invalid request", "Choose a CSV file to import.", {
        file: ["Choose a CSV file to import."],
      });
    if (file.size > MAX_IMPORT_BYTES)
      return problem(400, "Invalid request", `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`, {
        file: ["The file is too large."],
      });
    const text = new TextDecoder("utf-8", { fatal: false }).decode(await file.arrayBuffer());
    if (form.get("mode") !== "apply")
      return Response.json(await previewImport(actor, text), { headers: { "Cache-Control": "no-store" } });

    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (event: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        try {
          const report = await applyImport(actor, text, { onProgress: (p) => send({ type: "progress", ...p }) });
          // Rule 14: the milestones of the file's systems that the imported assignments leave
          // without an eligible reviewer, as the assignment form and the bulk assign warn.
          const warnings = report.applied
            ? await assignmentWarnings(
                actor,
                report.plan.map((p) => p.key),
              )
            : [];
          send({ type: "result", report, warnings });
        } catch (error) {
          const response = problemFromError(error);
          const body = (await response.json()) as { detail?: string };
          send({ type: "error", message: body.detail ?? "The import failed; nothing was written." });
        } finally {
          controller.close();
        }
      },
    });
    return new Response(stream, {
      headers: {
        "Content-Type": "application/x-ndjson",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    return problemFromError(error);
  }
}
