import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeRollup, rollupHealth, tallyCells, tallyDelta, type RollupCheckpoint } from "@/lib/domain/rollup";
import { addDays, isDone, progressOf, systemHealth, type CheckpointStatus } from "@/lib/domain/schedule";

const STATUSES: CheckpointStatus[] = [
  "NOT_STARTED",
  "IN_PROGRESS",
  "SUBMITTED",
  "APPROVED",
  "CHANGES_REQUESTED",
  "WAIVED",
];
const START = new Date("2026-10-18T00:00:00Z");

const checkpoints = fc
  .array(
    fc.record({
      status: fc.constantFrom(...STATUSES),
      dueDay: fc.integer({ min: -5, max: 100 }),
      submittedHour: fc.integer({ min: 0, max: 2000 }),
    }),
    {
      maxLength: 10,
    },
  )
  .map((rows) =>
    rows.map((r, i): RollupCheckpoint => ({
      id: `c${i}`,
      milestoneId: `m${i + 1}`,
      sequence: i + 1,
      status: r.status,
      dueOn: addDays(START, r.dueDay),
      submittedAt: r.status === "SUBMITTED" ? new Date(START.getTime() + r.submittedHour * 3_600_000) : null,
    })),
  );

describe("computeRollup", () => {
  it("counts each status apart, waived never as approved", () => {
    const at = (status: CheckpointStatus, i: number): RollupCheckpoint => ({
      id: `c${i}`,
      milestoneId: `m${i}`,
      sequence: i,
      status,
      dueOn: addDays(START, i * 10),
      submittedAt: null,
    });
    const rollup = computeRollup([
      at("APPROVED", 1),
      at("WAIVED", 2),
      at("SUBMITTED", 3),
      at("CHANGES_REQUESTED", 4),
      at("NOT_STARTED", 5),
    ]);
    expect(rollup).toMatchObject({
      total: 5,
      approved: 1,
      waived: 1,
      submitted: 1,
      changesRequested: 1,
      notStarted: 1,
      inProgress: 0,
    });
    expect(rollup.currentSequence).toBe(3);
    expect(rollup.nextDueCheckpointId).toBe("c3");
    // The submitted one waits on reviewers: the first that can put the system at risk is the next.
    expect(rollup.unsubmittedCheckpointId).toBe("c4");
  });

  it("takes the lower sequence among open checkpoints due the same day", () => {
    const due = addDays(START, 30);
    const rollup = computeRollup([
      { id: "b", milestoneId: "m4", sequence: 4, status: "NOT_STARTED", dueOn: due, submittedAt: null },
      { id: "a", milestoneId: "m3", sequence: 3, status: "IN_PROGRESS", dueOn: due, submittedAt: null },
    ]);
    expect(rollup.nextDueMilestoneId).toBe("m3");
  });

  it("agrees with the per-checkpoint rules for any set of checkpoints and any day", () => {
    fc.assert(
      fc.property(checkpoints, fc.integer({ min: -10, max: 110 }), (cps, day) => {
        const today = addDays(START, day);
        const rollup = computeRollup(cps);
        expect(rollupHealth(rollup, today)).toBe(systemHealth(cps, today));
        expect({ approved: rollup.approved, waived: rollup.waived, total: rollup.total }).toEqual(progressOf(cps));
        const open = cps.filter((c) => !isDone(c.status));
        expect(rollup.currentSequence).toBe(open.length ? Math.min(...open.map((c) => c.sequence)) : null);
        expect(rollup.nextDueOn?.getTime() ?? null).toBe(
          open.length ? Math.min(...open.map((c) => c.dueOn.getTime())) : null,
        );
        const submitted = cps.filter((c) => c.status === "SUBMITTED").map((c) => c.submittedAt!.getTime());
        expect(rollup.oldestSubmittedAt?.getTime() ?? null).toBe(submitted.length ? Math.min(...submitted) : null);
        expect(
          rollup.notStarted +
            rollup.inProgress +
            rollup.submitted +
            rollup.approved +
            rollup.changesRequested +
            rollup.waived,
        ).toBe(cps.length);
      }),
    );
  });
});

describe("tallyCells and tallyDelta", () => {
  const cp = (
    i: number,
    status: CheckpointStatus,
    dueDay: number,
    completedAt: Date | null = null,
  ): RollupCheckpoint => ({
    id: `c${i}`,
    milestoneId: "m1",
    sequence: i,
    status,
    dueOn: addDays(START, dueDay),
    submittedAt: null,
    completedAt,
  });

  it("groups a system's checkpoints into cells, the completion day only for approved and waived", () => {
    const cells = tallyCells(
      [
        cp(1, "APPROVED", 7, new Date("2026-10-20T10:00:00Z")),
        cp(2, "APPROVED", 7, new Date("2026-10-20T23:00:00Z")),
        cp(3, "IN_PROGRESS", 7, new Date("2026-10-21T00:00:00Z")),
      ],
      { team: "Payments", tier: "TIER_1" },
    );
    expect(cells.map((c) => [c.status, c.due_on, c.completed_on, c.n])).toEqual([
      ["APPROVED", "2026-10-25", "2026-10-20", 2],
      ["IN_PROGRESS", "2026-10-25", null, 1],
    ]);
  });

  it("moves exactly what changed: adding the delta to the old tally gives the new one", () => {
    fc.assert(
      fc.property(checkpoints, checkpoints, (a, b) => {
        const system = { team: "T", tier: "TIER_2" };
        const before = tallyCells(a, system);
        const after = tallyCells(b, system);
        const sum = new Map(before.map((c) => [c.cell, c.n]));
        for (const d of tallyDelta(before, after)) sum.set(d.cell, (sum.get(d.cell) ?? 0) + d.n);
        const expected = new Map(after.map((c) => [c.cell, c.n]));
        expect(new Map([...sum].filter(([, n]) => n !== 0))).toEqual(expected);
      }),
    );
  });
});
