// The lead's queue: a strip of counts at the top of the dashboard (each links to the work), and
// the full lists on My work. Only what a lead's hand can unblock.
import Link from "next/link";
import { AlertTriangle, CalendarClock, Clock, UserX } from "lucide-react";
import { tierLabel } from "@/components/tier-label";
import { Row, TableHead } from "@/components/ui/table";
import type { LeadQueue, LeadQueueSummary } from "@/lib/data/lead-queue";
import { formatDue } from "@/lib/format";

const n = (value: number) => value.toLocaleString("en-US");
const plural = (count: number, word: string) => `${n(count)} ${word}${count === 1 ? "" : "s"}`;
const names = (people: { name: string }[]) =>
  people.length ? people.map((p) => p.name).join(", ") : "nobody who can sign";
/** Reviewers who can sign, each linking to the systems they review. */
const reviewerLinks = (people: { name: string; email: string }[]) =>
  people.length
    ? people.map((p, i) => (
        <span key={p.email}>
          {i ? ", " : ""}
          <Link className="hover:underline" href={`/systems?reviewer=${encodeURIComponent(p.email)}`}>
            {p.name}
          </Link>
        </span>
      ))
    : "nobody who can sign";

export function LeadQueueStrip({ summary }: { summary: LeadQueueSummary }) {
  const { noEligibleReviewer, reviewsWaiting, overdue, expiringWaivers } = summary;
  const oldest = reviewsWaiting.oldest;
  const tiles = [
    {
      icon: UserX,
      label: "No eligible reviewer",
      value: noEligibleReviewer.total,
      detail: `${plural(noEligibleReviewer.systems, "system")} can never be signed off as assigned`,
      href: "/systems?flag=no-eligible-reviewer",
      alarm: noEligibleReviewer.total > 0,
    },
    {
      icon: Clock,
      label: "Reviews waiting",
      value: reviewsWaiting.total,
      detail: oldest
        ? `longest ${oldest.waitingDays === 0 ? "today" : plural(oldest.waitingDays, "day")}: ${oldest.systemName}`
        : "none waiting",
      href: "/my-work#reviews-longest",
      alarm: false,
    },
    {
      icon: AlertTriangle,
      label: "Overdue checkpoints",
      value: overdue.total,
      detail: overdue.mostIn ? `most in ${overdue.mostIn}` : "none overdue",
      href: "/systems?health=OVERDUE",
      alarm: overdue.total > 0,
    },
    {
      icon: CalendarClock,
      label: "Waivers expiring in 7 days",
      value: expiringWaivers.total,
      detail: expiringWaivers.firstExpiresOn
        ? `first ${formatDue(expiringWaivers.firstExpiresOn, new Date(), false)}`
        : "none expiring",
      href: "/my-work#waivers-expiring",
      alarm: false,
    },
  ];
  return (
    <nav aria-label="The lead's queue" className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-4">
      {tiles.map((t) => (
        <Link
          key={t.label}
          href={t.href}
          className="surface border-base block rounded-lg border px-3 py-2.5 hover:bg-[var(--surface-muted)]"
        >
          <span className="flex items-center gap-1.5 text-xs font-medium text-muted">
            <t.icon
              aria-hidden
              className="size-3.5"
              style={t.alarm ? { color: "var(--color-health-overdue)" } : undefined}
            />
            {t.label}
          </span>
          <span className="mt-0.5 block text-2xl font-semibold tabular-nums tracking-tight">{n(t.value)}</span>
          <span className="block truncate text-xs text-muted">{t.detail}</span>
        </Link>
      ))}
    </nav>
  );
}

const FLAG_COLUMNS = [{ label: "System" }, { label: "Milestone" }, { label: "Why" }] as const;
const REVIEW_COLUMNS = [
  { label: "System" },
  { label: "Milestone" },
  { label: "Can sign" },
  { label: "Waiting", align: "right" },
] as const;
const TEAM_COLUMNS = [
  { label: "Team" },
  { label: "Overdue", align: "right" },
  { label: "Systems", align: "right" },
  { label: "Waiting on" },
] as const;
const WAIVER_COLUMNS = [
  { label: "System" },
  { label: "Milestone" },
  { label: "Expires" },
  { label: "Reason" },
] as const;

function Section({
  id,
  title,
  count,
  empty,
  children,
}: {
  id: string;
  title: string;
  count: number;
  empty: string;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="surface border-base relative overflow-x-auto rounded-lg border">
      <h3 id={id} className="px-3 pt-3 font-medium">
        {title} <span className="text-sm font-normal text-muted tabular-nums">({n(count)})</span>
      </h3>
      {count === 0 ? (
        <p className="px-3 pb-3 pt-1 text-sm text-muted">{empty}</p>
      ) : (
        // On a phone each row becomes a card of "label  value" lines (stack-table in globals.css).
        <table className="stack-table mt-2 w-full text-sm">{children}</table>
      )}
    </section>
  );
}

const systemLink = (item: { systemKey: string; systemName: string; milestone?: string }) => (
  <Link
    className="font-medium hover:underline"
    href={`/systems/${item.systemKey}${item.milestone ? `#cp-${item.milestone}` : ""}`}
  >
    {item.systemName}
  </Link>
);

export function LeadQueueLists({ queue }: { queue: LeadQueue }) {
  const today = new Date();
  return (
    <div className="space-y-4">
      <Section
        id="no-eligible-reviewer"
        title="No eligible reviewer"
        count={queue.noEligibleReviewer.total}
        empty="Every open checkpoint has enough reviewers who can sign it."
      >
        <caption className="sr-only">
          Checkpoints whose assigned reviewers can never reach the approvals they need
        </caption>
        <TableHead columns={FLAG_COLUMNS} />
        <tbody>
          {queue.noEligibleReviewer.items.map((item) => (
            <Row key={`${item.systemKey}/${item.milestone}`}>
              <td data-label="System" className="px-3 py-2">
                <span>
                  {systemLink(item)}{" "}
                  <span className="whitespace-nowrap text-xs text-muted">{tierLabel(item.tier)}</span>
                </span>
              </td>
              <td data-label="Milestone" className="px-3 py-2">
                {item.milestoneName}
              </td>
              <td data-label="Why" className="px-3 py-2 text-xs">
                {item.reason}
              </td>
            </Row>
          ))}
        </tbody>
      </Section>
      {queue.noEligibleReviewer.total > queue.noEligibleReviewer.items.length ? (
        <p className="text-sm">
          <Link className="underline" href="/systems?flag=no-eligible-reviewer">
            All {plural(queue.noEligibleReviewer.systems, "system")} without an eligible reviewer
          </Link>
        </p>
      ) : null}

      <Section
        id="reviews-longest"
        title="Reviews waiting longest"
        count={queue.longestReviews.total}
        empty="No submission is waiting for review."
      >
        <caption className="sr-only">
          Submitted checkpoints, longest waiting first, with the reviewers who can sign them
        </caption>
        <TableHead columns={REVIEW_COLUMNS} />
        <tbody>
          {queue.longestReviews.items.map((item) => (
            <Row key={`${item.systemKey}/${item.milestone}`}>
              <td data-label="System" className="px-3 py-2">
                {systemLink(item)}
              </td>
              <td data-label="Milestone" className="px-3 py-2">
                {item.milestoneName}
              </td>
              <td data-label="Can sign" className="px-3 py-2">
                <span>{reviewerLinks(item.canSign)}</span>
              </td>
              <td data-label="Waiting" className="px-3 py-2 text-right tabular-nums">
                {item.waitingDays === 0 ? "today" : plural(item.waitingDays, "day")}
              </td>
            </Row>
          ))}
        </tbody>
      </Section>

      <Section
        id="overdue-by-team"
        title="Overdue by team"
        count={queue.overdueByTeam.length}
        empty="Nothing is overdue."
      >
        <caption className="sr-only">Overdue checkpoints per team, and the people they wait on</caption>
        <TableHead columns={TEAM_COLUMNS} />
        <tbody>
          {queue.overdueByTeam.map((t) => (
            <Row key={t.team}>
              <td data-label="Team" className="px-3 py-2">
                <Link
                  className="font-medium hover:underline"
                  href={`/systems?team=${encodeURIComponent(t.team)}&health=OVERDUE`}
                >
                  {t.team}
                </Link>
              </td>
              <td data-label="Overdue" className="px-3 py-2 text-right tabular-nums">
                {n(t.checkpoints)}
              </td>
              <td data-label="Systems" className="px-3 py-2 text-right tabular-nums">
                {n(t.systems)}
              </td>
              <td data-label="Waiting on" className="px-3 py-2 text-xs">
                <span>
                  {t.waitingOn.length
                    ? t.waitingOn.map((p, i) => (
                        <span key={`${p.as}:${p.email}`}>
                          {i ? ", " : ""}
                          <Link
                            className="hover:underline"
                            href={`/systems?team=${encodeURIComponent(t.team)}&health=OVERDUE&${p.as}=${encodeURIComponent(p.email)}`}
                            title={
                              p.as === "owner" ? "Owner: their overdue systems in this team" : "Reviewer who can sign"
                            }
                          >
                            {p.name}
                          </Link>
                        </span>
                      ))
                    : names(t.waitingOn)}
                </span>
              </td>
            </Row>
          ))}
        </tbody>
      </Section>

      <Section
        id="waivers-expiring"
        title="Waivers expiring within 7 days"
        count={queue.expiringWaivers.length}
        empty="No waiver lapses in the next 7 days."
      >
        <caption className="sr-only">
          Waivers that lapse within 7 days; the checkpoint then returns to where it was
        </caption>
        <TableHead columns={WAIVER_COLUMNS} />
        <tbody>
          {queue.expiringWaivers.map((w) => (
            <Row key={`${w.systemKey}/${w.milestone}`}>
              <td data-label="System" className="px-3 py-2">
                {systemLink(w)}
              </td>
              <td data-label="Milestone" className="px-3 py-2">
                {w.milestoneName}
              </td>
              <td data-label="Expires" className="px-3 py-2 tabular-nums">
                {formatDue(w.expiresOn, today, false)}
              </td>
              <td data-label="Reason" className="px-3 py-2 text-xs">
                {w.reason}
              </td>
            </Row>
          ))}
        </tbody>
      </Section>
    </div>
  );
}
