import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { treeCpuMs } from "./cpu-time";

describe.runIf(fs.existsSync("/proc/self/stat"))("CPU time of a process tree", () => {
  it("grows with this process's own work", () => {
    const before = treeCpuMs(process.pid)!;
    // Busy for 150 ms of CPU, not of wall time: on a loaded machine the two differ.
    const start = process.cpuUsage();
    let x = 0;
    while (process.cpuUsage(start).user < 150_000) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect(treeCpuMs(process.pid)! - before).toBeGreaterThanOrEqual(50);
  });

  it("counts a child that has exited and been waited for", () => {
    const before = treeCpuMs(process.pid)!;
    // A child busy for 300 ms of CPU, then reaped by spawnSync.
    spawnSync(process.execPath, ["-e", "const s = process.cpuUsage(); while (process.cpuUsage(s).user < 300000);"]);
    expect(treeCpuMs(process.pid)! - before).toBeGreaterThanOrEqual(200);
  });

  it("is null for a process that does not exist", () => {
    expect(treeCpuMs(2 ** 30)).toBeNull();
  });
});
