import type { Metadata } from "next";
import { Download } from "lucide-react";
import { AtRisk } from "@/components/dashboard/at-risk";
import { BurnUp } from "@/components/dashboard/burn-up";
import { ForecastSentence } from "@/components/dashboard/forecast-sentence";
import { Headline } from "@/components/dashboard/headline";
import { MilestoneChart } from "@/components/dashboard/milestone-chart";
import { WeekChangeList } from "@/components/dashboard/week-change";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { getProgress } from "@/lib/data/progress";
import { weekOverWeekChange } from "@/lib/data/progress-snapshots";
import type { ProgressReport } from "@/lib/domain/progress-report";
import { formatDateTime } from "@/lib/format";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Executive report" };

// Six, so that the printed report is two full pages on A4 and on Letter (checked with Chromium's
// PDF output); the registry has the whole list.
const TOP_RISKS = 5;

/** Text as a CSS string literal: quotes and backslashes escaped, line breaks dropped. */
const cssString = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, " ")}"`;

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
  const topRisks: ProgressReport = {
    ...report,
    atRisk: { ...report.atRisk, items: report.atRisk.items.slice(0, TOP_RISKS) },
  };
  return (
    <article className="report mx-auto max-w-5xl space-y-4 print:max-w-none print:space-y-3">
      {/* The printed footer: the program, the as-of time and "page N of M", on A4 and Letter alike. */}
      <style>{`@page { @bottom-left { content: ${cssString(`${report.program.name} · executive report · figures as of ${formatDateTime(new Date(report.asOf))}`)}; } }`}</style>
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <p className="text-sm text-muted">Executive report</p>
          <h1 className="text-2xl font-semibold tracking-tight">{report.program.name}</h1>
          <p className="text-sm text-muted tabular-nums">
            Day {Math.min(report.program.day, report.program.durationDays)} of {report.program.durationDays} ·{" "}
            {report.program.daysLeft} days left · figures as of {formatDateTime(new Date(report.asOf))}
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
          <section
            aria-labelledby="week-change"
            className="surface border-base break-inside-avoid rounded-lg border p-4"
          >
            <h2 id="week-change" className="font-medium">
              Week over week
            </h2>
            <WeekChangeList change={change} />
          </section>
          <div className="break-inside-avoid">
            <BurnUp report={report} />
          </div>
          <div className="break-inside-avoid print:break-before-page">
            <MilestoneChart report={report} links={false} />
          </div>
          {/* A table, not a chart: it may run on to the next page rather than leave this one half empty. */}
          <AtRisk report={topRisks} title="Top risks" />
        </>
      )}
    </article>
  );
}
