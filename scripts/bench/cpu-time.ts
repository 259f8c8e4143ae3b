// CPU time of a process tree, from Linux's /proc: what the steady load costs the server (and its
// workers) and Postgres (the postmaster and its backends) per request, so that a throughput
// ceiling can be read off a measurement instead of guessed. Elsewhere (no /proc) it is null.
import fs from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)

interface Stat {
  ppid: number;
  /** This process's own user + system time, in ticks. */
  own: number;
  /** Time of its children that have exited and been waited for, in ticks. */
  reaped: number;
}

function readStat(pid: number): Stat | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses; the fields after it do not.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const n = (i: number) => Number(fields[i - 3]);
    return { ppid: n(4), own: n(14) + n(15), reaped: n(16) + n(17) };
  } catch {
    return null;
  }
}

/**
 * Milliseconds of CPU used so far by `rootPid`, its live descendants, and the children it has
 * reaped (Postgres backends that ended, a worker that was replaced). Null without /proc.
 */
export function treeCpuMs(rootPid: number): number | null {
  if (!fs.existsSync("/proc/self/stat")) return null;
  const stats = new Map<number, Stat>();
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat) stats.set(pid, stat);
  }
  const root = stats.get(rootPid);
  if (!root) return null;
  let ticks = root.own + root.reaped;
  const queue = [rootPid];
  while (queue.length) {
    const parent = queue.pop()!;
    for (const [pid, stat] of stats) {
      if (stat.ppid !== parent) continue;
      ticks += stat.own + stat.reaped;
      queue.push(pid);
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
