import type { Metadata } from "next";
import Link from "next/link";
import { HealthBadge } from "@/components/health-badge";
import { StatusBadge } from "@/components/status-badge";
import { tierLabel } from "@/components/tier-label";
import { Row, TableHead } from "@/components/ui/table";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { getMyWork } from "@/lib/data/my-work";
import { formatDue } from "@/lib/format";

export const metadata: Metadata = { title: "My work" };

const REVIEW_COLUMNS = [{ label: "System" }, { label: "Milestone" }, { label: "Tier" }, { label: "Waiting", align: "right" }] as const;
const OWNER_COLUMNS = [{ label: "System" }, { label: "Milestone" }, { label: "Status" }, { label: "Due" }, { label: "Health" }] as const;

export default async function MyWorkPage() {
  const user = await requirePageUser();
  const work = await getMyWork(actorOf(user));
  const today = new Date();
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">My work</h1>
        <p className="text-sm text-muted">
          {work.waiting === 0 ? "Nothing is waiting on you right now." : `${work.waiting} item${work.waiting === 1 ? "" : "s"} waiting on you.`}
        </p>
      </div>

      <section aria-labelledby="to-review" className="surface border-base overflow-x-auto rounded-lg border">
        <h2 id="to-review" className="px-3 pt-3 font-medium">
          Waiting for your sign-off <span className="text-sm font-normal text-muted tabular-nums">({work.reviews.length})</span>
        </h2>
        {work.reviews.length === 0 ? (
          <p className="px-3 pb-3 pt-1 text-sm text-muted">No submissions are waiting for you.</p>
        ) : (
          <table className="mt-2 w-full text-sm">
            <caption className="sr-only">Submissions waiting for your sign-off, oldest first</caption>
            <TableHead columns={REVIEW_COLUMNS} />
            <tbody>
              {work.reviews.map((r) => (
                <Row key={`${r.systemKey}/${r.milestone}`}>
                  <td className="px-3 py-2">
                    <Link className="font-medium hover:underline" href={`/systems/${r.systemKey}#cp-${r.milestone}`}>
                      {r.systemName}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{r.milestoneName}</td>
                  <td className="px-3 py-2">{tierLabel(r.tier)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{r.waitingDays === 0 ? "today" : `${r.waitingDays} day${r.waitingDays === 1 ? "" : "s"}`}</td>
                </Row>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="owned" className="surface border-base overflow-x-auto rounded-lg border">
        <h2 id="owned" className="px-3 pt-3 font-medium">
          Your open checkpoints <span className="text-sm font-normal text-muted tabular-nums">({work.owned.length})</span>
        </h2>
        {work.owned.length === 0 ? (
          <p className="px-3 pb-3 pt-1 text-sm text-muted">You own no open checkpoints.</p>
        ) : (
          <table className="mt-2 w-full text-sm">
            <caption className="sr-only">Checkpoints of the systems you own, overdue first, then by due date</caption>
            <TableHead columns={OWNER_COLUMNS} />
            <tbody>
              {work.owned.map((o) => (
                <Row key={`${o.systemKey}/${o.milestone}`}>
                  <td className="px-3 py-2">
                    <Link className="font-medium hover:underline" href={`/systems/${o.systemKey}#cp-${o.milestone}`}>
                      {o.systemName}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{o.milestoneName}</td>
                  <td className="px-3 py-2">
                    <StatusBadge status={o.status} />
                  </td>
                  <td className="px-3 py-2 tabular-nums">{formatDue(o.dueOn, today, false)}</td>
                  <td className="px-3 py-2">
                    <HealthBadge health={o.health} />
                  </td>
                </Row>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
