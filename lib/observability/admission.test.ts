import { afterEach, describe, expect, it, vi } from "vitest";
import { Admission, type Admitted } from "@/lib/observability/admission";

afterEach(() => {
  vi.useRealTimers();
});

describe("Admission", () => {
  it("admits up to the concurrency at once, then queues in arrival order", async () => {
    const gate = new Admission({ concurrency: 2, queueLimit: 5, maxWaitMs: 1_000 });
    const a = (await gate.acquire()) as Admitted;
    const b = (await gate.acquire()) as Admitted;
    expect([a.admitted, b.admitted, gate.active]).toEqual([true, true, 2]);
    const order: string[] = [];
    const c = gate.acquire().then((o) => (order.push("c"), o as Admitted));
    const d = gate.acquire().then((o) => (order.push("d"), o as Admitted));
    expect(gate.queued).toBe(2);
    a.release();
    (await c).release();
    b.release();
    await d;
    expect(order).toEqual(["c", "d"]);
    expect(gate.queued).toBe(0);
  });

  it("sheds at once when the queue is full, and after the longest wait otherwise", async () => {
    vi.useFakeTimers();
    const gate = new Admission({ concurrency: 1, queueLimit: 1, maxWaitMs: 500 });
    const held = (await gate.acquire()) as Admitted;
    const waiting = gate.acquire();
    expect(await gate.acquire()).toEqual({ admitted: false, reason: "queue_full" });
    vi.advanceTimersByTime(500);
    expect(await waiting).toEqual({ admitted: false, reason: "waited_too_long" });
    expect(gate.queued).toBe(0);
    // The shed waiter took no slot: once the holder is done, the next request runs at once.
    held.release();
    expect(gate.active).toBe(0);
    expect((await gate.acquire()).admitted).toBe(true);
  });

  it("counts a slot once however many times it is released", async () => {
    const gate = new Admission({ concurrency: 1, queueLimit: 0, maxWaitMs: 100 });
    const first = (await gate.acquire()) as Admitted;
    first.release();
    first.release();
    expect(gate.active).toBe(0);
    const second = (await gate.acquire()) as Admitted;
    expect(second.admitted).toBe(true);
    expect((await gate.acquire()).admitted).toBe(false);
  });
});
