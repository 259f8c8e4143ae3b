// Inputs of the notification centre, validated at the edge.
import { z } from "zod";
import { wholeNumberParam } from "@/lib/validation/number";

export const listNotificationsSchema = z.object({
  unread: z.enum(["true", "false"]).optional().describe("true: only notifications not yet read"),
  limit: wholeNumberParam("limit", { min: 1, max: 200 })
    .default(50)
    .describe("At most this many, newest first (default 50)"),
});

export const markReadSchema = z.union([
  z
    .object({ ids: z.array(z.uuid("is not a notification id")).min(1, "name at least one notification").max(500) })
    .strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
