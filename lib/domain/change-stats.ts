// The change gate's weekly figures for the dashboard (docs/RULES.md, rule 16): pure arithmetic
// over plain facts, so the numbers a lead reports are unit-tested.
const DAY_MS = 86_400_000;

export interface ChangeStatFacts {
  createdAt: Date;
  aiAssisted: boolean;
  /** What the gate answered the first time a pipeline asked; null when nobody asked yet. */
  firstCheckAllowed: boolean | null;
  firstAllowedAt: Date | null;
  rolledBack: boolean;
}

export interface ChangeWeek {
  /** Program week, 1 for the program's first seven days. */
  week: number;
  startsOn: Date;
  changes: number;
  aiAssisted: number;
  /** aiAssisted / changes, 0 when there were none. */
  aiShare: number;
  asked: number;
  blockedAtFirstAsk: number;
  /** Median hours from registration to the first allowed decision, null when none got there. */
  medianHoursToSignOff: number | null;
  rolledBack: number;
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Weeks from the program's start through `today`, each with its figures; earlier changes count in week 1. */
export function changeWeeks(changes: readonly ChangeStatFacts[], programStartsOn: Date, today: Date): ChangeWeek[] {
  const weekOf = (d: Date) => Math.max(1, Math.floor((d.getTime() - programStartsOn.getTime()) / (7 * DAY_MS)) + 1);
  const last = weekOf(today);
  const weeks: ChangeWeek[] = Array.from({ length: last }, (_, i) => ({
    week: i + 1,
    startsOn: new Date(programStartsOn.getTime() + i * 7 * DAY_MS),
    changes: 0,
    aiAssisted: 0,
    aiShare: 0,
    asked: 0,
    blockedAtFirstAsk: 0,
    medianHoursToSignOff: null,
    rolledBack: 0,
  }));
  const hours = new Map<number, number[]>();
  for (const c of changes) {
    const w = weeks[Math.min(weekOf(c.createdAt), last) - 1]!;
    w.changes += 1;
    if (c.aiAssisted) w.aiAssisted += 1;
    if (c.firstCheckAllowed !== null) {
      w.asked += 1;
      if (!c.firstCheckAllowed) w.blockedAtFirstAsk += 1;
    }
    if (c.firstAllowedAt) {
      const list = hours.get(w.week) ?? [];
      list.push((c.firstAllowedAt.getTime() - c.createdAt.getTime()) / 3_600_000);
      hours.set(w.week, list);
    }
    if (c.rolledBack) w.rolledBack += 1;
  }
  for (const w of weeks) {
    w.aiShare = w.changes ? w.aiAssisted / w.changes : 0;
    w.medianHoursToSignOff = median(hours.get(w.week) ?? []);
  }
  return weeks;
}
