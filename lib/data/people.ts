// People, as opposed to service accounts: every list of people a person picks from or reads about
// (Admin → Users, assignment pickers, the people filter, the reviewer-load chart, the lead's
// queue) asks here, so a pipeline's account never shows up as someone to assign or to chase.
// Service accounts are app_user rows in a reserved domain (lib/domain/service-account.ts).
import "server-only";
import { isServiceAccountEmail, SERVICE_ACCOUNT_EMAIL_DOMAIN } from "@/lib/domain/service-account";
import { Prisma } from "@/lib/generated/prisma/client";

/** For Prisma user queries: `where: { ...personWhere, … }`. */
export const personWhere = {
  NOT: { email: { endsWith: `@${SERVICE_ACCOUNT_EMAIL_DOMAIN}`, mode: "insensitive" } },
} satisfies Prisma.UserWhereInput;

/** For raw SQL over app_user aliased `alias`: `WHERE ${isPersonSql("u")}`. */
export function isPersonSql(alias: string): Prisma.Sql {
  return Prisma.sql`lower(${Prisma.raw(`${alias}.email`)}) NOT LIKE ${`%@${SERVICE_ACCOUNT_EMAIL_DOMAIN}`}`;
}

/** For rows already loaded. */
export function isPerson(user: { email: string }): boolean {
  return !isServiceAccountEmail(user.email);
}
