import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Archive, ArrowLeft, Bot, CalendarClock, ExternalLink, Info, Pencil, UserX } from "lucide-react";
import { HealthBadge } from "@/components/health-badge";
import { MilestoneItem } from "@/components/milestone-item";
import { ProgressBar } from "@/components/progress-bar";
import { StatusBadge } from "@/components/status-badge";
import { tierLabel } from "@/components/tier-label";
import { can } from "@/lib/domain/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { getSystemDetail } from "@/lib/data/checkpoints/system-detail";
import { type CheckpointDto, type UserRef } from "@/lib/data/checkpoints/dto";
import { getSystemDiscussion, type SystemDiscussionDto } from "@/lib/data/comments";
import { getActiveProgram } from "@/lib/data/program";
import { SIGN_OFF_EXPLAINED } from "@/lib/domain/refusal";
import { NotFound } from "@/lib/errors";
import { formatDateTime, formatDue } from "@/lib/format";
import { DECISION_LABEL, EVIDENCE_KIND_LABEL, labelOf, seniorityWord } from "@/lib/labels";
import {
  AddEvidenceForm,
  ReviewForm,
  RevokeWaiverForm,
  SubmitForm,
  WaiveForm,
  WithdrawButton,
} from "./checkpoint-actions";
import { programDay } from "@/lib/domain/schedule";
import { ArchiveForm } from "./archive-form";
import { DueDateOverride } from "./due-date";
import { Discussion } from "./discussion";
import { SystemChanges } from "./system-changes";

type Params = Promise<{ key: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: (await params).key };
}

const people = (list: UserRef[]) =>
  list.length ? list.map((u) => `${u.name} (${seniorityWord(u.seniority)})`).join(", ") : "None assigned";

/** The one line a completed milestone shows while collapsed: who closed it, and when. */
function doneLine(checkpoint: CheckpointDto, today: Date): string {
  if (checkpoint.status === "WAIVED" && checkpoint.waiver)
    return `Waived until ${formatDue(checkpoint.waiver.expiresOn, today, true)}`;
  const approvers = checkpoint.reviews.filter(
    (r) => r.decision === "APPROVE" && !r.stale && r.round === checkpoint.round,
  );
  const last = approvers.at(-1);
  return approvers.length
    ? `Signed off by ${approvers.map((r) => r.reviewer.name).join(", ")}${last ? ` · ${formatDateTime(new Date(last.at))}` : ""}`
    : "Done";
}

function Checkpoint({
  systemKey,
  checkpoint,
  today,
  waiverDates,
  manage,
  discussion,
}: {
  systemKey: string;
  checkpoint: CheckpointDto;
  today: Date;
  waiverDates: { min: string; max: string };
  manage: { min: string; max: string } | null;
  discussion: SystemDiscussionDto;
}) {
  const done = checkpoint.status === "APPROVED" || checkpoint.status === "WAIVED";
  const target = {
    systemKey,
    milestone: checkpoint.milestone,
    milestoneName: checkpoint.name,
    version: checkpoint.version,
    status: checkpoint.status,
  };
  const { actions } = checkpoint;
  // A refusal worth explaining: the person is involved with this review but may not sign it.
  // It is information, not an error, so it reads in the muted style.
  const reviewNote =
    checkpoint.status === "SUBMITTED" && !actions.review.allowed && SIGN_OFF_EXPLAINED.has(actions.review.code)
      ? actions.review.reason
      : null;
  const titleId = `cp-${checkpoint.milestone}-title`;
  const current = checkpoint.evidence.filter((e) => !e.withdrawn).length;
  const summary = (
    <div className="flex flex-wrap items-start justify-between gap-2">
      <div className="min-w-0">
        <h3 id={titleId} className="font-medium">
          <span className="mr-2 text-muted tabular-nums">{checkpoint.sequence}.</span>
          {checkpoint.name}
        </h3>
        {done ? (
          <p className="mt-0.5 text-xs text-muted">
            {doneLine(checkpoint, today)} <span className="underline group-open:hidden">Show details</span>
            <span className="hidden underline group-open:inline">Hide details</span>
          </p>
        ) : (
          <p className="mt-0.5 text-xs text-muted">
            Due {formatDue(checkpoint.dueOn, today, done)} · {checkpoint.requiredApprovals} approval
            {checkpoint.requiredApprovals === 1 ? "" : "s"} from {seniorityWord(checkpoint.minReviewerSeniority)}
            -or-above reviewers
          </p>
        )}
        {checkpoint.noEligibleReviewer && !done ? (
          <p
            className="mt-1 inline-flex items-start gap-1 text-xs font-medium"
            role="note"
            style={{ color: "var(--color-health-overdue)" }}
          >
            <UserX aria-hidden className="mt-px size-3.5 shrink-0" />
            <span>No eligible reviewer: {checkpoint.noEligibleReviewer}</span>
          </p>
        ) : null}
        {checkpoint.dueOnOverride && !done ? (
          <p className="mt-0.5 inline-flex items-start gap-1 text-xs">
            <CalendarClock aria-hidden className="mt-px size-3.5 shrink-0" />
            <span>
              Due date changed{checkpoint.dueOnOverride.by ? ` by ${checkpoint.dueOnOverride.by.name}` : ""}:{" "}
              {checkpoint.dueOnOverride.reason}
            </span>
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={checkpoint.status} />
        {done ? null : <HealthBadge health={checkpoint.health} />}
      </div>
    </div>
  );
  return (
    <MilestoneItem id={`cp-${checkpoint.milestone}`} titleId={titleId} collapsed={done} summary={summary}>
      {done ? (
        <p className="mt-1 text-xs text-muted">
          Was due {formatDue(checkpoint.dueOn, today, true)} · {checkpoint.requiredApprovals} approval
          {checkpoint.requiredApprovals === 1 ? "" : "s"} from {seniorityWord(checkpoint.minReviewerSeniority)}-or-above
          reviewers
        </p>
      ) : null}
      {checkpoint.waiver ? (
        <div className="mt-3 rounded-md border border-[var(--color-status-waived)] px-3 py-2 text-sm">
          <p>
            Waived by {checkpoint.waiver.grantedBy.name} until {formatDue(checkpoint.waiver.expiresOn, today, true)}:{" "}
            {checkpoint.waiver.reason}
          </p>
          {actions.revokeWaiver.allowed ? <RevokeWaiverForm target={target} /> : null}
        </div>
      ) : null}

      {checkpoint.evidence.length ? (
        <div className="mt-3">
          <h4 className="text-xs font-medium uppercase tracking-wide text-muted">Evidence</h4>
          <ul className="mt-1 space-y-1 text-sm">
            {checkpoint.evidence.map((e) => (
              <li key={e.id} className={`break-words ${e.withdrawn ? "text-muted line-through" : ""}`}>
                <a
                  href={e.url}
                  target="_blank"
                  rel="noopener noreferrer"
                  className="inline-flex items-center gap-1 font-medium underline"
                >
                  {e.title}
                  <ExternalLink aria-hidden className="size-3" />
                  <span className="sr-only">(opens in a new tab)</span>
                </a>{" "}
                <span className="text-xs text-muted">
                  {labelOf(EVIDENCE_KIND_LABEL, e.kind)} · {e.submittedBy.name} ·{" "}
                  {formatDateTime(new Date(e.submittedAt))}
                  {e.withdrawn ? " · withdrawn" : ""}
                </span>
                {e.note ? <span className="block text-xs text-muted">{e.note}</span> : null}{" "}
                {!e.withdrawn && actions.addEvidence.allowed ? (
                  <WithdrawButton target={target} evidenceId={e.id} title={e.title} lastCurrent={current === 1} />
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {checkpoint.reviews.length ? (
        <div className="mt-3">
          <h4 className="text-xs font-medium uppercase tracking-wide text-muted">Reviews</h4>
          <ul className="mt-1 space-y-1 text-sm">
            {checkpoint.reviews.map((r) => (
              <li key={r.id} className={r.stale ? "text-muted" : ""}>
                <span className="font-medium">{DECISION_LABEL[r.decision]}</span> by {r.reviewer.name} (
                {seniorityWord(r.seniority)}) · {formatDateTime(new Date(r.at))}
                {r.stale ? (
                  <span className="ml-1 rounded border border-[var(--border)] px-1 text-xs">stale</span>
                ) : null}
                {r.comment ? <span className="block break-words text-xs">“{r.comment}”</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="mt-3 space-y-3 empty:hidden">
        {actions.review.allowed ? <ReviewForm target={target} /> : null}
        {reviewNote ? (
          <p className="inline-flex items-start gap-1.5 text-sm text-muted" role="note">
            <Info aria-hidden className="mt-0.5 size-4 shrink-0" />
            <span>{reviewNote}</span>
          </p>
        ) : null}
        {actions.submit.allowed ? <SubmitForm target={target} /> : null}
        {actions.addEvidence.allowed && !done ? (
          <AddEvidenceForm target={target} hint={checkpoint.evidenceHint} />
        ) : null}
        {actions.waive.allowed ? (
          <WaiveForm target={target} minDate={waiverDates.min} maxDate={waiverDates.max} />
        ) : null}
        {manage ? (
          <DueDateOverride
            target={{ ...target, dueOn: checkpoint.dueOn, overridden: checkpoint.dueOnOverride !== null }}
            min={manage.min}
            max={manage.max}
          />
        ) : null}
      </div>
      <Discussion
        systemKey={systemKey}
        milestone={checkpoint.milestone}
        milestoneName={checkpoint.name}
        comments={discussion.byMilestone[checkpoint.milestone] ?? []}
        audience={discussion.audience}
        canPost={discussion.canPost}
      />
    </MilestoneItem>
  );
}

export default async function SystemPage({ params }: { params: Params }) {
  const { key } = await params;
  const user = await requirePageUser();
  const system = await getSystemDetail(actorOf(user), key).catch((error: unknown) => {
    if (error instanceof NotFound) notFound();
    throw error;
  });
  const [program, discussion] = await Promise.all([getActiveProgram(), getSystemDiscussion(actorOf(user), key)]);
  const today = new Date();
  const programEnd = program ? program.endsOn.toISOString().slice(0, 10) : "";
  // Rule 8: a waiver ends no earlier than today and no later than the program's last day.
  const waiverDates = { min: today.toISOString().slice(0, 10), max: programEnd };
  // Leads may move due dates anywhere within the program.
  const manage =
    can(user, "system.manage") && program
      ? { min: program.startsOn.toISOString().slice(0, 10), max: programEnd }
      : null;

  return (
    <div className="mx-auto max-w-5xl space-y-5">
      <Link href="/systems" className="inline-flex items-center gap-1 text-sm text-muted hover:underline">
        <ArrowLeft aria-hidden className="size-4" /> All systems
      </Link>
      {system.archived ? (
        <p
          role="status"
          className="flex items-start gap-2 rounded-lg border border-[var(--border)] bg-[var(--surface-muted)] px-4 py-3 text-sm"
        >
          <Archive aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span>
            <strong>Archived</strong> on {formatDateTime(new Date(system.archived.at))}: {system.archived.reason}. It is
            left out of every figure, queue and default listing; its history stays.
          </span>
        </p>
      ) : null}
      <header className="surface border-base rounded-lg border p-4">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 className="text-xl font-semibold tracking-tight">{system.name}</h1>
            <p className="font-mono text-xs text-muted">{system.key}</p>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <ProgressBar progress={system.progress} />
            <HealthBadge health={system.health} />
            {manage ? (
              <Link
                href={`/systems/${system.key}/edit`}
                className="border-base inline-flex h-8 items-center gap-1.5 rounded-md border px-3 text-sm font-medium hover:bg-[var(--surface-muted)]"
              >
                <Pencil aria-hidden className="size-3.5" /> Edit system
              </Link>
            ) : null}
          </div>
        </div>
        {system.description ? <p className="mt-2 text-sm">{system.description}</p> : null}
        <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
          <div className="flex gap-2">
            <dt className="text-muted">Team</dt>
            <dd>{system.team}</dd>
          </div>
          <div className="flex gap-2">
            <dt className="text-muted">Tier</dt>
            <dd>
              {tierLabel(system.tier)}
              {system.aiAssisted ? (
                <span className="ml-2 inline-flex items-center gap-1 text-muted">
                  <Bot aria-hidden className="size-3.5" /> ships AI-assisted changes
                </span>
              ) : null}
            </dd>
          </div>
          <div className="flex gap-2">
            <dt className="text-muted">Owners</dt>
            <dd className="min-w-0">{people(system.owners)}</dd>
          </div>
          <div className="flex gap-2">
            <dt className="text-muted">Reviewers</dt>
            <dd className="min-w-0">{people(system.reviewers)}</dd>
          </div>
          {system.repoUrl ? (
            <div className="flex gap-2">
              <dt className="text-muted">Repository</dt>
              <dd className="min-w-0 break-all">
                <a className="underline" href={system.repoUrl} target="_blank" rel="noopener noreferrer">
                  {system.repoUrl.replace(/^https?:\/\//, "")}
                </a>
              </dd>
            </div>
          ) : null}
          {system.runbookUrl ? (
            <div className="flex gap-2">
              <dt className="text-muted">Runbook</dt>
              <dd className="min-w-0 break-all">
                <a className="underline" href={system.runbookUrl} target="_blank" rel="noopener noreferrer">
                  {system.runbookUrl.replace(/^https?:\/\//, "")}
                </a>
              </dd>
            </div>
          ) : null}
          {system.joinedOn && program ? (
            <div className="flex gap-2">
              <dt className="text-muted">Joined</dt>
              <dd>
                day {programDay(program, new Date(`${system.joinedOn}T00:00:00Z`))}{" "}
                <span className="text-muted">(due dates scaled into the time left)</span>
              </dd>
            </div>
          ) : null}
        </dl>
        {manage ? (
          <div className="mt-3">
            <ArchiveForm systemKey={system.key} archived={system.archived !== null} />
          </div>
        ) : null}
      </header>

      <section aria-labelledby="milestones">
        <h2 id="milestones" className="mb-2 font-medium">
          Milestones
        </h2>
        <ol className="space-y-3">
          {system.checkpoints.map((checkpoint) => (
            <Checkpoint
              key={checkpoint.milestone}
              systemKey={system.key}
              checkpoint={checkpoint}
              today={today}
              waiverDates={waiverDates}
              manage={manage}
              discussion={discussion}
            />
          ))}
        </ol>
      </section>
      <SystemChanges systemKey={system.key} />
    </div>
  );
}
