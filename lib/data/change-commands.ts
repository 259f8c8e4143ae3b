// The change gate's commands (docs/RULES.md, rule 16): register, edit links, review, record an
// outcome. Each: validate (zod) → who is asking → load → lib/domain decides → write and audit in
// one transaction → the change as it is now, with its decision.
import "server-only";
import { isServiceAccountEmail } from "@/lib/domain/service-account";
import { appendAuditEvent } from "@/lib/audit/append";
import type { JsonValue } from "@/lib/audit/chain";
import { auditActor, type Actor } from "@/lib/data/actor";
import { denied } from "@/lib/data/authz";
import {
  approvalTtlDays,
  callerOf,
  CHANGE_TX,
  changeSelect,
  decisionOf,
  factsOf,
  inScope,
  linksDigest,
  loadChange,
  lockChange,
  noteDecision,
  rollbackStatuses,
  toChangeDto,
  type Caller,
  type ChangeDto,
  type ChangeRow,
  type Tx,
} from "@/lib/data/changes";
import {
  changeOutcomeSchema,
  changeReviewSchema,
  registerChangeSchema,
  updateChangeSchema,
} from "@/lib/data/changes.schema";
import { notifyChangeAllowed, notifyChangeReviewers } from "@/lib/data/change-notifications";
import { db } from "@/lib/db";
import { decideChangeReview, linksChanged, renewalOf } from "@/lib/domain/change-gate";
import { parse } from "@/lib/data/parse";
import { Conflict, NotFound, RuleViolation, ValidationError, isUniqueViolation } from "@/lib/errors";

function event(
  actor: Actor,
  row: { id: string; system: { key: string } },
  action: string,
  data: Record<string, JsonValue>,
  caller?: Caller,
) {
  return {
    ...auditActor(actor),
    action,
    subjectType: "change",
    subjectId: row.id,
    systemKey: row.system.key,
    data: { ...data, ...(caller?.kind === "service" ? { serviceAccount: caller.account.name } : {}) },
  };
}

/**
 * Every command on an existing change starts here: the change's row lock (which serialises its
 * reviewers and outcomes), its facts as they are under the lock, and who is asking.
 */
async function openChange(tx: Tx, actor: Actor, id: string) {
  await lockChange(tx, id);
  const row = await loadChange(tx, id);
  const caller = await callerOf(tx, actor);
  return { row, caller, subject: { type: "change", id: row.id, systemKey: row.system.key } };
}

/** A person who is neither the change's author or co-author nor a program lead. */
function notAuthorNorLead(row: ChangeRow, caller: Caller): boolean {
  return caller.kind === "person" && !authorLike(row, caller.actor.id) && caller.actor.role !== "LEAD";
}

async function reread(tx: Tx, id: string): Promise<ChangeDto> {
  const row = await tx.change.findUniqueOrThrow({ where: { id }, select: changeSelect });
  return toChangeDto(row, await rollbackStatuses(tx, [row.system.id]));
}

/** People who may author a change of a system: its assigned engineers, and program leads. */
async function mayAuthor(
  tx: Tx,
  user: { id: string; role: string; active?: boolean },
  systemId: string,
): Promise<boolean> {
  if (user.role === "LEAD") return true;
  if (user.role !== "ENGINEER") return false;
  return (await tx.assignment.count({ where: { systemId, userId: user.id } })) > 0;
}

/** POST /api/v1/changes: a person registers their own change, or a pipeline one on its author's behalf. */
export async function registerChange(actor: Actor, input: unknown): Promise<ChangeDto> {
  const data = parse(registerChangeSchema, input);
  return db().$transaction(async (tx) => {
    const caller = await callerOf(tx, actor);
    const system = await tx.system.findUnique({
      where: { key: data.system },
      select: { id: true, key: true, team: true },
    });
    const subject = { type: "system", id: data.system, systemKey: data.system };
    if (!system) {
      if (caller.kind === "service")
        await denied(actor, "change.register", subject, "This service account is not scoped to that system.");
      throw new NotFound(`There is no system with the key “${data.system}”.`);
    }
    let authorId: string;
    if (caller.kind === "person") {
      if (!(await mayAuthor(tx, caller.actor, system.id))) {
        await denied(
          actor,
          "change.register",
          subject,
          "Only the system's owners and assigned engineers (or a program lead) can register its changes.",
        );
      }
      if (data.author && data.author !== caller.actor.email)
        throw new RuleViolation("Register your own changes: only a service account names another author.");
      authorId = caller.actor.id;
    } else {
      if (caller.kind === "service" && !inScope(caller, system))
        await denied(actor, "change.register", subject, "This service account is not scoped to this system.");
      if (!data.author)
        throw new ValidationError("Name the change's author", {
          author: ["A pipeline registers a change on behalf of its author: give their email"],
        });
      const author = await tx.user.findUnique({
        where: { email: data.author },
        select: { id: true, role: true, active: true, email: true },
      });
      if (!author?.active || isServiceAccountEmail(author.email))
        throw new RuleViolation(`There is no active person with the email ${data.author} to author this change.`);
      if (!(await mayAuthor(tx, author, system.id)))
        throw new RuleViolation(`${data.author} is not assigned to ${system.key}, so they cannot author its changes.`);
      authorId = author.id;
    }
    const coAuthors = [...new Set(data.coAuthors)];
    const people = coAuthors.length
      ? await tx.user.findMany({ where: { email: { in: coAuthors }, active: true }, select: { id: true, email: true } })
      : [];
    const unknown = coAuthors.filter((e) => !people.some((p) => p.email === e) || isServiceAccountEmail(e));
    if (unknown.length)
      throw new RuleViolation(`No active person with the email ${unknown.join(", ")} to list as co-author.`);
    const change = await tx.change.create({
      data: {
        systemId: system.id,
        title: data.title,
        url: data.url,
        aiAssisted: data.aiAssisted,
        authorId,
        rollbackPlanUrl: data.rollbackPlanUrl ?? null,
        docsUrl: data.docsUrl ?? null,
        plannedAt: data.plannedAt ? new Date(data.plannedAt) : null,
        registeredById: caller.kind === "operator" ? authorId : caller.actor.id,
        serviceAccountId: caller.kind === "service" ? caller.account.id : null,
        coAuthors: { create: people.filter((p) => p.id !== authorId).map((p) => ({ userId: p.id })) },
      },
      select: { id: true, system: { select: { key: true } } },
    });
    const fresh = await tx.change.findUniqueOrThrow({ where: { id: change.id }, select: changeSelect });
    const rollback = await rollbackStatuses(tx, [system.id]);
    await notifyChangeReviewers(tx, fresh, rollback);
    await appendAuditEvent(
      tx,
      event(
        actor,
        change,
        "change.register",
        {
          title: data.title,
          url: data.url,
          aiAssisted: data.aiAssisted,
          rollbackPlanUrl: data.rollbackPlanUrl ?? null,
          docsUrl: data.docsUrl ?? null,
          author: data.author ?? (caller.kind === "person" ? caller.actor.email : null),
          coAuthors,
        },
        caller,
      ),
    );
    return toChangeDto(fresh, rollback);
  });
}

const authorLike = (row: ChangeRow, userId: string) =>
  row.author.id === userId || row.coAuthors.some((c) => c.user.id === userId);

/** PATCH /api/v1/changes/{id}: the author edits the change; a link edit starts a new revision, so earlier approvals are stale (rule 16.4). */
export async function updateChange(actor: Actor, id: string, input: unknown): Promise<ChangeDto> {
  const data = parse(updateChangeSchema, input);
  return db().$transaction(async (tx) => {
    const { row, caller, subject } = await openChange(tx, actor, id);
    if (caller.kind === "service" || notAuthorNorLead(row, caller)) {
      await denied(
        actor,
        "change.update",
        subject,
        "Only the change's author and co-authors (or a program lead) can edit it.",
      );
    }
    if (factsOf(row).state !== "OPEN")
      throw new RuleViolation("This change has shipped; its record can no longer be edited.");
    if (data.version !== row.version) {
      throw new Conflict(
        `This change was edited since you loaded it (you sent version ${data.version}; it is now at ${row.version}). Reload it and try again.`,
        undefined,
        "stale_version",
      );
    }
    const before = { url: row.url, rollbackPlanUrl: row.rollbackPlanUrl ?? "", docsUrl: row.docsUrl };
    const after = {
      url: data.url ?? row.url,
      rollbackPlanUrl: (data.rollbackPlanUrl === undefined ? row.rollbackPlanUrl : data.rollbackPlanUrl) ?? "",
      docsUrl: data.docsUrl === undefined ? row.docsUrl : data.docsUrl,
    };
    const newRevision = linksChanged(before, after);
    const { count } = await tx.change.updateMany({
      where: { id: row.id, version: row.version },
      data: {
        title: data.title ?? row.title,
        url: after.url,
        rollbackPlanUrl: after.rollbackPlanUrl || null,
        docsUrl: after.docsUrl,
        version: { increment: 1 },
        ...(newRevision ? { revision: { increment: 1 } } : {}),
      },
    });
    if (count === 0)
      throw new Conflict(
        `This change was edited while your request ran (version ${row.version} is no longer current). Reload it and try again.`,
        undefined,
        "stale_version",
      );
    // A new revision made the approvals stale: the reviewers it now waits on are asked again.
    if (newRevision) {
      const fresh = await tx.change.findUniqueOrThrow({ where: { id: row.id }, select: changeSelect });
      await notifyChangeReviewers(tx, fresh, await rollbackStatuses(tx, [row.system.id]));
    }
    await appendAuditEvent(
      tx,
      event(actor, row, "change.update", {
        title: data.title ?? row.title,
        url: after.url,
        rollbackPlanUrl: after.rollbackPlanUrl || null,
        docsUrl: after.docsUrl,
        revision: newRevision ? row.revision + 1 : row.revision,
        approvalsMadeStale: newRevision
          ? row.reviews.filter((r) => r.revision === row.revision && r.decision === "APPROVE").length
          : 0,
      }),
    );
    return reread(tx, row.id);
  }, CHANGE_TX);
}

/** POST /api/v1/changes/{id}/reviews: a sign-off of the current links, frozen with the reviewer's seniority and the links' digest. */
export async function reviewChange(
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ review: ChangeDto["reviews"][number]; change: ChangeDto }> {
  const data = parse(changeReviewSchema, input);
  if (actor.kind !== "user") throw new RuleViolation("Only a signed-in reviewer can review a change.");
  try {
    return await db().$transaction(async (tx) => {
      const { row, caller, subject } = await openChange(tx, actor, id);
      if (caller.kind === "service")
        await denied(actor, "change.review", subject, "A service account never signs off.");
      if (data.revision !== undefined && data.revision !== row.revision) {
        throw new Conflict(
          `The change's links were edited since you loaded it (you reviewed revision ${data.revision}; it is now at ${row.revision}). Reload it and review again.`,
          undefined,
          "stale_version",
        );
      }
      const reviewers = await tx.assignment.findMany({
        where: { systemId: row.system.id, kind: "REVIEWER" },
        select: { userId: true },
      });
      const facts = factsOf(row);
      const options = { now: new Date(), approvalTtlDays: approvalTtlDays() };
      const rollback = await rollbackStatuses(tx, [row.system.id]);
      const allowedBefore = decisionOf(row, rollback, options.now).allowed;
      const outcome = decideChangeReview(
        {
          reviewer: { id: actor.id, role: actor.role, seniority: actor.seniority },
          change: facts,
          reviewerIds: reviewers.map((r) => r.userId),
        },
        data.decision,
        data.comment,
        options,
      );
      if (!outcome.ok) {
        if (outcome.kind === "forbidden") await denied(actor, "change.review", subject, outcome.reason, outcome.code);
        throw new RuleViolation(outcome.reason, outcome.code);
      }
      const review = await tx.changeReview.create({
        data: {
          changeId: row.id,
          reviewerId: actor.id,
          revision: row.revision,
          renewal: renewalOf(facts, actor.id),
          decision: data.decision,
          comment: data.comment,
          seniority: actor.seniority,
          linksDigest: linksDigest(row),
        },
        select: { id: true },
      });
      const fresh = await tx.change.findUniqueOrThrow({ where: { id: row.id }, select: changeSelect });
      const decision = decisionOf(fresh, rollback, options.now);
      await noteDecision(tx, fresh, decision.allowed, options.now, { ask: false });
      if (!allowedBefore && decision.allowed) {
        const reviewer = fresh.reviews.find((r) => r.id === review.id)?.reviewer.name ?? null;
        await notifyChangeAllowed(tx, fresh, reviewer, options.now);
      }
      await appendAuditEvent(
        tx,
        event(actor, row, data.decision === "APPROVE" ? "change.review.approve" : "change.review.request_changes", {
          reviewId: review.id,
          decision: data.decision,
          comment: data.comment,
          revision: row.revision,
          seniority: actor.seniority,
          allowedAfter: decision.allowed,
        }),
      );
      const change = toChangeDto(fresh, rollback, options.now);
      return { review: change.reviews.find((r) => r.id === review.id)!, change };
    }, CHANGE_TX);
  } catch (error) {
    // The same reviewer racing themself: the unique key lets exactly one review through.
    if (isUniqueViolation(error))
      throw new Conflict("You have already reviewed this version of the change.", undefined, "already_reviewed");
    throw error;
  }
}

/** POST /api/v1/changes/{id}/shipped and /rolled-back: the outcome, with the gate's decision at that moment. */
export async function recordChangeOutcome(
  actor: Actor,
  id: string,
  kind: "SHIPPED" | "ROLLED_BACK",
  input: unknown,
): Promise<ChangeDto> {
  const data = parse(changeOutcomeSchema, input ?? {});
  try {
    return await db().$transaction(async (tx) => {
      const { row, caller, subject } = await openChange(tx, actor, id);
      if (caller.kind === "service" && !inScope(caller, row.system))
        await denied(actor, "change.outcome", subject, "This service account is not scoped to this change's system.");
      if (notAuthorNorLead(row, caller)) {
        await denied(
          actor,
          "change.outcome",
          subject,
          "Only the change's author and co-authors, its pipeline or a program lead can record what happened to it.",
        );
      }
      const state = factsOf(row).state;
      if (kind === "SHIPPED" && state !== "OPEN")
        throw new RuleViolation("This change is already recorded as shipped.");
      if (kind === "ROLLED_BACK" && state === "OPEN")
        throw new RuleViolation("Record the change as shipped before recording a rollback.");
      if (kind === "ROLLED_BACK" && state === "ROLLED_BACK")
        throw new RuleViolation("This change is already recorded as rolled back.");
      const now = new Date();
      const decision = decisionOf(row, await rollbackStatuses(tx, [row.system.id]), now);
      const recordedById = caller.kind === "operator" ? row.author.id : caller.actor.id;
      await tx.changeOutcome.create({
        data: {
          changeId: row.id,
          kind,
          incidentUrl: data.incidentUrl ?? null,
          allowed: decision.allowed,
          reasons: decision.reasons,
          recordedById,
        },
      });
      await tx.change.update({ where: { id: row.id }, data: { version: { increment: 1 } } });
      await appendAuditEvent(
        tx,
        event(
          actor,
          row,
          kind === "SHIPPED" ? "change.shipped" : "change.rolled_back",
          { incidentUrl: data.incidentUrl ?? null, allowed: decision.allowed, reasons: decision.reasons },
          caller,
        ),
      );
      return reread(tx, row.id);
    }, CHANGE_TX);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Conflict(
        kind === "SHIPPED"
          ? "This change is already recorded as shipped."
          : "This change is already recorded as rolled back.",
      );
    throw error;
  }
}
