import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { evidenceDigest } from "@/lib/domain/evidence-digest";

const a = "0b7a5d2e-4c1f-4a8e-9d3b-1f2e3d4c5b6a";
const b = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const c = "f47ac10b-58cc-4372-a567-0e02b2c3d479";

describe("evidenceDigest", () => {
  it("is the sha256 of the sorted ids joined by newlines", () => {
    const expected = createHash("sha256").update(`${a}\n${b}\n${c}`).digest("hex");
    expect(evidenceDigest([c, a, b])).toBe(expected);
  });

  it("does not depend on order, case or repeated ids", () => {
    const digest = evidenceDigest([a, b]);
    expect(evidenceDigest([b, a])).toBe(digest);
    expect(evidenceDigest([a.toUpperCase(), b])).toBe(digest);
    expect(evidenceDigest([a, b, a])).toBe(digest);
  });

  it("changes when the evidence set changes", () => {
    expect(evidenceDigest([a, b])).not.toBe(evidenceDigest([a]));
    expect(evidenceDigest([a, b])).not.toBe(evidenceDigest([a, c]));
  });

  it("gives a well-formed digest for an empty set", () => {
    expect(evidenceDigest([])).toBe(createHash("sha256").update("").digest("hex"));
    expect(evidenceDigest([a])).toMatch(/^[0-9a-f]{64}$/);
  });
});
