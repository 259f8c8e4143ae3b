// The change gate on the dashboard, self-contained: per program week, how many changes, how many
// AI-assisted, how many the gate blocked at the pipeline's first ask, how long sign-off took and
// how many were rolled back; and every change that shipped while the gate blocked it.
import Link from "next/link";
import { ShieldAlert } from "lucide-react";
import { Row, TableHead } from "@/components/ui/table";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { getChangeGateReport } from "@/lib/data/change-stats";
import { formatDateTime } from "@/lib/format";

const COLUMNS = [
  { label: "Week" },
  { label: "Changes", align: "right" },
  { label: "AI-assisted", align: "right" },
  { label: "Blocked at first ask", align: "right" },
  { label: "Median time to sign-off", align: "right" },
  { label: "Rolled back", align: "right" },
] as const;

const pct = (n: number) => `${Math.round(n * 100)}%`;
const duration = (hours: number | null) =>
  hours === null ? "—" : hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;

export async function ChangeGateWeekly() {
  const user = await requirePageUser();
  const report = await getChangeGateReport(actorOf(user));
  if (!report) return null;
  // The most recent weeks first; at most eight keep the card compact.
  const weeks = [...report.weeks].reverse().slice(0, 8);
  const total = report.weeks.reduce((n, w) => n + w.changes, 0);
  return (
    <section aria-labelledby="change-gate" className="surface border-base rounded-lg border p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="change-gate" className="font-medium">
          Change gate
        </h2>
        <Link href="/changes" className="text-sm underline">
          All changes
        </Link>
      </div>
      {total === 0 ? (
        <p className="mt-2 text-sm text-muted">
          No production changes registered yet. Authors register them on the Changes page; pipelines through the API.
        </p>
      ) : (
        <div className="mt-2 relative overflow-x-auto" tabIndex={0} role="region" aria-label="Changes per program week">
          <table className="w-full text-sm">
            <caption className="sr-only">Changes per program week</caption>
            <TableHead columns={COLUMNS} />
            <tbody>
              {weeks.map((w) => (
                <Row key={w.week}>
                  <th scope="row" className="px-3 py-1.5 text-left font-normal">
                    Week {w.week}{" "}
                    <span className="text-xs text-muted">({formatDateTime(w.startsOn).split(",")[0]})</span>
                  </th>
                  <td className="px-3 py-1.5 text-right tabular-nums">{w.changes}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{w.changes ? pct(w.aiShare) : "—"}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">
                    {w.asked ? `${w.blockedAtFirstAsk} of ${w.asked}` : "—"}
                  </td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{duration(w.medianHoursToSignOff)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{w.rolledBack}</td>
                </Row>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 className="mt-4 inline-flex items-center gap-1.5 text-sm font-medium">
        <ShieldAlert aria-hidden className="size-4" style={{ color: "var(--color-health-overdue)" }} />
        Shipped without an allowed decision ({report.shippedWithoutAllowed.length})
      </h3>
      {report.shippedWithoutAllowed.length ? (
        <ul className="mt-1 space-y-1 text-sm">
          {report.shippedWithoutAllowed.map((c) => (
            <li key={c.id}>
              <Link href={`/changes/${c.id}`} className="font-medium underline">
                {c.title}
              </Link>{" "}
              <span className="text-xs text-muted">
                {c.system.name} · {c.author} · shipped {formatDateTime(new Date(c.shippedAt))}
              </span>
              {c.reasons[0] ? <span className="block text-xs">{c.reasons[0]}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-muted">None: every change reported shipped had the gate&apos;s approval.</p>
      )}
    </section>
  );
}
