// The lead's dashboard loads the open checkpoints once and hands the reviewer load the submitted
// ones out of that set (willReadAllOpenCheckpoints). That is only right if the submitted subset
// of the open load is exactly what loading the submitted set on its own returns: the same rows,
// the same order, the same people in the same order on every system. Against a real Postgres with
// the seeded demo.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

let db: AppTestDatabase;

beforeAll(async () => {
  db = await createAppTestDatabase();
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe("the open checkpoints loaded flat", () => {
  it("contain the submitted set exactly as the submitted set loads on its own", async () => {
    const { openCheckpointRows } = await import("@/lib/data/open-checkpoints");
    const open = await openCheckpointRows("open");
    const submitted = await openCheckpointRows("submitted");
    expect(submitted.length).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThan(submitted.length);
    expect(open.filter((row) => row.status === "SUBMITTED")).toEqual(submitted);
    // The comparison covered systems with several people, whose order could differ.
    const assigned = submitted.filter((row) => row.system.assignments.length > 1);
    expect(assigned.length).toBeGreaterThan(0);
  });
});
