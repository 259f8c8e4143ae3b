import { describe, expect, it } from "vitest";
import {
  auditedDiff,
  desiredAssignments,
  diffAssignments,
  isEmptyDiff,
  type Assignment,
} from "@/lib/domain/assignment-diff";

const ids: Record<string, string> = { "ann@x.test": "u1", "bo@x.test": "u2", "cy@x.test": "u3", "di@x.test": "u4" };
const idOf = (email: string) => ids[email]!;
const current: Assignment[] = [
  { userId: "u1", email: "ann@x.test", kind: "OWNER" },
  { userId: "u2", email: "bo@x.test", kind: "REVIEWER" },
  { userId: "u3", email: "cy@x.test", kind: "REVIEWER" },
];

describe("desiredAssignments", () => {
  it("makes someone listed as owner and reviewer a reviewer, one row per person", () => {
    const desired = desiredAssignments(["ann@x.test", "bo@x.test"], ["bo@x.test"], idOf);
    expect([...desired]).toEqual([
      ["u1", { email: "ann@x.test", kind: "OWNER" }],
      ["u2", { email: "bo@x.test", kind: "REVIEWER" }],
    ]);
  });
});

describe("diffAssignments", () => {
  it("is empty when the same people keep the same kinds, in any order", () => {
    const desired = desiredAssignments(["ann@x.test"], ["cy@x.test", "bo@x.test"], idOf);
    const diff = diffAssignments(current, desired);
    expect(diff).toEqual({ added: [], removed: [] });
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it("removes the people no longer listed and adds the new ones", () => {
    const diff = diffAssignments(current, desiredAssignments(["ann@x.test"], ["di@x.test", "bo@x.test"], idOf));
    expect(diff.removed).toEqual([{ userId: "u3", email: "cy@x.test", kind: "REVIEWER" }]);
    expect(diff.added).toEqual([{ userId: "u4", email: "di@x.test", kind: "REVIEWER" }]);
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it("moves a person from owner to reviewer as a removal and an addition", () => {
    const diff = diffAssignments(current, desiredAssignments([], ["ann@x.test", "bo@x.test", "cy@x.test"], idOf));
    expect(auditedDiff(diff)).toEqual({
      added: [{ email: "ann@x.test", kind: "REVIEWER" }],
      removed: [{ email: "ann@x.test", kind: "OWNER" }],
    });
  });

  it("adds everyone to a system that has nobody, and removes everyone when the list is empty", () => {
    const desired = desiredAssignments(["ann@x.test"], ["bo@x.test"], idOf);
    expect(diffAssignments([], desired).added.map((a) => a.userId)).toEqual(["u1", "u2"]);
    expect(diffAssignments(current, new Map()).removed).toEqual(current);
  });
});
