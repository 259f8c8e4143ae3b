// The change gate on the dashboard: weekly figures and the changes that shipped while the gate
// blocked them (which a lead must see). Figures come from lib/domain/change-stats.ts.
import "server-only";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { getActiveProgram } from "@/lib/data/program";
import { db } from "@/lib/db";
import { changeWeeks, type ChangeWeek } from "@/lib/domain/change-stats";

export interface ShippedBlockedDto {
  id: string;
  title: string;
  system: { key: string; name: string };
  author: string;
  shippedAt: string;
  reasons: string[];
}

export interface ChangeGateReport {
  weeks: ChangeWeek[];
  shippedWithoutAllowed: ShippedBlockedDto[];
}

export const getChangeGateReport = cache(async (actor: Actor): Promise<ChangeGateReport | null> => {
  await authorize(actor, "report.read", { type: "change", id: "report" });
  const client = db();
  const program = await getActiveProgram();
  if (!program) return null;
  const [changes, shipped] = await Promise.all([
    client.change.findMany({
      select: {
        createdAt: true,
        aiAssisted: true,
        firstCheckAllowed: true,
        firstAllowedAt: true,
        outcomes: { where: { kind: "ROLLED_BACK" }, select: { kind: true } },
      },
    }),
    client.changeOutcome.findMany({
      where: { kind: "SHIPPED", allowed: false },
      orderBy: { at: "desc" },
      take: 50,
      select: {
        at: true,
        reasons: true,
        change: {
          select: {
            id: true,
            title: true,
            author: { select: { name: true } },
            system: { select: { key: true, name: true } },
          },
        },
      },
    }),
  ]);
  return {
    weeks: changeWeeks(
      changes.map((c) => ({
        createdAt: c.createdAt,
        aiAssisted: c.aiAssisted,
        firstCheckAllowed: c.firstCheckAllowed,
        firstAllowedAt: c.firstAllowedAt,
        rolledBack: c.outcomes.length > 0,
      })),
      program.startsOn,
      new Date(),
    ),
    shippedWithoutAllowed: shipped.map((o) => ({
      id: o.change.id,
      title: o.change.title,
      system: o.change.system,
      author: o.change.author.name,
      shippedAt: o.at.toISOString(),
      reasons: Array.isArray(o.reasons) ? (o.reasons as string[]) : [],
    })),
  };
});
