import { describe, expect, it } from "vitest";
import { percentile, ratio, round, summarize } from "./stats";

describe("percentile (nearest rank)", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("picks the sample at the rank, never an interpolated value", () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 51)).toBe(3);
  });

  it("handles a single sample and an empty set", () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it("refuses a percentile outside (0, 100]", () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe("summarize", () => {
  it("sorts unsorted samples and counts throughput over the window", () => {
    const s = summarize([30, 10, 20, 40], 2000);
    expect(s).toEqual({ count: 4, p50: 20, p95: 40, p99: 40, mean: 25, perSecond: 2 });
  });

  it("a long tail moves p99 but not p50", () => {
    const samples = [...Array.from({ length: 98 }, () => 5), 500, 900];
    const s = summarize(samples, 1000);
    expect(s.p50).toBe(5);
    expect(s.p95).toBe(5);
    expect(s.p99).toBe(500);
  });
});

describe("ratio and round", () => {
  it("divides, and is null when a side is missing or the divisor is not positive", () => {
    expect(ratio(30, 10)).toBe(3);
    expect(ratio(null, 10)).toBeNull();
    expect(ratio(10, undefined)).toBeNull();
    expect(ratio(10, 0)).toBeNull();
    expect(ratio(Number.NaN, 2)).toBeNull();
  });

  it("rounds small values to two decimals and larger ones to one", () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(123.456)).toBe(123.5);
    expect(round(3.14159, 3)).toBe(3.142);
    expect(round(null)).toBeNull();
    expect(round(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
