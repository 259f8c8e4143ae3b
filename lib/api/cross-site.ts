// Cross-site request refusal, run by the proxy before any route or server action. The session
// cookie is sent by the browser whatever site starts the request, so a write that authenticates
// with it must prove it comes from this app: a same-origin Origin (or, when a browser sends none,
// Sec-Fetch-Site: same-origin), and for the JSON API a JSON content type, which a plain HTML form
// on another site cannot send. Bearer-token requests carry their credential explicitly and are
// not affected. Next refuses cross-origin server actions itself, but by throwing (a 500): this
// answers them with a 403 first.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/**
 * One-click unsubscribe (RFC 8058) authenticates with the signed token in its URL, never with the
 * cookie, and its body is a form (`List-Unsubscribe=One-Click`) by the RFC: the cookie a signed-in
 * browser happens to send proves nothing there and must not turn the confirmation button into a 415.
 */
const TOKEN_AUTHENTICATED = new Set(["/api/v1/notifications/unsubscribe"]);

interface RequestFacts {
  method: string;
  pathname: string;
  headers: Headers;
  hasSessionCookie: boolean;
}

function forbidden(detail: string, status = 403): Response {
  const title = status === 415 ? "Unsupported media type" : "Not allowed";
  const type =
    status === 415
      ? "https://resetboard.dev/problems/unsupported-media-type"
      : "https://resetboard.dev/problems/forbidden";
  return new Response(JSON.stringify({ type, title, status, detail }), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store" },
  });
}

/** The host this request was addressed to, as the browser saw it. */
function requestHost(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || headers.get("host");
}

/** Whether the request demonstrably comes from a page of this app. */
function sameOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return headers.get("sec-fetch-site") === "same-origin";
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    // "null" (sandboxed frames, some redirects) and anything unparsable: not us.
    return false;
  }
  return host !== "" && host === requestHost(headers);
}

/** A 403 (or 415) for a cross-site write riding on the session cookie; null to let it through. */
export function crossSiteRefusal({ method, pathname, headers, hasSessionCookie }: RequestFacts): Response | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const bearer = /^Bearer\s/i.test(headers.get("authorization") ?? "");
  if (pathname.startsWith("/api/v1/")) {
    if (bearer || !hasSessionCookie || TOKEN_AUTHENTICATED.has(pathname)) return null;
    if (!sameOrigin(headers)) {
      return forbidden(
        "A write with the session cookie must come from this app's own pages (same-origin Origin). Scripts use an API token: Authorization: Bearer <token>.",
      );
    }
    const type = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") return forbidden("Send the request body as application/json.", 415);
    return null;
  }
  // A server action: a POST to a page with the Next-Action header.
  if (headers.has("next-action") && headers.has("origin") && !sameOrigin(headers)) {
    return forbidden("This form was submitted from another site; nothing was changed.");
  }
  return null;
}
