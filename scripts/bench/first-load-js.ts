// First-load JavaScript of a route: the script files its server-rendered HTML references, summed
// raw and gzipped, the way a first visit with an empty cache downloads them. Compared with an
// empty page's (the sign-in page), it shows what each route adds on top of the framework.
import { gzipSync } from "node:zlib";

/** The same-origin script URLs a modern browser loads for a document: <script src> (not nomodule) and script preloads. */
export function scriptUrls(html: string, base: string): string[] {
  const urls = new Set<string>();
  const add = (src: string) => {
    const url = new URL(src.replaceAll("&amp;", "&"), base);
    if (url.origin === new URL(base).origin) urls.add(url.pathname + url.search);
  };
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    // Polyfills for browsers without modules: a modern browser neither downloads nor runs them.
    if (/\snomodule\b/i.test(tag)) continue;
    const src = /\ssrc="([^"]+)"/i.exec(tag)?.[1];
    if (src) add(src);
  }
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    if (/\bas="script"/i.test(tag) && /\brel="(?:preload|modulepreload)"/i.test(tag)) {
      const href = /\shref="([^"]+)"/i.exec(tag)?.[1];
      if (href) add(href);
    }
  }
  return [...urls].sort();
}

export interface JsWeight {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

const sizeCache = new Map<string, { raw: number; gzip: number }>();

/** Fetches the route's HTML with the session and sums the sizes of the scripts it references. */
export async function firstLoadJs(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
): Promise<JsWeight & { status: number }> {
  const response = await fetch(baseUrl + path, { headers, redirect: "manual" });
  const html = await response.text();
  const urls = scriptUrls(html, baseUrl);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const url of urls) {
    let size = sizeCache.get(url);
    if (!size) {
      const body = Buffer.from(await (await fetch(baseUrl + url)).arrayBuffer());
      size = { raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
      sizeCache.set(url, size);
    }
    rawBytes += size.raw;
    gzipBytes += size.gzip;
  }
  return { status: response.status, files: urls.length, rawBytes, gzipBytes };
}
