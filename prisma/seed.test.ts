// The seed's pure helpers: the generator that makes the demo data repeatable, the ids drawn from
// it, and the slugs that keep system keys unique and valid at any fleet size.
import { describe, expect, it } from "vitest";
import { createRandom, randomUuid, slugify, uniqueSlug } from "@/prisma/seed";

describe("createRandom", () => {
  it("repeats the same sequence for the same seed and differs for another", () => {
    const draw = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 5 }, () => random.uint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it("keeps floats in [0, 1) and integers within their bounds", () => {
    const random = createRandom(7);
    const floats = Array.from({ length: 10_000 }, () => random.next());
    const ints = new Set(Array.from({ length: 1_000 }, () => random.int(2, 4)));
    expect(floats.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(ints).toEqual(new Set([2, 3, 4]));
  });

  it("shuffles into a permutation without touching the input", () => {
    const input = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = createRandom(1).shuffle(input);
    expect(input).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(input);
    expect(shuffled).not.toEqual(input);
  });
});

describe("randomUuid", () => {
  it("makes valid, distinct version-4 UUIDs, the same ones for the same seed", () => {
    const a = createRandom(99);
    const ids = Array.from({ length: 2_000 }, () => randomUuid(a));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const b = createRandom(99);
    expect(Array.from({ length: 3 }, () => randomUuid(b))).toEqual(ids.slice(0, 3));
  });
});

describe("slugify and uniqueSlug", () => {
  it("turns names into the slug form system keys require", () => {
    expect(slugify("Payments Ledger API")).toBe("payments-ledger-api");
    expect(slugify("Fraud & Risk — Ekström's  Rules")).toBe("fraud-risk-ekstrom-s-rules");
    expect(slugify("  Month-end Close ")).toBe("month-end-close");
  });

  it("numbers repeats and stays within 63 characters", () => {
    const taken = new Set<string>();
    expect(uniqueSlug("payments-ledger-api", taken)).toEqual({ slug: "payments-ledger-api", n: 1 });
    expect(uniqueSlug("payments-ledger-api", taken)).toEqual({ slug: "payments-ledger-api-2", n: 2 });
    expect(uniqueSlug("payments-ledger-api", taken)).toEqual({ slug: "payments-ledger-api-3", n: 3 });
    const long = "a".repeat(40) + "-" + "b".repeat(40);
    const keys = Array.from({ length: 120 }, () => uniqueSlug(long, taken).slug);
    expect(new Set(keys).size).toBe(120);
    for (const key of keys) expect(key).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
  });
});
