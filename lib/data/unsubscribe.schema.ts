// One-click unsubscribe (RFC 8058), validated at the edge: the signed token from the mail's link,
// and the body the RFC fixes for the POST.
import { z } from "zod";
import { singleLineText } from "@/lib/validation/text";

export const unsubscribeQuerySchema = z.object({
  token: singleLineText("The unsubscribe token", "The link has no unsubscribe token")
    .min(1, "The link has no unsubscribe token")
    .max(500, "The unsubscribe token is too long")
    .describe("The signed token from the e-mail's List-Unsubscribe link"),
});

export const oneClickBodySchema = z.object({
  "List-Unsubscribe": z.literal("One-Click", {
    error: "The body must be List-Unsubscribe=One-Click (RFC 8058)",
  }),
});
