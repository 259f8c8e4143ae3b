import { z } from "zod";
import { Role, Seniority } from "@/lib/generated/prisma/enums";
import { singleLineText } from "@/lib/validation/text";

export const ROLES = Object.values(Role);
/** Most junior first: schema.prisma declares them in rank order. */
export const SENIORITIES = Object.values(Seniority);

export const emailSchema = singleLineText("An email address")
  .trim()
  .toLowerCase()
  .max(254, "An email address has at most 254 characters")
  .pipe(z.email("Enter a valid email address"));

export const createUserSchema = z.object({
  email: emailSchema,
  name: singleLineText("Name").trim().min(1, "Name is required").max(200, "Name has at most 200 characters"),
  role: z.enum(Role, { error: `Role must be one of ${ROLES.join(", ")}` }),
  seniority: z.enum(Seniority, { error: `Seniority must be one of ${SENIORITIES.join(", ")}` }),
  password: singleLineText("A password")
    .min(12, "A password has at least 12 characters")
    .max(200, "A password has at most 200 characters")
    .optional(),
});

export type CreateUserInput = z.input<typeof createUserSchema>;

export const updateUserSchema = z.object({
  userId: z.uuid("Unknown user"),
  name: singleLineText("Name").trim().min(1, "Name is required").max(200, "Name has at most 200 characters"),
  role: z.enum(Role, { error: `Role must be one of ${ROLES.join(", ")}` }),
  seniority: z.enum(Seniority, { error: `Seniority must be one of ${SENIORITIES.join(", ")}` }),
});

export const setActiveSchema = z.object({
  userId: z.uuid("Unknown user"),
  active: z.boolean(),
});

export const transferAssignmentsSchema = z
  .object({
    fromUserId: z.uuid("Choose the person who leaves"),
    toUserId: z.uuid("Choose who takes over"),
  })
  .refine((value) => value.fromUserId !== value.toUserId, {
    message: "Choose two different people",
    path: ["toUserId"],
  });
