// Runs before every page and API request: sets a per-request CSP nonce (Next applies it to its
// own scripts) and sends signed-out visitors of pages to the sign-in page. It is a convenience,
// never the authorization: pages, actions and route handlers check access themselves, so a
// request that skips the proxy (x-middleware-subrequest tricks) gains nothing.
import { NextResponse, type NextRequest } from "next/server";
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

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  const signedIn = SESSION_COOKIES.some((name) => request.cookies.has(name));
  const refusal = crossSiteRefusal({ method: request.method, pathname, headers: request.headers, hasSessionCookie: signedIn });
  if (refusal) return refusal;
  if (!isApi && !signedIn && !PUBLIC_PAGES.includes(pathname)) {
    const url = request.nextUrl.clone();
    url.pathname = "/signin";
    url.search = pathname === "/" ? "" : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }

  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Static assets need no nonce and no session.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
