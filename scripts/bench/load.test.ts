import { describe, expect, it } from "vitest";
import { loadSeconds } from "./load";

describe("loadSeconds", () => {
  const options = { seconds: 6, maxSeconds: 20, minSamples: 30 };

  it("keeps the fixed window for a fast route", () => {
    expect(loadSeconds(options, 15)).toBe(6);
  });

  it("stretches the window for a slow route, to about minSamples responses", () => {
    expect(loadSeconds(options, 400)).toBe(12);
  });

  it("never beyond the cap", () => {
    expect(loadSeconds(options, 5000)).toBe(20);
  });
});
