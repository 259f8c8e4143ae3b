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
    // Every change of the program is counted, so each is read as five plain values: instants as
    // epoch milliseconds and no per-row relation, which at 10,000 systems (11,000 changes) cost
    // the dashboard more Node time in result mapping than everything else it reads.
    client.$queryRaw<
      {
        created_ms: number;
        ai_assisted: boolean;
        first_check_allowed: boolean | null;
        allowed_ms: number | null;
        rolled_back: boolean;
      }[]
    >`
      SELECT (extract(epoch FROM c.created_at) * 1000)::float8 AS created_ms, c.ai_assisted, c.first_check_allowed,
             (extract(epoch FROM c.first_allowed_at) * 1000)::float8 AS allowed_ms,
             EXISTS (SELECT 1 FROM change_outcome o WHERE o.change_id = c.id AND o.kind = 'ROLLED_BACK') AS rolled_back
        FROM change c`,
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
        createdAt: new Date(c.created_ms),
        aiAssisted: c.ai_assisted,
        firstCheckAllowed: c.first_check_allowed,
        firstAllowedAt: c.allowed_ms === null ? null : new Date(c.allowed_ms),
        rolledBack: c.rolled_back,
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
