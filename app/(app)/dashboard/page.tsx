import type { Metadata } from "next";
import Link from "next/link";
import { Printer } from "lucide-react";
import { AtRisk } from "@/components/dashboard/at-risk";
import { BurnUp } from "@/components/dashboard/burn-up";
import { Funnel } from "@/components/dashboard/funnel";
import { ForecastSentence } from "@/components/dashboard/forecast-sentence";
import { Headline } from "@/components/dashboard/headline";
import { Heatmap } from "@/components/dashboard/heatmap";
import { LeadQueueStrip } from "@/components/dashboard/lead-queue";
import { MilestoneChart } from "@/components/dashboard/milestone-chart";
import { ReviewerLoad } from "@/components/dashboard/reviewer-load";
import { TierBreakdown } from "@/components/dashboard/tier-breakdown";
import { WeekChangeList } from "@/components/dashboard/week-change";
import { ChangeGateWeekly } from "./change-gate-weekly";
import { can } from "@/lib/domain/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { getLeadQueueSummary } from "@/lib/data/lead-queue";
import { getProgress } from "@/lib/data/progress";
import { weekOverWeekChange } from "@/lib/data/progress-snapshots";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requirePageUser();
  const leads = can(user, "system.manage");
  const report = await getProgress(actorOf(user));
  if (!report) {
    return (
      <div className="mx-auto max-w-3xl">
        <h1 className="text-xl font-semibold tracking-tight">Dashboard</h1>
        <p className="mt-2 text-sm text-muted">
          There is no active program yet. A program lead starts one by seeding or importing systems (see the README).
        </p>
      </div>
    );
  }
  // A lead sees the queue's counts; its lists are on My work.
  const [change, queue] = await Promise.all([
    weekOverWeekChange(report),
    leads ? getLeadQueueSummary(actorOf(user)) : null,
  ]);
  return (
    <div className="mx-auto max-w-7xl space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Dashboard</h1>
          <p className="text-sm text-muted">
            {report.program.name} · as of {formatDateTime(new Date(report.asOf))}
          </p>
        </div>
        <Link
          href="/report"
          className="border-base inline-flex items-center gap-1.5 rounded-md border px-3 py-1.5 text-sm font-medium hover:bg-[var(--surface-muted)]"
        >
          <Printer aria-hidden className="size-4" />
          Executive report
        </Link>
      </div>
      {report.totals.checkpoints === 0 ? (
        <p className="surface border-base rounded-lg border p-4 text-sm text-muted">
          The program has no systems yet, so there is nothing to chart. Leads add systems on the{" "}
          <Link href="/systems" className="underline">
            Systems
          </Link>{" "}
          page.
        </p>
      ) : (
        <>
          <ForecastSentence report={report} />
          {queue ? <LeadQueueStrip summary={queue} /> : null}
          <Headline report={report} />
          <section aria-labelledby="week-change" className="surface border-base rounded-lg border p-4">
            <h2 id="week-change" className="font-medium">
              This week
            </h2>
            <WeekChangeList change={change} />
          </section>
          <BurnUp report={report} />
          <div className="grid gap-4 lg:grid-cols-2">
            <MilestoneChart report={report} />
            <Funnel report={report} />
          </div>
          <div className="grid gap-4 lg:grid-cols-2">
            <Heatmap report={report} />
            <TierBreakdown report={report} />
          </div>
          <div className="grid gap-4 lg:grid-cols-[3fr_2fr]">
            <AtRisk report={report} />
            <ReviewerLoad report={report} />
          </div>
          <ChangeGateWeekly />
        </>
      )}
    </div>
  );
}
