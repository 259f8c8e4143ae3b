import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, Bot, ExternalLink } from "lucide-react";
import { ChangeStatusBadge } from "@/components/changes/change-status-badge";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { changeActionsFor, getChange } from "@/lib/data/changes";
import { SIGN_OFF_EXPLAINED } from "@/lib/domain/refusal";
import { NotFound } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { EditLinksForm, ReviewChangeForm } from "../change-forms";

export const metadata: Metadata = { title: "Change" };

function ExternalLinkTo({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    // Inline, not flex, and breaking anywhere: a long link wraps instead of widening a phone's page.
    <a href={href} target="_blank" rel="noopener noreferrer" className="break-all underline">
      {children}
      <ExternalLink aria-hidden className="ml-1 inline size-3 align-baseline" />
      <span className="sr-only">(opens in a new tab)</span>
    </a>
  );
}

export default async function ChangePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser();
  const actor = actorOf(user);
  const change = await getChange(actor, id).catch((error: unknown) => {
    if (error instanceof NotFound) notFound();
    throw error;
  });
  const actions = await changeActionsFor(actor, change);
  const { decision } = change;

  return (
    <div className="mx-auto max-w-4xl space-y-5">
      <Link
        href={`/changes?system=${change.system.key}`}
        className="inline-flex items-center gap-1 text-sm text-muted hover:underline"
      >
        <ArrowLeft aria-hidden className="size-4" /> Changes of {change.system.name}
      </Link>
      <header className="surface border-base rounded-lg border p-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 className="text-xl font-semibold tracking-tight">{change.title}</h1>
            <p className="text-sm text-muted">
              <Link href={`/systems/${change.system.key}`} className="hover:underline">
                {change.system.name}
              </Link>{" "}
              · by {change.author.name} ({change.author.seniority.toLowerCase()})
              {change.coAuthors.length ? ` with ${change.coAuthors.map((c) => c.name).join(", ")}` : ""}
              {change.serviceAccount ? ` · registered by ${change.serviceAccount}` : ""} ·{" "}
              {formatDateTime(new Date(change.createdAt))}
            </p>
          </div>
          <div className="flex items-center gap-2">
            {change.aiAssisted ? (
              <span className="inline-flex items-center gap-1 text-xs text-muted">
                <Bot aria-hidden className="size-3.5" /> AI-assisted
              </span>
            ) : null}
            <ChangeStatusBadge status={change.status} />
          </div>
        </div>
        <dl className="mt-3 grid gap-1 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
          <dt className="text-muted">Pull request</dt>
          <dd>
            <ExternalLinkTo href={change.url}>{change.url.replace(/^https?:\/\//, "")}</ExternalLinkTo>
          </dd>
          <dt className="text-muted">Rollback plan</dt>
          <dd>
            {change.rollbackPlanUrl ? (
              <ExternalLinkTo href={change.rollbackPlanUrl}>
                {change.rollbackPlanUrl.replace(/^https?:\/\//, "")}
              </ExternalLinkTo>
            ) : (
              "None yet"
            )}
          </dd>
          <dt className="text-muted">Documentation</dt>
          <dd>
            {change.docsUrl ? (
              <ExternalLinkTo href={change.docsUrl}>{change.docsUrl.replace(/^https?:\/\//, "")}</ExternalLinkTo>
            ) : (
              "None"
            )}
          </dd>
          <dt className="text-muted">Links revision</dt>
          <dd className="tabular-nums">{change.revision}</dd>
        </dl>
        {actions.edit ? (
          <div className="mt-3">
            <EditLinksForm change={change} />
          </div>
        ) : null}
      </header>

      <section aria-labelledby="decision" className="surface border-base rounded-lg border p-4">
        <h2 id="decision" className="font-medium">
          Gate decision: {decision.allowed ? "allowed to ship" : "blocked"}
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
          {decision.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
        {decision.approvals.length ? (
          <p className="mt-2 text-xs text-muted">
            Standing approvals:{" "}
            {decision.approvals
              .map(
                (a) =>
                  `${a.reviewer.name} (${a.seniority.toLowerCase()}, until ${formatDateTime(new Date(a.expiresAt))})`,
              )
              .join("; ")}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="reviews" className="surface border-base rounded-lg border p-4">
        <h2 id="reviews" className="font-medium">
          Reviews
        </h2>
        {change.reviews.length ? (
          <ul className="mt-2 space-y-1 text-sm">
            {change.reviews.map((r) => (
              <li key={r.id} className={r.stale ? "text-muted" : ""}>
                <span className="font-medium">{r.decision === "APPROVE" ? "Approved" : "Changes requested"}</span> by{" "}
                {r.reviewer.name} ({r.seniority.toLowerCase()}) · {formatDateTime(new Date(r.at))}
                {r.stale ? (
                  <span className="ml-1 rounded border border-[var(--border)] px-1 text-xs">
                    stale: links edited since
                  </span>
                ) : null}
                {r.comment ? <span className="block text-xs">“{r.comment}”</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 text-sm text-muted">
            No reviews yet. The system&apos;s assigned reviewers see this change here and on the system&apos;s page.
          </p>
        )}
        <div className="mt-3">
          {actions.review.allowed ? (
            <ReviewChangeForm changeId={change.id} revision={change.revision} />
          ) : actions.review.code && SIGN_OFF_EXPLAINED.has(actions.review.code) ? (
            <p role="note" className="text-sm" style={{ color: "var(--color-health-overdue)" }}>
              {actions.review.reason}
            </p>
          ) : null}
        </div>
      </section>

      {change.outcomes.length ? (
        <section aria-labelledby="outcomes" className="surface border-base rounded-lg border p-4">
          <h2 id="outcomes" className="font-medium">
            Outcome
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {change.outcomes.map((o) => (
              <li key={o.kind}>
                <span className="font-medium">{o.kind === "SHIPPED" ? "Shipped" : "Rolled back"}</span> ·{" "}
                {formatDateTime(new Date(o.at))} · recorded by {o.recordedBy.name}
                {o.kind === "SHIPPED" && !o.allowed ? (
                  <span className="block text-xs" style={{ color: "var(--color-health-overdue)" }}>
                    Shipped while the gate blocked it.
                  </span>
                ) : null}
                {o.incidentUrl ? (
                  <span className="block text-xs">
                    Incident:{" "}
                    <ExternalLinkTo href={o.incidentUrl}>{o.incidentUrl.replace(/^https?:\/\//, "")}</ExternalLinkTo>
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
