// Maps a request path to the app route that serves it ("/api/v1/systems/[key]"), so that metrics
// are labelled by a bounded set of patterns rather than by every system key a client sends.
// The patterns come from Next's build (app-path-routes-manifest.json).

export interface RoutePatterns {
  match(pathname: string): string;
}

interface Compiled {
  pattern: string;
  regex: RegExp;
  /** More literal segments win over dynamic ones ("/systems/new" before "/systems/[key]"). */
  score: number;
}

function compile(pattern: string): Compiled {
  const segments = pattern.split("/").filter(Boolean);
  let score = 0;
  const parts = segments.map((segment) => {
    if (/^\[\[\.\.\..+\]\]$/.test(segment)) return "(?:/.*)?";
    if (/^\[\.\.\..+\]$/.test(segment)) return "/.+";
    if (/^\[.+\]$/.test(segment)) return "/[^/]+";
    score += 1;
    return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
  });
  return { pattern, regex: new RegExp(`^${parts.join("") || "/"}/?$`), score };
}

/** `patterns` are public paths such as "/", "/systems/[key]", "/api/health". */
export function routePatterns(patterns: Iterable<string>): RoutePatterns {
  const compiled = [...new Set(patterns)]
    .map(compile)
    .sort((a, b) => b.score - a.score || a.pattern.localeCompare(b.pattern));
  return {
    match(pathname) {
      if (pathname.startsWith("/_next/static/")) return "/_next/static";
      if (pathname.startsWith("/_next/")) return "/_next";
      return compiled.find((entry) => entry.regex.test(pathname))?.pattern ?? "unmatched";
    },
  };
}

/**
 * Public paths from the manifest's values: route groups "(app)" are not part of the URL, and
 * Next's own entries (_not-found, _global-error) are not routes a client asks for.
 */
export function publicPatterns(manifest: Record<string, string>): string[] {
  return Object.values(manifest)
    .map((route) => route.replace(/\/\([^/)]+\)/g, "") || "/")
    .filter((route) => !/\/_[a-z-]+/.test(route));
}
