// Runs before every page and API request: sets a per-request CSP nonce (Next applies it to its
// own scripts) and sends signed-out visitors of pages to the sign-in page. It is a convenience,
// never the authorization: pages, actions and route handlers check access themselves, so a
// request that skips the proxy (x-middleware-subrequest tricks) gains nothing.
import { NextResponse, type NextRequest } from "next/server";
import { requestIdFor } from "@/lib/observability/request-id";
import { crossSiteRefusal } from "@/lib/api/cross-site";

const PUBLIC_PAGES = ["/signin"];
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (progress bars, badges) cannot carry a nonce.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Every response carries X-Request-Id, and the request passes it on to the app's logs. The
 * production server (scripts/serve.ts) assigns it first and this keeps it; under `next start`
 * it is assigned here.
 */
function withRequestId<R extends Response>(response: R, requestId: string): R {
  response.headers.set("X-Request-Id", requestId);
  return response;
}

export function proxy(request: NextRequest) {
  const requestId = requestIdFor(request.headers.get("x-request-id"));
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  const signedIn = SESSION_COOKIES.some((name) => request.cookies.has(name));
  const refusal = crossSiteRefusal({
    method: request.method,
    pathname,
    headers: request.headers,
    hasSessionCookie: signedIn,
  });
  if (refusal) return withRequestId(refusal, requestId);
  if (!isApi && !signedIn && !PUBLIC_PAGES.includes(pathname)) {
    const url = request.nextUrl.clone();
    url.pathname = "/signin";
    url.search = pathname === "/" ? "" : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return withRequestId(NextResponse.redirect(url), requestId);
  }

  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-request-id", requestId);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return withRequestId(response, requestId);
}

export const config = {
  // Static assets (Next's and the icons and manifest in public/) need no nonce and no session:
  // a signed-out browser fetches the icons too.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|favicon.svg|icon-192.png|icon-512.png|apple-touch-icon.png|manifest.webmanifest|robots.txt).*)",
  ],
};
