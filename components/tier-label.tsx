// The people-facing tier words live in lib/labels.ts; this keeps the components' existing import.
import type { Tier } from "@/lib/generated/prisma/enums";
import { TIER_LABEL } from "@/lib/labels";

export function tierLabel(tier: Tier): string {
  return TIER_LABEL[tier];
}
