// Dates as people read them (DESIGN.md section 9). Rendered on the server in UTC so that the
// same page reads the same for everyone and hydration never disagrees.
const dateTime = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", hour12: false });

export function formatDateTime(date: Date | null | undefined): string {
  return date ? `${dateTime.format(date)} UTC` : "—";
}
