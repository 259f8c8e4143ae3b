"use client";
// The import page's island: choose a CSV file → preview (counts and every row's errors, nothing
// written) → apply, reading the server's NDJSON progress events into a real progress bar.
import Link from "next/link";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Row, TableHead } from "@/components/ui/table";
import type { AssignmentWarning } from "@/lib/data/assignment-warnings";
import type { ImportReport } from "@/lib/data/import";

type Phase =
  | { kind: "idle" }
  | { kind: "previewing" }
  | { kind: "previewed"; report: ImportReport }
  | { kind: "applying"; report: ImportReport; done: number; total: number }
  | { kind: "applied"; report: ImportReport; seconds: number; warnings: AssignmentWarning[] }
  | { kind: "failed"; message: string; report?: ImportReport };

const ENDPOINT = "/systems/import/run";
const ERROR_COLUMNS = [{ label: "Row", align: "right" }, { label: "Key and column" }, { label: "Problem" }] as const;

async function problemOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: string };
    return body.detail ?? `The server answered ${response.status}.`;
  } catch {
    return `The server answered ${response.status}.`;
  }
}

/** Rule 14's warning after the import: milestones its assignments leave without an eligible reviewer. */
function ReviewerWarnings({ warnings }: { warnings: AssignmentWarning[] }) {
  if (!warnings.length) return null;
  const systems = new Set(warnings.map((w) => w.systemKey)).size;
  return (
    <section aria-labelledby="import-warnings" className="space-y-2">
      <h3 id="import-warnings" className="font-medium" style={{ color: "var(--color-health-at-risk)" }}>
        Saved, but {warnings.length} milestone{warnings.length === 1 ? "" : "s"} on {systems} system
        {systems === 1 ? "" : "s"} {warnings.length === 1 ? "has" : "have"} no eligible reviewer
      </h3>
      <ul className="list-disc space-y-1 pl-5 text-sm">
        {warnings.slice(0, 50).map((w) => (
          <li key={`${w.systemKey}/${w.milestone}`}>
            <Link className="underline" href={`/systems/${w.systemKey}`}>
              {w.systemKey} — {w.milestoneName}: {w.reason}
            </Link>
          </li>
        ))}
      </ul>
      {warnings.length > 50 ? (
        <p className="text-sm">
          And {warnings.length - 50} more:{" "}
          <Link className="underline" href="/systems?flag=no-eligible-reviewer">
            every system without an eligible reviewer
          </Link>
          .
        </p>
      ) : null}
    </section>
  );
}

function Counts({ report, label }: { report: ImportReport; label: string }) {
  const items = [
    ["To create", report.create],
    ["To update", report.update],
    ["Unchanged", report.unchanged],
    ["Rows with errors", new Set(report.errors.map((e) => e.row)).size],
  ] as const;
  return (
    <dl aria-label={label} className="grid grid-cols-2 gap-2 sm:grid-cols-4">
      {items.map(([name, value]) => (
        <div key={name} className="border-base rounded-md border px-3 py-2">
          <dt className="text-xs text-muted">{name}</dt>
          <dd className="text-right text-lg font-semibold tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ErrorTable({ report }: { report: ImportReport }) {
  if (!report.errors.length) return null;
  return (
    <section aria-labelledby="import-errors" className="space-y-2">
      <h2 id="import-errors" className="font-medium" style={{ color: "var(--color-health-overdue)" }}>
        {report.errors.length} problem{report.errors.length === 1 ? "" : "s"} to fix — nothing will be written until the
        file is clean
      </h2>
      <div className="border-base relative overflow-x-auto rounded-lg border">
        <table className="w-full text-sm">
          <TableHead columns={ERROR_COLUMNS} />
          <tbody>
            {report.errors.map((e, i) => (
              <Row key={i}>
                <td className="px-3 py-2 text-right align-top tabular-nums">{e.row}</td>
                <td className="px-3 py-2 font-mono text-xs">
                  <span className="block break-all">{e.key ?? "—"}</span>
                  {e.column ? <span className="block text-muted">{e.column}</span> : null}
                </td>
                <td className="px-3 py-2">{e.message}</td>
              </Row>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ImportSystems() {
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [file, setFile] = useState<File | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function preview() {
    if (!file) return;
    setPhase({ kind: "previewing" });
    const body = new FormData();
    body.set("file", file);
    body.set("mode", "preview");
    const response = await fetch(ENDPOINT, { method: "POST", body }).catch(() => null);
    if (!response)
      return setPhase({ kind: "failed", message: "The server could not be reached; nothing was written. Try again." });
    if (!response.ok) return setPhase({ kind: "failed", message: await problemOf(response) });
    setPhase({ kind: "previewed", report: (await response.json()) as ImportReport });
  }

  async function apply(report: ImportReport) {
    if (!file) return;
    const total = report.create + report.update + report.unchanged;
    setPhase({ kind: "applying", report, done: 0, total });
    const started = performance.now();
    const body = new FormData();
    body.set("file", file);
    body.set("mode", "apply");
    const response = await fetch(ENDPOINT, { method: "POST", body }).catch(() => null);
    if (!response?.body)
      return setPhase({
        kind: "failed",
        message: "The server could not be reached; nothing was written. Try again.",
        report,
      });
    if (!response.ok) return setPhase({ kind: "failed", message: await problemOf(response), report });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        const event = JSON.parse(line) as
          | { type: "progress"; done: number; total: number }
          | { type: "result"; report: ImportReport; warnings?: AssignmentWarning[] }
          | { type: "error"; message: string };
        if (event.type === "progress") setPhase({ kind: "applying", report, done: event.done, total: event.total });
        else if (event.type === "error")
          return setPhase({ kind: "failed", message: `${event.message} Nothing was written.`, report });
        else if (!event.report.applied) return setPhase({ kind: "previewed", report: event.report });
        else
          return setPhase({
            kind: "applied",
            report: event.report,
            seconds: (performance.now() - started) / 1000,
            warnings: event.warnings ?? [],
          });
      }
    }
    setPhase({
      kind: "failed",
      message: "The import stopped without an answer; nothing was written. Try again.",
      report,
    });
  }

  const busy = phase.kind === "previewing" || phase.kind === "applying";
  const report = "report" in phase ? phase.report : undefined;
  const changes = report ? report.create + report.update : 0;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1">
          <label htmlFor="import-file" className="block text-xs font-medium text-muted">
            CSV file (up to 5 MB)
          </label>
          <input
            ref={input}
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setPhase({ kind: "idle" });
            }}
            className="border-base mt-1 block w-full rounded-md border bg-transparent px-2.5 py-1.5 text-sm file:mr-3 file:rounded file:border-0 file:bg-[var(--surface-muted)] file:px-2 file:py-1"
          />
        </div>
        <Button onClick={preview} disabled={!file || busy}>
          {phase.kind === "previewing" ? "Checking…" : "Preview"}
        </Button>
      </div>

      {phase.kind === "previewing" ? (
        <div
          aria-busy="true"
          aria-label="Checking the file"
          className="surface border-base h-20 animate-pulse rounded-lg border"
        />
      ) : null}

      {report && phase.kind !== "applied" ? (
        <section aria-labelledby="import-preview" className="space-y-3">
          <h2 id="import-preview" className="font-medium">
            Preview of {file?.name}: {report.rows} row{report.rows === 1 ? "" : "s"}
          </h2>
          <Counts report={report} label="What the import would do" />
          <ErrorTable report={report} />
          {phase.kind === "previewed" && !report.errors.length ? (
            <div className="flex flex-wrap items-center gap-3">
              <Button variant="primary" onClick={() => apply(report)} disabled={changes === 0}>
                Apply {changes} change{changes === 1 ? "" : "s"}
              </Button>
              <span className="text-sm text-muted">
                {changes === 0
                  ? "Everything in this file is already in the registry."
                  : "All rows are written in one go, or none."}
              </span>
            </div>
          ) : null}
        </section>
      ) : null}

      {phase.kind === "applying" ? (
        <div className="space-y-1">
          <div
            role="progressbar"
            aria-label="Import progress"
            aria-valuemin={0}
            aria-valuemax={phase.total}
            aria-valuenow={phase.done}
            className="h-2 overflow-hidden rounded-full bg-[var(--border)]"
          >
            <div
              className="h-full transition-[width]"
              style={{
                width: `${phase.total ? (phase.done / phase.total) * 100 : 0}%`,
                background: "var(--color-status-submitted)",
              }}
            />
          </div>
          <p className="text-sm tabular-nums text-muted" aria-live="polite">
            Writing {phase.done} of {phase.total} rows…
          </p>
        </div>
      ) : null}

      {phase.kind === "applied" ? (
        <section aria-labelledby="import-result" className="space-y-3">
          <h2
            id="import-result"
            role="status"
            className="font-medium"
            style={{ color: "var(--color-status-approved)" }}
          >
            Imported: {phase.report.create} created, {phase.report.update} updated, {phase.report.unchanged} unchanged
            in {phase.seconds.toFixed(1)} s
          </h2>
          <Counts report={phase.report} label="What the import did" />
          <ReviewerWarnings warnings={phase.warnings} />
        </section>
      ) : null}

      {phase.kind === "failed" ? (
        <p role="alert" className="text-sm" style={{ color: "var(--color-health-overdue)" }}>
          {phase.message}
        </p>
      ) : null}
    </div>
  );
}
