// Where to send someone after sign-in, or wherever a callback URL comes from a link: only a path
// of this app. The target is resolved the way a browser would resolve it (backslashes count as
// slashes, tabs and line breaks are dropped), so "/\evil.example", "/%09/evil.example" and
// "//evil.example" all count as other sites and fall back to the home page. The result is
// URL-serialised, so it never carries a control character into a Location header.
const BASE = "https://app.invalid";

/** A same-origin path (with query and fragment) for `target`, or "/" when it leads elsewhere. */
export function safeRedirectPath(target: unknown, origin: string = BASE): string {
  if (typeof target !== "string" || target.trim() === "") return "/";
  let base: URL;
  let resolved: URL;
  try {
    base = new URL(origin);
    resolved = new URL(target, base);
  } catch {
    return "/";
  }
  if (resolved.origin !== base.origin) return "/";
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // A path that a browser would read as protocol-relative once more ("//x" after normalising).
  return path.startsWith("//") || path.startsWith("/\\") ? "/" : path;
}

/** For next-auth's redirect callback: an absolute URL on `baseUrl`, never another site. */
export function safeRedirectUrl(target: string, baseUrl: string): string {
  const origin = new URL(baseUrl).origin;
  return `${origin}${safeRedirectPath(target, origin)}`;
}
