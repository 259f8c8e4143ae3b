// Dates as people read them (docs/ARCHITECTURE.md, section 9). Rendered on the server in UTC so that the
// same page reads the same for everyone and hydration never disagrees.
const dateTime = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  hour12: false,
});

export function formatDateTime(date: Date | null | undefined): string {
  return date ? `${dateTime.format(date)} UTC` : "—";
}

const shortDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** "Mar 12 (in 5 days)", "Mar 12 (today)", "3 days overdue" (docs/ARCHITECTURE.md, section 9). */
export function formatDue(dueOn: string, today: Date, done: boolean): string {
  const due = new Date(`${dueOn}T00:00:00Z`);
  const days = Math.round(
    (due.getTime() - Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())) / 86_400_000,
  );
  const date = shortDate.format(due);
  if (done) return date;
  if (days < 0) return `${-days} day${days === -1 ? "" : "s"} overdue`;
  if (days === 0) return `${date} (today)`;
  return `${date} (in ${days} day${days === 1 ? "" : "s"})`;
}

/** A calendar day ("2026-12-17") as "Dec 17". */
export function formatShortDay(isoDay: string): string {
  return shortDate.format(new Date(`${isoDay}T00:00:00Z`));
}

const dayWithYear = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});

/** A calendar day ("2026-12-17") as "Dec 17, 2026"; an invalid or empty one as "—". */
export function formatDay(isoDay: string): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? "—" : dayWithYear.format(date);
}
