// Users: creation for operators (CLI) and leads. Authorizes, validates, writes the user and its
// audit event in one transaction, and returns a DTO without secrets.
import "server-only";
import type { Role, Seniority } from "@/lib/generated/prisma/enums";
import { bumpAssignmentsVersion } from "@/lib/data/assignments-version";
import { appendAuditEvent } from "@/lib/audit/append";
import { hashPassword } from "@/lib/data/password";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { personWhere } from "@/lib/data/people";
import {
  createUserSchema,
  setActiveSchema,
  transferAssignmentsSchema,
  updateUserSchema,
  type CreateUserInput,
} from "@/lib/data/users.schema";
import type { SignedInUser } from "@/lib/data/sign-in";
import { db } from "@/lib/db";
import { Conflict, NotFound, RuleViolation, ValidationError, isUniqueViolation } from "@/lib/errors";

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  seniority: Seniority;
  active: boolean;
}

const userSelect = { id: true, email: true, name: true, role: true, seniority: true, active: true } as const;

export async function createUser(actor: Actor, input: CreateUserInput): Promise<UserDto> {
  await authorize(actor, "user.manage", { type: "user", id: "new" });
  const parsed = createUserSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { password, ...fields } = parsed.data;
  const passwordHash = password ? await hashPassword(password) : null;
  try {
    return await db().$transaction(async (tx) => {
      const user = await tx.user.create({ data: { ...fields, passwordHash }, select: userSelect });
      await appendAuditEvent(tx, {
        ...auditActor(actor),
        action: "user.create",
        subjectType: "user",
        subjectId: user.id,
        data: {
          email: user.email,
          name: user.name,
          role: user.role,
          seniority: user.seniority,
          password: Boolean(passwordHash),
        },
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A user with the email ${fields.email} already exists.`);
    throw error;
  }
}

export interface UserListItem extends UserDto {
  createdAt: Date;
  owns: number;
  reviews: number;
  hasPassword: boolean;
}

export async function listUsers(actor: Actor): Promise<UserListItem[]> {
  await authorize(actor, "user.manage", { type: "user", id: "*" });
  const users = await db().user.findMany({
    // Service accounts are listed under Admin → Service accounts, not as people.
    where: personWhere,
    orderBy: [{ active: "desc" }, { name: "asc" }],
    select: { ...userSelect, createdAt: true, passwordHash: true },
  });
  const counts = await db().assignment.groupBy({ by: ["userId", "kind"], _count: { _all: true } });
  const count = (userId: string, kind: "OWNER" | "REVIEWER") =>
    counts.find((c) => c.userId === userId && c.kind === kind)?._count._all ?? 0;
  return users.map(({ passwordHash, ...user }) => ({
    ...user,
    hasPassword: Boolean(passwordHash),
    owns: count(user.id, "OWNER"),
    reviews: count(user.id, "REVIEWER"),
  }));
}

export async function updateUser(actor: Actor, input: unknown): Promise<UserDto> {
  // Parsed first so the refusal names a real user id, and authorized before the parse's verdict
  // so that a person without the right learns nothing about the input.
  const parsed = updateUserSchema.safeParse(input);
  await authorize(actor, "user.manage", { type: "user", id: parsed.success ? parsed.data.userId : "*" });
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { userId, ...changes } = parsed.data;
  return db().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: userSelect });
    if (!before) throw new NotFound("No such user.");
    if (actor.kind === "user" && actor.id === userId && changes.role !== "LEAD") {
      throw new RuleViolation("You cannot remove your own lead role; ask another lead.");
    }
    const user = await tx.user.update({ where: { id: userId }, data: changes, select: userSelect });
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "user.update",
      subjectType: "user",
      subjectId: userId,
      data: {
        email: user.email,
        from: { name: before.name, role: before.role, seniority: before.seniority },
        to: { name: user.name, role: user.role, seniority: user.seniority },
      },
    });
    return user;
  });
}

/** Deactivating ends the person's sessions and stops their tokens at the next request. */
export async function setUserActive(actor: Actor, input: unknown): Promise<UserDto> {
  // Parsed first so the refusal names a real user id, and authorized before the parse's verdict
  // so that a person without the right learns nothing about the input.
  const parsed = setActiveSchema.safeParse(input);
  await authorize(actor, "user.manage", { type: "user", id: parsed.success ? parsed.data.userId : "*" });
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { userId, active } = parsed.data;
  if (actor.kind === "user" && actor.id === userId && !active) {
    throw new RuleViolation("You cannot deactivate yourself; ask another lead.");
  }
  return db().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: userSelect });
    if (!before) throw new NotFound("No such user.");
    if (before.active === active) return before;
    const user = await tx.user.update({
      where: { id: userId },
      data: { active, ...(active ? {} : { sessionsValidAfter: new Date() }) },
      select: userSelect,
    });
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: active ? "user.reactivate" : "user.deactivate",
      subjectType: "user",
      subjectId: userId,
      data: { email: user.email },
    });
    return user;
  });
}

export interface TransferResult {
  moved: number;
  /** Systems where the successor already had that role. */
  merged: string[];
  /** Systems left alone because the successor holds the other role there (rule 4). */
  skipped: { systemKey: string; reason: string }[];
}

/** Hands every assignment of a person who leaves to their successor, in one transaction. */
export async function transferAssignments(actor: Actor, input: unknown): Promise<TransferResult> {
  const parsed = transferAssignmentsSchema.safeParse(input);
  await authorize(actor, "assignment.manage", { type: "user", id: parsed.success ? parsed.data.fromUserId : "*" });
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { fromUserId, toUserId } = parsed.data;
  return db().$transaction(async (tx) => {
    const [from, to] = await Promise.all([
      tx.user.findUnique({ where: { id: fromUserId }, select: userSelect }),
      tx.user.findUnique({ where: { id: toUserId }, select: userSelect }),
    ]);
    if (!from || !to) throw new NotFound("No such user.");
    if (!to.active) throw new RuleViolation(`${to.name} is deactivated and cannot take over assignments.`);
    if (to.role === "EXECUTIVE") throw new RuleViolation("Executives are read-only and cannot own or review systems.");
    const assignments = await tx.assignment.findMany({
      where: { userId: fromUserId },
      select: { id: true, kind: true, systemId: true, system: { select: { key: true } } },
    });
    const existing = await tx.assignment.findMany({
      where: { userId: toUserId, systemId: { in: assignments.map((a) => a.systemId) } },
      select: { systemId: true, kind: true },
    });
    const successorKind = new Map(existing.map((a) => [a.systemId, a.kind]));
    const result: TransferResult = { moved: 0, merged: [], skipped: [] };
    for (const assignment of assignments) {
      const held = successorKind.get(assignment.systemId);
      if (held && held !== assignment.kind) {
        result.skipped.push({
          systemKey: assignment.system.key,
          reason: `${to.name} is ${held === "OWNER" ? "an owner" : "a reviewer"} there, and nobody may own and review the same system`,
        });
        continue;
      }
      if (held) {
        await tx.assignment.delete({ where: { id: assignment.id } });
        result.merged.push(assignment.system.key);
      } else {
        await tx.assignment.update({ where: { id: assignment.id }, data: { userId: toUserId } });
        result.moved += 1;
      }
      await bumpAssignmentsVersion(tx, [assignment.systemId]);
      await appendAuditEvent(tx, {
        ...auditActor(actor),
        action: "assignment.transfer",
        subjectType: "system",
        subjectId: assignment.systemId,
        systemKey: assignment.system.key,
        data: { kind: assignment.kind, from: from.email, to: to.email },
      });
    }
    return result;
  });
}

/**
 * The user behind a session, re-checked against the database on every request: a deactivated
 * user, or a session issued before the user's sessions were revoked, no longer counts.
 */
export async function findSessionUser(userId: string, authenticatedAt: number): Promise<SignedInUser | null> {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, seniority: true, active: true, sessionsValidAfter: true },
  });
  if (!user?.active) return null;
  if (user.sessionsValidAfter && authenticatedAt < user.sessionsValidAfter.getTime()) return null;
  const { active: _active, sessionsValidAfter: _after, ...signedIn } = user;
  return signedIn;
}

export async function findUserByEmail(email: string): Promise<SignedInUser | null> {
  const user = await db().user.findUnique({
    where: { email: email.toLowerCase() },
    select: { id: true, email: true, name: true, role: true, seniority: true, active: true },
  });
  if (!user?.active) return null;
  const { active: _active, ...signedIn } = user;
  return signedIn;
}
