// The active program and today's place in it, read once per request (React cache).
import "server-only";
import { cache } from "react";
import { db } from "@/lib/db";
import { programDay, programEndsOn, utcDay } from "@/lib/domain/schedule";

export interface ProgramSummary {
  id: string;
  name: string;
  startsOn: Date;
  endsOn: Date;
  durationDays: number;
  /** Today's program day, 1-based. */
  day: number;
}

export const getActiveProgram = cache(async (): Promise<ProgramSummary | null> => {
  const program = await db().program.findFirst({
    where: { active: true },
    select: { id: true, name: true, startsOn: true, durationDays: true },
  });
  if (!program) return null;
  return {
    ...program,
    endsOn: programEndsOn(program),
    day: programDay(program, utcDay(new Date())),
  };
});
