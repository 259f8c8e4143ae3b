import type { Metadata } from "next";
import { Download } from "lucide-react";
import { AtRisk } from "@/components/dashboard/at-risk";
import { BurnUp } from "@/components/dashboard/burn-up";
import { ForecastSentence } from "@/components/dashboard/forecast-sentence";
import { Headline } from "@/components/dashboard/headline";
import { MilestoneChart } from "@/components/dashboard/milestone-chart";
import { WeekChangeList } from "@/components/dashboard/week-change";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { getProgress, weekOverWeekChange, type ProgressReport } from "@/lib/data/progress";
import { formatDateTime } from "@/lib/format";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Executive report" };

const TOP_RISKS = 10;

export default async function ReportPage() {
  const user = await requirePageUser();
  const report = await getProgress(actorOf(user));
  if (!report) {
    return (
      <div className="mx-auto max-w-3xl">
        <h1 className="text-xl font-semibold tracking-tight">Executive report</h1>
        <p className="mt-2 text-sm text-muted">There is no active program yet, so there is nothing to report.</p>
      </div>
    );
  }
  const change = await weekOverWeekChange(report);
  const topRisks: ProgressReport = { ...report, atRisk: { ...report.atRisk, items: report.atRisk.items.slice(0, TOP_RISKS) } };
  return (
    <article className="mx-auto max-w-5xl space-y-4 print:max-w-none print:space-y-3">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <p className="text-sm text-muted">Executive report</p>
          <h1 className="text-2xl font-semibold tracking-tight">{report.program.name}</h1>
          <p className="text-sm text-muted tabular-nums">
            Day {Math.min(report.program.day, report.program.durationDays)} of {report.program.durationDays} · {report.program.daysLeft} days left · figures as of{" "}
            {formatDateTime(new Date(report.asOf))}
          </p>
        </div>
        <div className="flex gap-2 print:hidden">
          <a
            href="/report/csv"
            download
            className="border-base inline-flex items-center gap-1.5 rounded-md border px-3 py-1.5 text-sm font-medium hover:bg-[var(--surface-muted)]"
          >
            <Download aria-hidden className="size-4" />
            Download CSV
          </a>
          <PrintButton />
        </div>
      </header>
      {report.totals.checkpoints === 0 ? (
        <p className="text-sm text-muted">The program has no systems yet.</p>
      ) : (
        <>
          <ForecastSentence report={report} />
          <Headline report={report} />
          <section aria-labelledby="week-change" className="surface border-base break-inside-avoid rounded-lg border p-4">
            <h2 id="week-change" className="font-medium">
              Week over week
            </h2>
            <WeekChangeList change={change} />
          </section>
          <div className="break-inside-avoid">
            <BurnUp report={report} />
          </div>
          <div className="break-inside-avoid">
            <MilestoneChart report={report} links={false} />
          </div>
          <div className="break-inside-avoid">
            <AtRisk report={topRisks} title="Top risks" />
          </div>
        </>
      )}
    </article>
  );
}
