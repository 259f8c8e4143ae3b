// What the system page says after a workflow action succeeds: what happened and what comes
// next, in people's words. Pure: the server action passes the checkpoint as the command
// returned it and the system's people; nothing here reads the database.
import { SENIORITY_ORDER, type Seniority } from "@/lib/domain/checkpoint-workflow";
import type { CheckpointStatus } from "@/lib/domain/schedule";
import { STATUS_LABEL, seniorityWord } from "@/lib/labels";
import { formatShortDay } from "@/lib/format";

interface Person {
  email: string;
  name: string;
  seniority: Seniority;
}

export interface CheckpointAfter {
  name: string;
  status: CheckpointStatus;
  round: number;
  requiredApprovals: number;
  /** Already raised to SENIOR on an AI-assisted system (the DTO carries the effective minimum). */
  minReviewerSeniority: string;
  evidence: readonly { submittedBy: { email: string }; withdrawn: boolean }[];
  reviews: readonly {
    reviewer: { email: string };
    decision: "APPROVE" | "REQUEST_CHANGES";
    round: number;
    stale: boolean;
  }[];
  waiver: { expiresOn: string } | null;
}

export interface SystemPeople {
  owners: readonly Person[];
  reviewers: readonly Person[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const rank = (s: string) => SENIORITY_ORDER.indexOf(s as Seniority);

function approvalsInRound(checkpoint: CheckpointAfter): Set<string> {
  return new Set(
    checkpoint.reviews
      .filter((r) => r.round === checkpoint.round && r.decision === "APPROVE" && !r.stale)
      .map((r) => r.reviewer.email),
  );
}

/**
 * The assigned reviewers who could still sign this round off (rules 4 and 5): senior enough,
 * not an owner, not the author of current evidence, and not already counted.
 */
export function reviewersWhoCanSign(checkpoint: CheckpointAfter, people: SystemPeople): Person[] {
  const owners = new Set(people.owners.map((p) => p.email));
  const authors = new Set(checkpoint.evidence.filter((e) => !e.withdrawn).map((e) => e.submittedBy.email));
  const approved = approvalsInRound(checkpoint);
  return people.reviewers.filter(
    (p) =>
      rank(p.seniority) >= rank(checkpoint.minReviewerSeniority) &&
      !owners.has(p.email) &&
      !authors.has(p.email) &&
      !approved.has(p.email),
  );
}

function waitingOn(checkpoint: CheckpointAfter, people: SystemPeople): string {
  const missing = Math.max(0, checkpoint.requiredApprovals - approvalsInRound(checkpoint).size);
  const who = `${seniorityWord(checkpoint.minReviewerSeniority)}-or-above reviewers`;
  const eligible = reviewersWhoCanSign(checkpoint, people);
  if (eligible.length === 0)
    return `waiting on ${plural(missing, "approval")}, but no assigned reviewer can sign it off yet (they need to be ${who}, not owners or evidence authors); ask the program lead to assign one.`;
  const names = eligible.map((p) => p.name).join(", ");
  const short =
    eligible.length < missing
      ? ` Only ${eligible.length} of them can sign it; ask the program lead for another reviewer.`
      : "";
  return `waiting on ${plural(missing, "approval")} from ${who}: ${names}.${short}`;
}

export function submittedMessage(checkpoint: CheckpointAfter, people: SystemPeople): string {
  return `Submitted “${checkpoint.name}” — ${waitingOn(checkpoint, people)}`;
}

export function evidenceAddedMessage(before: CheckpointStatus | undefined, checkpoint: CheckpointAfter): string {
  const reopened = before === "APPROVED" || before === "SUBMITTED";
  return reopened
    ? `Evidence added to “${checkpoint.name}”. It is back in progress and its earlier approvals are stale: submit it again for review.`
    : `Evidence added to “${checkpoint.name}”. Submit it for review when the evidence is complete.`;
}

export function evidenceWithdrawnMessage(before: CheckpointStatus | undefined, checkpoint: CheckpointAfter): string {
  const current = checkpoint.evidence.filter((e) => !e.withdrawn).length;
  const reopened = before === "APPROVED" || before === "SUBMITTED";
  const next =
    current === 0
      ? "It has no current evidence: add some before submitting."
      : reopened
        ? "Submit it again for review."
        : "";
  return `Evidence withdrawn from “${checkpoint.name}”; it is now ${STATUS_LABEL[checkpoint.status].toLowerCase()}${reopened ? " and its approvals are stale" : ""}. ${next}`.trim();
}

export function reviewedMessage(checkpoint: CheckpointAfter, people: SystemPeople): string {
  if (checkpoint.status === "APPROVED") return `Approved — “${checkpoint.name}” is done.`;
  if (checkpoint.status === "CHANGES_REQUESTED") {
    const owners = people.owners.map((p) => p.name).join(", ");
    return `Changes requested — “${checkpoint.name}” is back with ${owners ? `its owners (${owners})` : "its owners"}.`;
  }
  return `Approved — “${checkpoint.name}” is still ${waitingOn(checkpoint, people)}`;
}

export function waivedMessage(checkpoint: CheckpointAfter): string {
  const until = checkpoint.waiver ? ` until ${formatShortDay(checkpoint.waiver.expiresOn)}` : "";
  return `Waived “${checkpoint.name}”${until}. It counts as waived, not approved, and returns to its earlier state when the waiver ends.`;
}

export function waiverRevokedMessage(checkpoint: CheckpointAfter): string {
  return `Waiver revoked — “${checkpoint.name}” is ${STATUS_LABEL[checkpoint.status].toLowerCase()} again.`;
}
