// Users: creation for operators (CLI) and leads. Authorizes, validates, writes the user and its
// audit event in one transaction, and returns a DTO without secrets.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import { hashPassword } from "@/lib/auth/password";
import { auditActor, type Actor } from "@/lib/data/actor";
import { createUserSchema, type CreateUserInput } from "@/lib/data/users.schema";
import { db } from "@/lib/db";
import { Conflict, Forbidden, ValidationError, isUniqueViolation } from "@/lib/errors";

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: "LEAD" | "ENGINEER" | "EXECUTIVE";
  seniority: "JUNIOR" | "MID" | "SENIOR" | "PRINCIPAL";
  active: boolean;
}

const userSelect = { id: true, email: true, name: true, role: true, seniority: true, active: true } as const;

export async function createUser(actor: Actor, input: CreateUserInput): Promise<UserDto> {
  if (actor.kind === "user" && actor.role !== "LEAD") throw new Forbidden("Only a program lead can add users.");
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
        data: { email: user.email, name: user.name, role: user.role, seniority: user.seniority, password: Boolean(passwordHash) },
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A user with the email ${fields.email} already exists.`);
    throw error;
  }
}
