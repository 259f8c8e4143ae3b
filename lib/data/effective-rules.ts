// The effective sign-off rules of the active program's milestones, for Program settings: what
// each milestone really needs per tier and on AI-assisted systems (docs/RULES.md rules 5 and 6),
// from effectiveRules in lib/domain/eligibility.ts — the functions the workflow itself applies.
import "server-only";
import type { MilestoneSettingsDto } from "@/lib/data/program-settings";
import { effectiveRules } from "@/lib/domain/eligibility";

export interface MilestoneRulesDto {
  key: string;
  name: string;
  /** "Tier 0: 2 approvals from Senior or above", then the other tiers, then AI-assisted systems. */
  lines: string[];
}

export function milestoneRules(
  milestones: readonly Pick<MilestoneSettingsDto, "key" | "name" | "requiredApprovals" | "minReviewerSeniority">[],
): MilestoneRulesDto[] {
  return milestones.map((m) => ({ key: m.key, name: m.name, lines: effectiveRules(m).map((l) => l.text) }));
}
