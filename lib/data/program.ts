// The active program and today's place in it, read once per request (React cache).
import "server-only";
import { cache } from "react";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { dueOnFor, isoDay, programDay, programEndsOn, utcDay } from "@/lib/domain/schedule";

export interface ProgramSummary {
  id: string;
  name: string;
  startsOn: Date;
  endsOn: Date;
  durationDays: number;
  /** The IANA time zone of the program's wall clock (docs/RULES.md, section 2). */
  timeZone: string;
  /** Today's program day, 1-based. */
  day: number;
}

export const getActiveProgram = cache(async (): Promise<ProgramSummary | null> => {
  const program = await db().program.findFirst({
    where: { active: true },
    select: { id: true, name: true, startsOn: true, durationDays: true, timeZone: true },
  });
  if (!program) return null;
  return {
    ...program,
    endsOn: programEndsOn(program),
    day: programDay(program, utcDay(new Date())),
  };
});

export interface ProgramDetail {
  name: string;
  startsOn: string;
  endsOn: string;
  durationDays: number;
  /** The IANA time zone of the program's wall clock (docs/RULES.md, section 2). */
  timeZone: string;
  /** Today's program day, 1-based. */
  today: number;
  milestones: {
    key: string;
    name: string;
    description: string;
    sequence: number;
    dueDay: number;
    dueOn: string;
    requiredApprovals: number;
    minReviewerSeniority: string;
    evidenceHint: string;
  }[];
}

/** GET /api/v1/program: the active program with its milestones and today's program day. */
export async function getProgramDetail(actor: Actor): Promise<ProgramDetail | null> {
  await authorize(actor, "program.read", { type: "program", id: "active" });
  const program = await db().program.findFirst({
    where: { active: true },
    select: {
      name: true,
      startsOn: true,
      durationDays: true,
      timeZone: true,
      milestones: {
        orderBy: { sequence: "asc" },
        select: {
          key: true,
          name: true,
          description: true,
          sequence: true,
          dueDay: true,
          requiredApprovals: true,
          minReviewerSeniority: true,
          evidenceHint: true,
        },
      },
    },
  });
  if (!program) return null;
  return {
    name: program.name,
    startsOn: isoDay(program.startsOn),
    endsOn: isoDay(programEndsOn(program)),
    durationDays: program.durationDays,
    timeZone: program.timeZone,
    today: programDay(program, utcDay(new Date())),
    milestones: program.milestones.map((m) => ({ ...m, dueOn: isoDay(dueOnFor(program, m.dueDay)) })),
  };
}
