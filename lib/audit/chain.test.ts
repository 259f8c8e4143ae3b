import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  GENESIS_HASH,
  canonicalJson,
  eventBodyAround,
  hashEvent,
  verifyChain,
  type ChainEvent,
  type JsonValue,
  type StoredEvent,
} from "./chain";

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

describe("the body cut around the sequence", () => {
  // The definition the chain was built with: sha256(prevHash ‖ canonical JSON of the whole event).
  const wholeBody = (e: ChainEvent) =>
    canonicalJson({
      seq: e.seq.toString(),
      at: e.at.toISOString(),
      actorId: e.actorId,
      actorEmail: e.actorEmail,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      systemKey: e.systemKey,
      data: e.data,
    });
  // Strings that look like the JSON around the cut, to try to fool it.
  const tricky = fc.oneof(
    fc.string(),
    fc.constantFrom('","seq":"SEQ","subjectId":"', "SEQ", '"seq":"', "\\", '"', "\u0000", "\ud800"),
  );
  const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      tricky,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 3 }),
      fc.dictionary(fc.oneof(fc.constantFrom("seq", "subjectId", "data"), fc.string()), tie("value"), { maxKeys: 4 }),
    ),
  })).value;
  const event = fc.record<ChainEvent>({
    seq: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    at: fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }),
    actorId: fc.option(fc.uuid(), { nil: null }),
    actorEmail: fc.option(tricky, { nil: null }),
    action: tricky,
    subjectType: tricky,
    subjectId: tricky,
    systemKey: fc.option(tricky, { nil: null }),
    data: json,
  });

  it("is cut at the event's own sequence, not at one the data imitates", () => {
    const e: ChainEvent = {
      seq: 42n,
      at: new Date(Date.UTC(2026, 11, 2)),
      actorId: null,
      actorEmail: null,
      action: "x",
      subjectType: "y",
      subjectId: "z",
      systemKey: null,
      data: { inner: { a: 1, seq: "SEQ", subjectId: "fake" } },
    };
    const [before, after] = eventBodyAround(e);
    expect(before + "42" + after).toBe(wholeBody(e));
    expect(after.startsWith('","subjectId":"z"')).toBe(true);
  });

  it("joined with any sequence, is the whole event's canonical JSON, so the hash is unchanged", () => {
    fc.assert(
      fc.property(
        event,
        fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 }),
        (e, prev) => {
          const [before, after] = eventBodyAround(e);
          expect(before + e.seq.toString() + after).toBe(wholeBody(e));
          expect(hashEvent(prev, e)).toBe(
            createHash("sha256")
              .update(prev + wholeBody(e))
              .digest("hex"),
          );
        },
      ),
      { numRuns: 300 },
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
