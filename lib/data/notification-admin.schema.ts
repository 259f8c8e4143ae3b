// Inputs of the notification admin (team webhooks, outbox retries), validated at the edge.
import { z } from "zod";
import { httpUrlSchema } from "@/lib/data/checkpoints.schema";
import { WebhookFormat } from "@/lib/generated/prisma/enums";

export const webhookInputSchema = z
  .object({
    team: z.string().trim().min(1, "Name the team").max(100),
    format: z.enum(WebhookFormat),
    url: httpUrlSchema,
    secret: z
      .string()
      .trim()
      .max(200)
      .optional()
      .transform((s) => (s ? s : undefined)),
  })
  .superRefine((value, ctx) => {
    // The generic body is only worth sending if the receiver can verify who sent it.
    if (value.format === "GENERIC" && (!value.secret || value.secret.length < 16)) {
      ctx.addIssue({
        code: "custom",
        path: ["secret"],
        message: "A generic webhook needs a signing secret of at least 16 characters",
      });
    }
  });

export const idSchema = z.object({ id: z.uuid("is not a valid id") });
