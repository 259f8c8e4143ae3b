// Reads of the systems registry. Progress and health are decided by lib/domain from each
// system's checkpoints; the page's systems and their checkpoints load in a fixed number of
// queries whatever the page size (no query per row).
import "server-only";
import type { Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { SLUG_PATTERN } from "@/lib/data/checkpoints.schema";
import { db } from "@/lib/db";
import { progressOf, systemHealth, utcDay, type Health, type Progress } from "@/lib/domain/schedule";
import { SYSTEMS_PAGE_SIZE, listSystemsSchema, type ListSystemsInput } from "@/lib/data/systems.schema";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface SystemListItem {
  key: string;
  name: string;
  team: string;
  tier: "TIER_0" | "TIER_1" | "TIER_2";
  aiAssisted: boolean;
  owners: { name: string; email: string }[];
  progress: Progress;
  health: Health;
}

export interface SystemPage {
  items: SystemListItem[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  q: string;
}

export async function listSystems(actor: Actor, input: ListSystemsInput): Promise<SystemPage> {
  await authorize(actor, "system.read", { type: "system", id: "*" });
  const parsed = listSystemsSchema.parse(input);
  const q = parsed.q ?? "";
  const where: Prisma.SystemWhereInput = q
    ? {
        OR: [
          { name: { contains: q, mode: "insensitive" } },
          { key: { contains: q, mode: "insensitive" } },
          { team: { contains: q, mode: "insensitive" } },
        ],
      }
    : {};
  const total = await db().system.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / SYSTEMS_PAGE_SIZE));
  const page = Math.min(parsed.page ?? 1, pageCount);
  const rows = await db().system.findMany({
    where,
    orderBy: [{ name: "asc" }, { key: "asc" }],
    skip: (page - 1) * SYSTEMS_PAGE_SIZE,
    take: SYSTEMS_PAGE_SIZE,
    select: {
      key: true,
      name: true,
      team: true,
      tier: true,
      aiAssisted: true,
      checkpoints: { select: { status: true, dueOn: true } },
      assignments: {
        where: { kind: "OWNER" },
        orderBy: { user: { name: "asc" } },
        select: { user: { select: { name: true, email: true } } },
      },
    },
  });
  const today = utcDay(new Date());
  return {
    items: rows.map(({ checkpoints, assignments, ...system }) => ({
      ...system,
      owners: assignments.map((a) => a.user),
      progress: progressOf(checkpoints),
      health: systemHealth(checkpoints, today),
    })),
    total,
    page,
    pageSize: SYSTEMS_PAGE_SIZE,
    pageCount,
    q,
  };
}

/** Whether a system exists (for a 404 before a page starts streaming). */
export async function systemExists(actor: Actor, key: string): Promise<boolean> {
  await authorize(actor, "system.read", { type: "system", id: key, systemKey: key });
  if (!SLUG_PATTERN.test(key)) return false;
  return (await db().system.count({ where: { key } })) > 0;
}
