import { describe, expect, it } from "vitest";
import { scriptUrls } from "./first-load-js";

describe("scriptUrls", () => {
  const base = "http://127.0.0.1:3000";

  it("collects script sources and script preloads once each, same origin only", () => {
    const html = `<!DOCTYPE html><html><head>
      <link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/webpack-1.js"/>
      <link rel="stylesheet" href="/_next/static/css/app.css"/>
      <link rel="preload" as="font" href="/font.woff2"/>
      <script src="/_next/static/chunks/main-app.js?v=1&amp;x=2" async=""></script>
      <script nonce="abc">self.__next_f.push([1,"inline"])</script>
      <script src="https://cdn.example.com/analytics.js"></script>
      <script src="/_next/static/chunks/polyfills.js" noModule=""></script>
      </head><body><script src="/_next/static/chunks/webpack-1.js" async=""></script></body></html>`;
    expect(scriptUrls(html, base)).toEqual([
      "/_next/static/chunks/main-app.js?v=1&x=2",
      "/_next/static/chunks/webpack-1.js",
    ]);
  });

  it("is empty for a page without scripts", () => {
    expect(scriptUrls("<html><body>Hello</body></html>", base)).toEqual([]);
  });
});
