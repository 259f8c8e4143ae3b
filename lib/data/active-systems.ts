// The one definition of an active system (docs/RULES.md rule 15): not archived. Every figure,
// chart, queue and default listing filters with one of these two fragments, never its own copy.
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";

/** For Prisma queries on systems: `where: { ...activeSystemWhere }`, or nested as `system: activeSystemWhere`. */
export const activeSystemWhere = { archivedAt: null } satisfies Prisma.SystemWhereInput;

/** For raw SQL whose `system` table is aliased `s`: `WHERE ... AND ${activeSystemSql}`. */
export const activeSystemSql = Prisma.sql`s.archived_at IS NULL`;

/** The same for a system table under another alias (or a bare `system`). */
export const activeSystemSqlFor = (alias: string) => Prisma.raw(`(${alias}.archived_at IS NULL)`);
