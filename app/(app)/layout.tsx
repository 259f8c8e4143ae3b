import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { getMyWork } from "@/lib/data/my-work";
import { unreadCount } from "@/lib/data/notifications";
import { getActiveProgram } from "@/lib/data/program";

// The signed-in part of the app. This check sends signed-out people to the sign-in page; it is
// not the authorization: every page, action and handler checks what the user may do itself.
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const [program, work, unread] = await Promise.all([getActiveProgram(), getMyWork(actorOf(user)), unreadCount(actorOf(user))]);
  return (
    <AppShell program={program} user={user} waiting={work.waiting} unread={unread}>
      {children}
    </AppShell>
  );
}
