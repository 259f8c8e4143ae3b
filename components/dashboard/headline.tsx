// The ten-second answer: where the program stands, in a row of figures.
import type { ProgressReport } from "@/lib/domain/progress-report";
import Link from "next/link";
import { percent } from "@/components/charts/buckets";

function Tile({
  label,
  value,
  detail,
  color,
  testId,
  href,
}: {
  label: string;
  value: string;
  detail?: string;
  color?: string;
  testId: string;
  href?: string;
}) {
  return (
    <div
      className="surface border-base relative rounded-lg border px-3 py-2.5 has-[a:hover]:bg-[var(--surface-muted)]"
      data-testid={testId}
    >
      <dt className="flex items-center gap-1.5 text-xs font-medium text-muted">
        {color ? <span aria-hidden className="inline-block size-2 rounded-full" style={{ background: color }} /> : null}
        {label}
      </dt>
      <dd className="mt-0.5 text-2xl font-semibold tabular-nums tracking-tight">
        {value}
        {/* The whole tile opens the registry filtered to what it counts; the link sits in a dd
            because a dl may hold only dt and dd groups. */}
        {href ? (
          <Link href={href} className="absolute inset-0 rounded-lg">
            <span className="sr-only">Show the systems: {label}</span>
          </Link>
        ) : null}
      </dd>
      {detail ? <dd className="text-xs text-muted tabular-nums">{detail}</dd> : null}
    </div>
  );
}

const n = (value: number) => value.toLocaleString("en-US");

export function Headline({ report }: { report: ProgressReport }) {
  const { totals, systems, reviews, program } = report;
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5 print:grid-cols-5">
      <Tile
        testId="tile-approved"
        href="/systems?status=APPROVED"
        label="Approved"
        value={n(totals.approved)}
        detail={`${percent(totals.approved, totals.checkpoints)} of ${n(totals.checkpoints)} checkpoints`}
        color="var(--color-status-approved)"
      />
      <Tile
        testId="tile-waived"
        href="/systems?status=WAIVED"
        label="Waived"
        value={n(totals.waived)}
        detail="counted apart from approved"
        color="var(--color-status-waived)"
      />
      <Tile
        testId="tile-submitted"
        href="/systems?status=SUBMITTED"
        label="Submitted"
        value={n(totals.submitted)}
        detail="awaiting sign-off"
        color="var(--color-status-submitted)"
      />
      <Tile
        testId="tile-in-progress"
        href="/systems?status=IN_PROGRESS,CHANGES_REQUESTED"
        label="In progress"
        value={n(totals.inProgress)}
        detail={totals.changesRequested ? `${n(totals.changesRequested)} with changes requested` : undefined}
        color="var(--color-status-in-progress)"
      />
      <Tile
        testId="tile-not-started"
        href="/systems?status=NOT_STARTED"
        label="Not started"
        value={n(totals.notStarted)}
        color="var(--color-status-not-started)"
      />
      <Tile
        testId="tile-systems-done"
        href="/systems?health=DONE"
        label="Systems fully reset"
        value={`${n(systems.done)} of ${n(systems.total)}`}
        detail={percent(systems.done, systems.total)}
        color="var(--color-health-done)"
      />
      <Tile
        testId="tile-overdue"
        href="/systems?health=OVERDUE"
        label="Overdue checkpoints"
        value={n(totals.overdue)}
        detail={`${n(systems.overdue)} system${systems.overdue === 1 ? "" : "s"} overdue · ${n(systems.atRisk)} at risk`}
        color="var(--color-health-overdue)"
      />
      <Tile
        testId="tile-reviews"
        href="/systems?status=SUBMITTED"
        label="Reviews waiting"
        value={n(reviews.waiting)}
        detail={
          reviews.oldestWaitDays === null
            ? "none waiting"
            : `oldest ${reviews.oldestWaitDays === 0 ? "today" : `${reviews.oldestWaitDays} day${reviews.oldestWaitDays === 1 ? "" : "s"}`}`
        }
        color="var(--color-status-submitted)"
      />
      <Tile
        testId="tile-day"
        label="Program day"
        value={`${Math.min(program.day, program.durationDays)} of ${program.durationDays}`}
        detail={`${n(program.daysLeft)} days left`}
      />
    </dl>
  );
}
