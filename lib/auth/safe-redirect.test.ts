import { describe, expect, it } from "vitest";
import { safeRedirectPath, safeRedirectUrl } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it("keeps paths of this app with their query and fragment", () => {
    expect(safeRedirectPath("/systems?team=Payments#top")).toBe("/systems?team=Payments#top");
    expect(safeRedirectPath("/systems/ledger-replay")).toBe("/systems/ledger-replay");
    expect(safeRedirectPath("https://app.invalid/audit")).toBe("/audit");
  });

  it("sends every other site, however spelled, to the home page", () => {
    // What a page receives after the query string is decoded: /%5C → /\ and /%09 → a tab.
    for (const target of [
      "/\\evil.example",
      "/\\\\evil.example",
      "/\t/evil.example",
      "//evil.example",
      "https://evil.example/",
      "\\\\evil.example",
      "/\r\n/evil.example",
      " //evil.example",
      "javascript:alert(1)",
      "http:evil.example",
    ]) {
      expect(safeRedirectPath(target), JSON.stringify(target)).toBe("/");
    }
  });

  it("never returns a control character or throws", () => {
    for (const target of ["/a\r\nSet-Cookie: x=1", "/a\u0000b", "/\ud800", "%", "http://[", undefined, 42, ""]) {
      const path = safeRedirectPath(target);
      expect(path.startsWith("/")).toBe(true);
      expect(/[\u0000-\u001f\u007f]/.test(path)).toBe(false);
    }
  });

  it("builds absolute URLs on the app's own origin for next-auth", () => {
    expect(safeRedirectUrl("/systems", "http://localhost:3000")).toBe("http://localhost:3000/systems");
    expect(safeRedirectUrl("https://evil.example/x", "http://localhost:3000")).toBe("http://localhost:3000/");
    expect(safeRedirectUrl("http://localhost:3000/audit?after=1", "http://localhost:3000")).toBe(
      "http://localhost:3000/audit?after=1",
    );
  });
});
