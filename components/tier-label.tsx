const TIER: Record<"TIER_0" | "TIER_1" | "TIER_2", string> = { TIER_0: "Tier 0", TIER_1: "Tier 1", TIER_2: "Tier 2" };

export function tierLabel(tier: keyof typeof TIER): string {
  return TIER[tier];
}
