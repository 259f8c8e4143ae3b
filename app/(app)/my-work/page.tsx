import type { Metadata } from "next";
import Link from "next/link";
import { LeadQueueLists, LeadQueueStrip } from "@/components/dashboard/lead-queue";
import { HealthBadge } from "@/components/health-badge";
import { StatusBadge } from "@/components/status-badge";
import { tierLabel } from "@/components/tier-label";
import { Row, TableHead } from "@/components/ui/table";
import { can } from "@/lib/domain/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { getLeadQueue, summarizeLeadQueue } from "@/lib/data/lead-queue";
import { getMyWork, type MyWorkItem } from "@/lib/data/my-work";
import { formatDue } from "@/lib/format";

export const metadata: Metadata = { title: "My work" };

const ACTION_LABEL: Record<NonNullable<MyWorkItem["action"]>, string> = {
  review: "Review",
  submit: "Submit for review",
  addEvidence: "Add evidence",
};

const WAITING_COLUMNS = [
  { label: "System" },
  { label: "Milestone" },
  { label: "Status" },
  { label: "Waiting on" },
  { label: "Due" },
] as const;
const LATER_COLUMNS = [{ label: "System" }, { label: "Milestone" }, { label: "Status" }, { label: "Due" }] as const;

const names = (item: MyWorkItem) =>
  item.waitingOn.length ? item.waitingOn.map((p) => p.name).join(", ") : "nobody who can sign";

export default async function MyWorkPage() {
  const user = await requirePageUser();
  const [work, queue] = await Promise.all([
    getMyWork(actorOf(user)),
    can(user, "system.manage") ? getLeadQueue(actorOf(user)) : null,
  ]);
  const today = new Date();
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">My work</h1>
        <p className="text-sm text-muted">
          {work.count === 0
            ? "Nothing needs you right now."
            : `${work.count} item${work.count === 1 ? " needs" : "s need"} you now.`}
        </p>
        {user.role === "EXECUTIVE" ? (
          // Executives own and review nothing, so their queue stays empty: say where to look instead.
          <p className="mt-1 text-sm text-muted">
            Executives follow the program rather than act on checkpoints: see the{" "}
            <Link className="underline" href="/dashboard">
              dashboard
            </Link>{" "}
            or the{" "}
            <Link className="underline" href="/report">
              printable report
            </Link>
            .
          </p>
        ) : null}
      </div>

      {queue ? (
        <section aria-labelledby="lead-queue" className="space-y-3">
          <h2 id="lead-queue" className="font-medium">
            The lead&apos;s queue
          </h2>
          <LeadQueueStrip summary={summarizeLeadQueue(queue)} />
          <LeadQueueLists queue={queue} />
        </section>
      ) : null}

      <section aria-labelledby="needs-you" className="surface border-base rounded-lg border">
        <h2 id="needs-you" className="px-3 pt-3 font-medium">
          Needs you now <span className="text-sm font-normal text-muted tabular-nums">({work.count})</span>
        </h2>
        {work.count === 0 ? (
          <p className="px-3 pb-3 pt-1 text-sm text-muted">
            Nothing you can act on is waiting. Items below wait on other people or come later.
          </p>
        ) : (
          <ul className="mt-2 divide-y divide-[var(--border)]">
            {work.now.map((item) => (
              <li key={`${item.systemKey}/${item.milestone}`} className="flex flex-wrap items-start gap-3 px-3 py-3">
                <div className="min-w-0 flex-1 space-y-1">
                  <p className="text-sm">
                    <Link className="font-medium hover:underline" href={`/systems/${item.systemKey}`}>
                      {item.systemName}
                    </Link>
                    <span className="text-muted">
                      {" "}
                      · {item.milestoneName} · {tierLabel(item.tier)}
                    </span>
                  </p>
                  <p className="flex flex-wrap items-center gap-2 text-xs text-muted">
                    <StatusBadge status={item.status} />
                    <HealthBadge health={item.health} />
                    <span className="tabular-nums">
                      {item.health === "OVERDUE"
                        ? formatDue(item.dueOn, today, false)
                        : `Due ${formatDue(item.dueOn, today, false)}`}
                    </span>
                    {item.waitingDays !== null ? (
                      <span className="tabular-nums">
                        · submitted{" "}
                        {item.waitingDays === 0
                          ? "today"
                          : `${item.waitingDays} day${item.waitingDays === 1 ? "" : "s"} ago`}
                      </span>
                    ) : null}
                  </p>
                  {item.changesRequested ? (
                    <blockquote className="border-l-2 border-[var(--color-status-changes)] pl-2 text-sm">
                      <span className="text-muted">{item.changesRequested.by.name} asked for changes:</span>{" "}
                      {item.changesRequested.comment}
                    </blockquote>
                  ) : null}
                </div>
                <Link
                  href={`/systems/${item.systemKey}#cp-${item.milestone}`}
                  className="inline-flex h-8 items-center whitespace-nowrap rounded-md bg-[var(--color-status-submitted)] px-3 text-sm font-medium text-[var(--on-accent)] hover:opacity-90"
                  aria-label={`${ACTION_LABEL[item.action!]}: ${item.systemName}, ${item.milestoneName}`}
                >
                  {ACTION_LABEL[item.action!]}
                </Link>
              </li>
            ))}
            {work.changes.map((change) => (
              <li key={change.id} className="flex flex-wrap items-start gap-3 px-3 py-3">
                <div className="min-w-0 flex-1 space-y-1">
                  <p className="text-sm">
                    <Link className="font-medium hover:underline" href={`/changes/${change.id}`}>
                      {change.title}
                    </Link>
                    <span className="text-muted">
                      {" "}
                      · production change to{" "}
                      <Link className="hover:underline" href={`/systems/${change.systemKey}`}>
                        {change.systemName}
                      </Link>{" "}
                      · {tierLabel(change.tier)}
                    </span>
                  </p>
                  <p className="text-xs text-muted">
                    By {change.author.name}
                    {change.aiAssisted ? " · AI-assisted" : ""} · registered{" "}
                    {change.waitingDays === 0
                      ? "today"
                      : `${change.waitingDays} day${change.waitingDays === 1 ? "" : "s"} ago`}
                  </p>
                  {change.reasons.length ? <p className="text-sm">{change.reasons[0]}</p> : null}
                </div>
                <Link
                  href={`/changes/${change.id}`}
                  className="inline-flex h-8 items-center whitespace-nowrap rounded-md bg-[var(--color-status-submitted)] px-3 text-sm font-medium text-white hover:opacity-90"
                  aria-label={`Review: change “${change.title}” to ${change.systemName}`}
                >
                  Review
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section
        aria-labelledby="waiting-on-others"
        className="surface border-base relative overflow-x-auto rounded-lg border"
      >
        <h2 id="waiting-on-others" className="px-3 pt-3 font-medium">
          Waiting on others <span className="text-sm font-normal text-muted tabular-nums">({work.waiting.length})</span>
        </h2>
        {work.waiting.length === 0 ? (
          <p className="px-3 pb-3 pt-1 text-sm text-muted">Nothing of yours is waiting on someone else.</p>
        ) : (
          <table className="stack-table mt-2 w-full text-sm">
            <caption className="sr-only">
              Your checkpoints waiting on other people, and why they are not yours to do
            </caption>
            <TableHead columns={WAITING_COLUMNS} />
            <tbody>
              {work.waiting.map((item) => (
                <Row key={`${item.systemKey}/${item.milestone}`}>
                  <td data-label="System" className="px-3 py-2">
                    <Link
                      className="font-medium hover:underline"
                      href={`/systems/${item.systemKey}#cp-${item.milestone}`}
                    >
                      {item.systemName}
                    </Link>
                  </td>
                  <td data-label="Milestone" className="px-3 py-2">
                    {item.milestoneName}
                  </td>
                  <td data-label="Status" className="px-3 py-2">
                    <StatusBadge status={item.status} />
                  </td>
                  <td data-label="Waiting on" className="px-3 py-2">
                    <div>
                      {names(item)}
                      {item.reason ? <span className="block text-xs text-muted">{item.reason}</span> : null}
                    </div>
                  </td>
                  <td data-label="Due" className="px-3 py-2 tabular-nums">
                    {formatDue(item.dueOn, today, false)}
                  </td>
                </Row>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <details className="surface border-base rounded-lg border">
        <summary className="cursor-pointer px-3 py-3 font-medium">
          Later <span className="text-sm font-normal text-muted tabular-nums">({work.later.length})</span>
        </summary>
        {work.later.length === 0 ? (
          <p className="px-3 pb-3 text-sm text-muted">No later milestones.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="stack-table w-full text-sm">
              <caption className="sr-only">Your milestones that are not due soon</caption>
              <TableHead columns={LATER_COLUMNS} />
              <tbody>
                {work.later.map((item) => (
                  <Row key={`${item.systemKey}/${item.milestone}`}>
                    <td data-label="System" className="px-3 py-2">
                      <Link
                        className="font-medium hover:underline"
                        href={`/systems/${item.systemKey}#cp-${item.milestone}`}
                      >
                        {item.systemName}
                      </Link>
                    </td>
                    <td data-label="Milestone" className="px-3 py-2">
                      {item.milestoneName}
                    </td>
                    <td data-label="Status" className="px-3 py-2">
                      <StatusBadge status={item.status} />
                    </td>
                    <td data-label="Due" className="px-3 py-2 tabular-nums">
                      {formatDue(item.dueOn, today, false)}
                    </td>
                  </Row>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </div>
  );
}
