import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, hashEvent, verifyChain, type ChainEvent, type StoredEvent } from "./chain";

function chain(count: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= count; i++) {
    const event: ChainEvent = {
      seq: BigInt(i),
      at: new Date(Date.UTC(2026, 10, 1, 12, 0, i, 123)),
      actorId: null,
      actorEmail: "lead@resetboard.dev",
      action: "evidence.add",
      subjectType: "checkpoint",
      subjectId: `cp-${i}`,
      systemKey: "payments-api",
      data: { url: "https://example.com", n: i, nested: { b: 1, a: [true, null] } },
    };
    const hash = hashEvent(prevHash, event);
    events.push({ ...event, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

describe("canonical JSON", () => {
  it("sorts keys at every depth, so jsonb's reordering does not change the hash", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain", () => {
    expect(verifyChain(chain(5))).toMatchObject({ ok: true, events: 5 });
  });

  it("names the first event whose data was altered", () => {
    const events = chain(5);
    events[2] = { ...events[2]!, data: { url: "https://evil.example" } };
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 3n });
  });

  it("names the event after a deleted one", () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 3n });
  });

  it("detects a rewritten tail even when each hash was recomputed from a forged parent", () => {
    const events = chain(3);
    const forged = { ...events[1]!, actorEmail: "someone@else.dev" };
    forged.hash = hashEvent(forged.prevHash, forged);
    events[1] = forged;
    // Event 2 now hashes correctly, but event 3 still links to the original event 2.
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 3n });
  });

  it("continues across pages from the previous page's last event", () => {
    const events = chain(6);
    const first = verifyChain(events.slice(0, 3));
    expect(verifyChain(events.slice(3), first.last)).toMatchObject({ ok: true, events: 3 });
  });
});
